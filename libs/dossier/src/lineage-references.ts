/**
 * What one event contributes to the lineage and what it points at, as keys
 * (`image:<id>`, `mask:<versionId>`, `featureset:<id>`, `model:<id>@<version>`, …). A dossier's
 * lineage is complete when every required key is provided by some event in the bundle.
 * Used by the offline verifier; pure and small on purpose, so an auditor can read it.
 */
export interface EventReferences {
  provides: string[];
  requires: string[];
}

type Data = Record<string, unknown>;

export interface ReferenceOptions {
  /** The bundle includes the training data lineage of model versions (manifest scope). */
  trainingLineage: boolean;
}

export function eventReferences(event: { eventId: string; type: string; data: unknown }, options: ReferenceOptions): EventReferences {
  const d = (event.data ?? {}) as Data;
  const v = (k: string) => String(d[k]);
  const provides = [`event:${event.eventId}`];
  const requires: string[] = [];
  const trialCtx = () => {
    requires.push(`trial:${v('trialId')}`);
    if (typeof d['siteId'] === 'string') requires.push(`site:${v('trialId')}/${v('siteId')}`);
    if (typeof d['subjectId'] === 'string') requires.push(`subject:${v('trialId')}/${v('subjectId')}`);
  };
  switch (event.type) {
    case 'TrialRegistered':
      provides.push(`trial:${v('trialId')}`);
      break;
    case 'SiteEnrolled':
      provides.push(`site:${v('trialId')}/${v('siteId')}`);
      requires.push(`trial:${v('trialId')}`);
      break;
    case 'SubjectEnrolled':
      provides.push(`subject:${v('trialId')}/${v('subjectId')}`);
      trialCtx();
      break;
    case 'ImagingProtocolDefined':
      provides.push(`protocol:${v('trialId')}/${v('protocolId')}`);
      requires.push(`trial:${v('trialId')}`);
      break;
    case 'ImageAcquired':
      provides.push(`image:${v('imageId')}`);
      trialCtx();
      if (typeof d['protocolId'] === 'string') requires.push(`protocol:${v('trialId')}/${v('protocolId')}`);
      break;
    case 'PreprocessingApplied':
    case 'ProtocolDeviationDetected':
      requires.push(`image:${v('imageId')}`);
      break;
    case 'SegmentationCreated':
      provides.push(`mask:${v('versionId')}`);
      requires.push(`image:${v('imageId')}`);
      break;
    case 'SegmentationEdited':
      provides.push(`mask:${v('versionId')}`);
      requires.push(`mask:${v('parentVersionId')}`);
      break;
    case 'SegmentationReviewed':
      requires.push(`mask:${v('versionId')}`);
      break;
    case 'FeaturesComputed':
      provides.push(`featureset:${v('featureSetId')}`);
      requires.push(`image:${v('imageId')}`, `mask:${v('maskVersionId')}`);
      trialCtx();
      break;
    case 'FeatureSetPartitionAssigned':
      requires.push(`featureset:${v('featureSetId')}`);
      break;
    case 'ModelRegistered': {
      provides.push(`model:${v('modelId')}@${v('version')}`);
      const lineage = (d['trainingLineage'] ?? {}) as { featureSetIds?: unknown };
      if (options.trainingLineage && Array.isArray(lineage.featureSetIds)) for (const f of lineage.featureSetIds) requires.push(`featureset:${String(f)}`);
      break;
    }
    case 'ChangeControlPlanRecorded':
      provides.push(`pccp:${v('modelId')}/${v('planId')}`);
      break;
    case 'ModelValidationRecorded':
      provides.push(`validation:${v('modelId')}/${v('validationId')}`);
      requires.push(`model:${v('modelId')}@${v('version')}`, `pccp:${v('modelId')}/${v('planId')}`);
      break;
    case 'ModelLocked': {
      requires.push(`model:${v('modelId')}@${v('version')}`, `trial:${v('trialId')}`);
      if (typeof d['validationId'] === 'string') requires.push(`validation:${v('modelId')}/${v('validationId')}`);
      for (const sig of Array.isArray(d['approvalSignatureIds']) ? d['approvalSignatureIds'] : []) requires.push(`signature:${String(sig)}`);
      break;
    }
    case 'ModelRetired':
      requires.push(`model:${v('modelId')}@${v('version')}`);
      break;
    case 'ModelDecisionMade':
      provides.push(`decision:${v('decisionId')}`);
      requires.push(`featureset:${v('featureSetId')}`, `model:${v('modelId')}@${v('modelVersion')}`);
      trialCtx();
      break;
    case 'DecisionOverridden':
      requires.push(`decision:${v('decisionId')}`);
      break;
    case 'RecordSigned':
      provides.push(`signature:${v('signatureId')}`);
      // 21 CFR 11.70: the signature names the signed record by id and hash; both must be in the bundle.
      requires.push(`event:${v('eventId')}#${v('eventHash')}`);
      break;
  }
  return { provides, requires };
}
