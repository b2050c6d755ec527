import type { RecordedEvent } from '@radledger/ledger';
import type { ColumnValue, Projection, RowOperation, SqlScalar, TableSchema } from '../projection.js';
import { dataOf, EVENT_COLUMNS, json, num, text, type EventData } from './event-fields.js';

export const AUDIT_ENTRY_TABLE = 'rm_audit_entry';
/** Trial, site and subject of each entity, for events that only name the entity they touch. */
export const AUDIT_CONTEXT_TABLE = 'rm_audit_context';

const tables: TableSchema[] = [
  {
    name: AUDIT_ENTRY_TABLE,
    columns: {
      ...EVENT_COLUMNS,
      stream_id: 'text',
      trial_id: 'text',
      site_id: 'text',
      subject_id: 'text',
      entity_id: 'text',
      actor: 'text',
      role: 'text',
      on_behalf_of: 'text',
      reason: 'text',
      client: 'text',
      summary: 'text',
      before_state: 'text',
      after_state: 'text',
    },
    primaryKey: ['global_position'],
    // Every filter is paged by position: (filter column, position) keeps a 100-row page an index range scan.
    indexes: [
      ['trial_id', 'global_position'],
      ['site_id', 'global_position'],
      ['subject_id', 'global_position'],
      ['actor', 'global_position'],
      ['event_type', 'global_position'],
      ['recorded_at', 'global_position'],
    ],
  },
  {
    name: AUDIT_CONTEXT_TABLE,
    columns: { entity_id: 'text', trial_id: 'text', site_id: 'text', subject_id: 'text' },
    primaryKey: ['entity_id'],
  },
];

interface Entry {
  entityId: string | null;
  trialId?: ColumnValue;
  siteId?: ColumnValue;
  subjectId?: ColumnValue;
  summary: string;
  before?: unknown;
  after?: unknown;
  /** Registers the entity's context for later events. */
  defines?: { entityId: string; trialId: SqlScalar | ColumnValue; siteId: SqlScalar | ColumnValue; subjectId: SqlScalar | ColumnValue };
}

const ctx = (entityId: string, column: 'trial_id' | 'site_id' | 'subject_id'): ColumnValue => ({
  lookup: { table: AUDIT_CONTEXT_TABLE, where: { entity_id: entityId }, column },
});
const contextFrom = (entityId: string) => ({ trialId: ctx(entityId, 'trial_id'), siteId: ctx(entityId, 'site_id'), subjectId: ctx(entityId, 'subject_id') });

