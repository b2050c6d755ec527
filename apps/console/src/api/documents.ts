/**
 * Every GraphQL document the console sends. Only operations the API already declares
 * (libs/domain declarations → generated resolvers); `console-documents.unit.spec.ts` validates
 * each against the server's schema, so the console cannot drift from it.
 */

export const LOGIN = /* GraphQL */ `
  mutation ConsoleLogin($userId: String!, $password: String!) {
    login(userId: $userId, password: $password) {
      token
      expiresAt
      actor { userId printedName authMethod grants { role trialId siteId } }
    }
  }
`;

export const ME = /* GraphQL */ `
  query ConsoleMe {
    me { userId printedName authMethod grants { role trialId siteId } }
  }
`;

export const LEDGER_STATUS = /* GraphQL */ `
  query ConsoleLedgerStatus {
    ledgerStatus {
      size
      lastHash
      rootHash
      latestCheckpoint { treeSize rootHash issuedAt note }
    }
    projectionStatus { projection lastPosition lag }
  }
`;

/** The ledger's size: the far end of the lineage explorer's asOf slider. */
export const LEDGER_SIZE = /* GraphQL */ `
  query ConsoleLedgerSize {
    ledgerStatus {
      size
    }
  }
`;

export const INCLUSION_PROOF = /* GraphQL */ `
  query ConsoleInclusionProof($eventId: ID!) {
    inclusionProof(eventId: $eventId) {
      eventId
      leafIndex
      treeSize
      leafHash
      rootHash
      proof
      checkpoint
      canonical
      blinded
      bundleJson
    }
  }
`;

export const RECENT_EVENTS = /* GraphQL */ `
  query ConsoleRecentEvents($filter: AuditTrailFilterInput, $first: Int!, $after: String) {
    auditTrail(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          globalPosition
          eventId
          eventType
          eventHash
          recordedAt
          actor
          actorName
          role
          reason
          summary
          trialId
          siteId
          subjectId
          entityId
          streamId
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const LINEAGE = /* GraphQL */ `
  query ConsoleLineage($id: ID!, $direction: LineageDirection!, $maxDepth: Int!, $asOf: AsOfInput) {
    lineage(id: $id, direction: $direction, maxDepth: $maxDepth, asOf: $asOf) {
      complete
      asOfPosition
      truncatedAtDepth
      unresolvedNodeIds
      root { id }
      nodes { id type kind label depth refId trialId siteId subjectId createdBy { eventId globalPosition recordedAt } }
      edges { id from to relation role }
    }
  }
`;

export const PROV_DOCUMENT = /* GraphQL */ `
  query ConsoleProvDocument($id: ID!, $format: ProvFormat!, $maxDepth: Int!, $asOf: AsOfInput) {
    provDocument(id: $id, format: $format, maxDepth: $maxDepth, asOf: $asOf) {
      format
      mediaType
      document
      complete
      asOfPosition
    }
  }
`;

export const COMPLIANCE = /* GraphQL */ `
  query ConsoleCompliance($trialId: ID!, $siteId: ID) {
    lockedAlgorithmCompliance(trialId: $trialId, siteId: $siteId) {
      trialId
      siteId
      totalDecisions
      compliantDecisions
      deviationsTruncated
      counts { siteId modelId modelVersion decisions compliant deviations }
      currentLocks { modelId version artifactSha256 lockedAtPosition }
      deviations { decisionId siteId subjectId modelId modelVersion lockedVersion reasons recordedAt event { eventId globalPosition } }
    }
    protocolDeviations(trialId: $trialId) {
      imageId
      siteId
      subjectId
      protocolId
      detectedBy
      deviations { field expected actual }
      event { eventId globalPosition recordedAt }
    }
  }
`;

export const MODEL_VERSION = /* GraphQL */ `
  query ConsoleModelVersion($id: ID!) {
    modelVersion(id: $id) {
      id
      modelId
      version
      artifactSha256
      intendedUse
      retiredAt
      retiredReason
      locks { trialId version current lockedAt lockedBy supersedesVersion artifactSha256 event { eventId globalPosition } }
      signatures { signatureId printedName meaning signedAt }
    }
  }