/** Who/what/when/why per event type, and before/after for edits and corrections (21 CFR 11.10(e)). */
function describe(event: RecordedEvent, d: EventData): Entry {
  const trialId = text(d, 'trialId');
  const siteId = text(d, 'siteId');
  const subjectId = text(d, 'subjectId');
  switch (event.type) {
    case 'TrialRegistered':
      return { entityId: `trial:${trialId}`, trialId, summary: `trial ${trialId} registered: ${text(d, 'title') ?? ''}`.trim() };
    case 'SiteEnrolled':
      return { entityId: `site:${siteId}`, trialId, siteId, summary: `site ${siteId} enrolled in ${trialId}` };
    case 'SubjectEnrolled':
      return {
        entityId: `subject:${subjectId}`,
        trialId,
        siteId,
        subjectId,
        summary: `subject ${subjectId} enrolled at ${siteId}`,
        defines: { entityId: `subject:${subjectId}`, trialId, siteId, subjectId },
      };
    case 'ImagingProtocolDefined':
      return { entityId: `protocol:${text(d, 'protocolId')}`, trialId, summary: `imaging protocol ${text(d, 'protocolId')} defined for ${text(d, 'modality')}` };
    case 'ImageAcquired': {
      const entityId = `image:${text(d, 'imageId')}`;
      return {
        entityId,
        trialId,
        siteId,
        subjectId,
        summary: `${text(d, 'modality')} image ${text(d, 'imageId')} acquired`,
        after: { artifactSha256: text(d, 'artifactSha256') },
        defines: { entityId, trialId, siteId, subjectId },
      };
    }
    case 'ProtocolDeviationDetected':
      return {
        entityId: `image:${text(d, 'imageId')}`,
        trialId,
        siteId,
        subjectId: ctx(`image:${text(d, 'imageId')}`, 'subject_id'),
        summary: `protocol deviation on image ${text(d, 'imageId')}`,
        after: { deviations: d['deviations'] ?? null },
      };
    case 'PreprocessingApplied': {
      const image = `image:${text(d, 'imageId')}`;
      return {
        entityId: image,
        ...contextFrom(image),
        summary: `preprocessing ${text(d, 'stepId')} (${text(d, 'tool')} ${text(d, 'toolVersion')}) on image ${text(d, 'imageId')}`,
        before: { sha256: text(d, 'inputSha256') },
        after: { sha256: text(d, 'outputSha256') },
      };
    }
    case 'SegmentationCreated': {
      const entityId = `segmentation:${text(d, 'segmentationId')}`;
      const image = `image:${text(d, 'imageId')}`;
      return {
        entityId,
        trialId,
        siteId: ctx(image, 'site_id'),
        subjectId,
        summary: `segmentation ${text(d, 'segmentationId')} created (${text(d, 'method')}, ${text(d, 'region')}), version ${text(d, 'versionId')}`,
        after: { versionId: text(d, 'versionId'), maskSha256: text(d, 'maskSha256'), volumeMm3: num(d, 'volumeMm3') },
        defines: { entityId, trialId, siteId: ctx(image, 'site_id'), subjectId },
      };
    }
    case 'SegmentationEdited': {
      const entityId = `segmentation:${text(d, 'segmentationId')}`;
      const volume = num(d, 'volumeMm3');
      const change = num(d, 'volumeChangeMm3');
      return {
        entityId,
        ...contextFrom(entityId),
        summary: `segmentation ${text(d, 'segmentationId')} edited: version ${text(d, 'parentVersionId')} → ${text(d, 'versionId')} (Dice ${num(d, 'diceVsParent') ?? '?'})`,
        before: {
          versionId: text(d, 'parentVersionId'),
          maskSha256: text(d, 'parentMaskSha256'),
          volumeMm3: volume !== null && change !== null ? volume - change : null,
        },
        after: {
          versionId: text(d, 'versionId'),
          maskSha256: text(d, 'maskSha256'),
          volumeMm3: volume,
          diceVsParent: num(d, 'diceVsParent'),
          volumeChangeMm3: change,
        },
      };
    }
    case 'SegmentationReviewed': {
      const entityId = `segmentation:${text(d, 'segmentationId')}`;
      return {
        entityId,
        ...contextFrom(entityId),
        summary: `segmentation ${text(d, 'segmentationId')} version ${text(d, 'versionId')} reviewed: ${text(d, 'verdict')}`,
        after: { verdict: text(d, 'verdict'), comment: text(d, 'comment') },
      };
    }
    case 'FeaturesComputed': {
      const entityId = `featureset:${text(d, 'featureSetId')}`;
      return {
        entityId,
        trialId,
        siteId,
        subjectId,
        summary: `feature set ${text(d, 'featureSetId')} computed from image ${text(d, 'imageId')} and mask ${text(d, 'maskVersionId')}`,
        after: { resultSha256: text(d, 'resultSha256') },
        defines: { entityId, trialId, siteId, subjectId },
      };
    }
    case 'FeatureSetPartitionAssigned': {
      const entityId = `featureset:${text(d, 'featureSetId')}`;
      return {
        entityId,
        ...contextFrom(entityId),
        summary: `feature set ${text(d, 'featureSetId')} assigned to ${text(d, 'partition')}`,
        before: { partition: text(d, 'previousPartition') },
        after: { partition: text(d, 'partition') },
      };
    }
    case 'ModelRegistered':
      return {
        entityId: `model:${text(d, 'modelId')}@${text(d, 'version')}`,
        summary: `model ${text(d, 'modelId')} ${text(d, 'version')} registered`,
        after: { artifactSha256: text(d, 'artifactSha256') },
      };
    case 'ChangeControlPlanRecorded':
      return { entityId: `model:${text(d, 'modelId')}`, summary: `change control plan ${text(d, 'planId')} recorded for ${text(d, 'modelId')}` };
    case 'ModelValidationRecorded':
      return {
        entityId: `model:${text(d, 'modelId')}@${text(d, 'version')}`,
        summary: `validation ${text(d, 'validationId')} of ${text(d, 'modelId')} ${text(d, 'version')}: ${d['passed'] === true ? 'passed' : 'failed'}`,
      };
    case 'ModelLocked':
      return {
        entityId: `model:${text(d, 'modelId')}@${text(d, 'version')}`,
        trialId,
        summary: `model ${text(d, 'modelId')} ${text(d, 'version')} locked for ${trialId}`,
        before: { version: text(d, 'supersedesVersion') },
        after: { version: text(d, 'version'), artifactSha256: text(d, 'artifactSha256') },
      };
    case 'ModelRetired':
      return { entityId: `model:${text(d, 'modelId')}@${text(d, 'version')}`, summary: `model ${text(d, 'modelId')} ${text(d, 'version')} retired` };
    case 'ModelDecisionMade': {
      const entityId = `decision:${text(d, 'decisionId')}`;
      return {
        entityId,
        trialId,
        siteId,
        subjectId,
        summary: `decision ${text(d, 'decisionId')} by ${text(d, 'modelId')} ${text(d, 'modelVersion')}: ${text(d, 'decision')}`,
        after: { decision: text(d, 'decision'), modelSha256: text(d, 'modelSha256') },
        defines: { entityId, trialId, siteId, subjectId },
      };
    }
    case 'DecisionOverridden': {
      const entityId = `decision:${text(d, 'decisionId')}`;
      return {
        entityId,
        ...contextFrom(entityId),
        summary: `decision ${text(d, 'decisionId')} overridden: ${text(d, 'previousDecision')} → ${text(d, 'decision')}`,
        before: { decision: text(d, 'previousDecision') },
        after: { decision: text(d, 'decision') },
      };
    }
    case 'RecordSigned':
      return {
        entityId: `event:${text(d, 'eventId')}`,
        // The signed record's context, when it is an entity we know (its stream names it).
        ...contextFrom(streamEntity(text(d, 'streamId')) ?? `event:${text(d, 'eventId')}`),
        summary: `${text(d, 'eventType')} ${text(d, 'eventId')} signed (${text(d, 'meaning')}) by ${text(d, 'printedName')}`,
        after: { meaning: text(d, 'meaning'), printedName: text(d, 'printedName'), signedAt: text(d, 'signedAt'), eventHash: text(d, 'eventHash') },
      };
    default: {
      const userId = text(d, 'userId');
      const before = event.type === 'RoleRevoked' ? { role: text(d, 'role'), trialId, siteId } : undefined;
      const after = event.type === 'RoleGranted' ? { role: text(d, 'role'), trialId, siteId } : undefined;
      return { entityId: userId ? `user:${userId}` : null, trialId, siteId, subjectId, summary: `${event.type}${userId ? ` (${userId})` : ''}`, before, after };
    }
  }
}

/** `segmentation-<id>` → `segmentation:<id>` (the stream naming convention of libs/domain). */
function streamEntity(streamId: string | null): string | null {
  const match = streamId?.match(/^(segmentation|image|featureset|decision)-(.+)$/);
  return match ? `${match[1]}:${match[2]}` : null;
}

function evolve(event: RecordedEvent): RowOperation[] {
  const d = dataOf(event);
  const entry = describe(event, d);
  const meta = event.meta ?? ({} as RecordedEvent['meta']);
  const operations: RowOperation[] = [];
  if (entry.defines) {
    operations.push({
      op: 'upsert',
      table: AUDIT_CONTEXT_TABLE,
      row: {
        entity_id: entry.defines.entityId,
        trial_id: entry.defines.trialId ?? null,
        site_id: entry.defines.siteId ?? null,
        subject_id: entry.defines.subjectId ?? null,
      },
    });
  }
  operations.push({
    op: 'upsert',
    table: AUDIT_ENTRY_TABLE,
    row: {
      event_id: event.eventId,
      event_type: event.type,
      event_hash: event.hash,
      global_position: Number(event.globalPosition),
      recorded_at: meta.recordedAt ?? null,
      stream_id: event.streamId,
      trial_id: entry.trialId ?? null,
      site_id: entry.siteId ?? null,
      subject_id: entry.subjectId ?? null,
      entity_id: entry.entityId,
      actor: meta.actor ?? null,
      role: meta.role ?? null,
      on_behalf_of: meta.onBehalfOf ?? null,
      reason: meta.reason ?? text(d, 'reason'),
      client: meta.client ?? null,
      summary: entry.summary,
      before_state: json(entry.before),
      after_state: json(entry.after),
    },
  });
  return operations;
}

/** One row per ledger event: who, what, when, why, and before/after for edits. */
export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  // v2: SQLite context table keyed by its primary key (WITHOUT ROWID).
  version: 2,
  tables,
  canHandle: () => true,
  evolve,
};