`;

export const EXPORT_DOSSIER = /* GraphQL */ `
  mutation ConsoleExportDossier($trialId: String!, $modelVersion: String, $options: CommandOptionsInput) {
    exportDossier(trialId: $trialId, modelVersion: $modelVersion, options: $options) {
      trialId
      modelVersion
      downloadUrl
      downloadExpiresAt
      sha256
      bytes
      eventCount
      decisionCount
      publicKey
      checkpoint { origin treeSize rootHash issuedAt reused }
      verification { ok checks { check status detail failures } }
      checklists {
        filledFromLedger
        forPeople
        items { checklist item title status evidence evidenceTruncated sourceEventIds sourceEventCount why score { points min max remainderForPeople } }
        rqs { ledgerScore possibleMin possibleMax maximum ledgerPercent }
      }
    }
  }
`;

const REVIEW_ENTRY = 'globalPosition eventId eventType eventHash recordedAt actor actorName role reason summary siteId subjectId';

/** Saved audit reviews (QA): each answers its rows and the resultSha256 a completed review binds. */
export const REVIEW_EDITS_AFTER_LOCK = /* GraphQL */ `
  query ConsoleReviewEditsAfterLock($trialId: ID!) {
    editsAfterLock(trialId: $trialId) { query parametersJson resultSha256 truncated rows { ${REVIEW_ENTRY} } }
  }
`;

export const REVIEW_OUTSIDE_SITE_HOURS = /* GraphQL */ `
  query ConsoleReviewOutsideSiteHours($trialId: ID!, $startHourUtc: Int!, $endHourUtc: Int!, $includeWeekends: Boolean!) {
    actionsOutsideSiteHours(trialId: $trialId, startHourUtc: $startHourUtc, endHourUtc: $endHourUtc, includeWeekends: $includeWeekends) {
      query parametersJson resultSha256 truncated rows { ${REVIEW_ENTRY} }
    }
  }
`;

export const REVIEW_UNUSUAL_VOLUME = /* GraphQL */ `
  query ConsoleReviewUnusualVolume($trialId: ID!, $factor: Float!, $minEvents: Int!) {
    unusualVolumePerUser(trialId: $trialId, factor: $factor, minEvents: $minEvents) {
      query parametersJson resultSha256 truncated rows { actor actorName day events medianPerUserDay }
    }
  }
`;

export const COMPLETE_AUDIT_REVIEW = /* GraphQL */ `
  mutation ConsoleCompleteAuditReview($input: CompleteAuditReviewInput!, $options: CommandOptionsInput) {
    completeAuditReview(input: $input, options: $options) { streamId events { eventId type hash } }
  }
`;

/** 21 CFR 11.50 signature of a recorded event; the password re-entered (11.200(a)(1)). */
export const SIGN_RECORD = /* GraphQL */ `
  mutation ConsoleSignRecord($input: SignRecordInput!, $credentials: SignerCredentialsInput, $options: CommandOptionsInput) {
    signRecord(input: $input, credentials: $credentials, options: $options) { streamId events { eventId type } }
  }
`;

export const COMPLETED_AUDIT_REVIEWS = /* GraphQL */ `
  query ConsoleCompletedAuditReviews($trialId: ID!) {
    completedAuditReviews(trialId: $trialId) {
      reviewId
      queryName
      parametersJson
      resultSha256
      conclusion
      reviewer
      event { eventId globalPosition recordedAt hash }
      signatures { signatureId signerId printedName meaning signedAt signedEventHash }
    }
  }
`;

/** Live alerts for monitors (graphql-ws subscription on /graphql). */
export const MONITOR_ALERTS = /* GraphQL */ `
  subscription ConsoleMonitorAlerts($trialId: ID!, $siteId: ID) {
    monitorAlerts(trialId: $trialId, siteId: $siteId) {
      alertId
      kind
      trialId
      siteId
      subjectId
      modelId
      modelVersion
      code
      message
      eventId
      globalPosition
      at
    }
  }
`;

/** Every document above, by name, for the schema test. */
export const CONSOLE_DOCUMENTS: Record<string, string> = {
  LOGIN,
  ME,
  LEDGER_STATUS,
  LEDGER_SIZE,
  INCLUSION_PROOF,
  RECENT_EVENTS,
  LINEAGE,
  PROV_DOCUMENT,
  COMPLIANCE,
  MODEL_VERSION,
  EXPORT_DOSSIER,
  MONITOR_ALERTS,
  REVIEW_EDITS_AFTER_LOCK,
  REVIEW_OUTSIDE_SITE_HOURS,
  REVIEW_UNUSUAL_VOLUME,
  COMPLETE_AUDIT_REVIEW,
  SIGN_RECORD,
  COMPLETED_AUDIT_REVIEWS,
};
