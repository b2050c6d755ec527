import type { RecordedEvent } from '@radledger/ledger';
import type { ColumnValue, Projection, RowOperation, TableSchema } from '../projection.js';
import { bool, dataOf, eventColumns, EVENT_COLUMNS, json, num, obj, strings, text } from './event-fields.js';

export const MONITORING_TABLES = {
  modelVersion: 'rm_model_version',
  modelLock: 'rm_model_lock',
  trialLock: 'rm_trial_lock',
  changeControlPlan: 'rm_change_control_plan',
  modelValidation: 'rm_model_validation',
  decision: 'rm_decision',
  protocolDeviation: 'rm_protocol_deviation',
  segmentationVersion: 'rm_segmentation_version',
  segmentationReview: 'rm_segmentation_review',
  signature: 'rm_signature',
  person: 'rm_person',
  site: 'rm_site',
  imageContext: 'rm_image_context',
  auditReview: 'rm_audit_review',
} as const;
const T = MONITORING_TABLES;

const tables: TableSchema[] = [
  {
    name: T.modelVersion,
    columns: {
      model_id: 'text',
      version: 'text',
      artifact_sha256: 'text',
      intended_use: 'text',
      feature_codes: 'text',
      training_lineage: 'text',
      performance: 'text',
      registered_by: 'text',
      retired_at: 'text',
      retired_reason: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['model_id', 'version'],
  },
  {
    name: T.modelLock,
    columns: {
      trial_id: 'text',
      model_id: 'text',
      version: 'text',
      artifact_sha256: 'text',
      validation_id: 'text',
      supersedes_version: 'text',
      approval_signature_ids: 'text',
      locked_by: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['event_id'],
    indexes: [['model_id', 'version'], ['trial_id']],
  },
  {
    // The version locked now for (trial, model): what every decision is compared against at the time it is made.
    name: T.trialLock,
    columns: { trial_id: 'text', model_id: 'text', version: 'text', artifact_sha256: 'text', global_position: 'integer' },
    primaryKey: ['trial_id', 'model_id'],
  },
  {
    name: T.changeControlPlan,
    columns: {
      plan_id: 'text',
      model_id: 'text',
      what_may_change: 'text',
      validation_protocol: 'text',
      acceptance_criteria: 'text',
      recorded_by: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['plan_id'],
    indexes: [['model_id']],
  },
  {
    name: T.modelValidation,
    columns: {
      validation_id: 'text',
      model_id: 'text',
      version: 'text',
      plan_id: 'text',
      validated_sha256: 'text',
      passed: 'integer',
      summary: 'text',
      results: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['validation_id'],
    indexes: [['model_id', 'version']],
  },
  {
    name: T.decision,
    columns: {
      decision_id: 'text',
      trial_id: 'text',
      site_id: 'text',
      subject_id: 'text',
      model_id: 'text',
      model_version: 'text',
      model_sha256: 'text',
      feature_set_id: 'text',
      feature_set_sha256: 'text',
      outputs: 'text',
      threshold: 'real',
      decision: 'text',
      made_by: 'text',
      locked_version: 'text',
      locked_sha256: 'text',
      current_decision: 'text',
      overridden_by: 'text',
      overridden_at: 'text',
      override_reason: 'text',
      /** ModelDecisionMade v2: contributions as JSON (null for v1 decisions and versions without a reference). */
      explanation: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['decision_id'],
    // (model_id, model_version) had no reader: compliance groups decisions of one trial (and site).
    indexes: [['trial_id', 'site_id']],
  },
  {
    name: T.protocolDeviation,
    columns: {
      trial_id: 'text',
      site_id: 'text',
      subject_id: 'text',
      image_id: 'text',
      protocol_id: 'text',
      deviations: 'text',
      detected_by: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['event_id'],
    indexes: [['trial_id', 'global_position']],
  },
  {
    name: T.segmentationVersion,
    columns: {
      version_id: 'text',
      segmentation_id: 'text',
      parent_version_id: 'text',
      trial_id: 'text',
      site_id: 'text',
      subject_id: 'text',
      image_id: 'text',
      mask_sha256: 'text',
      parent_mask_sha256: 'text',
      method: 'text',
      region: 'text',
      tool: 'text',
      tool_version: 'text',
      volume_mm3: 'real',
      dice_vs_parent: 'real',
      volume_change_mm3: 'real',
      reason: 'text',
      actor: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['version_id'],
    // No (segmentation_id, position) index: QC reviews are looked up in the review table.
    indexes: [['trial_id', 'global_position']],
  },
  {
    name: T.segmentationReview,
    columns: { segmentation_id: 'text', version_id: 'text', verdict: 'text', comment: 'text', reviewer: 'text', ...EVENT_COLUMNS },
    primaryKey: ['event_id'],
    indexes: [['segmentation_id', 'global_position']],
  },
  {
    name: T.signature,
    columns: {
      signature_id: 'text',
      signed_event_id: 'text',
      signed_stream_id: 'text',
      signed_event_type: 'text',
      signed_event_hash: 'text',
      signer_id: 'text',
      printed_name: 'text',
      meaning: 'text',
      signed_at: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['signature_id'],
    indexes: [['signed_event_id']],
  },
  { name: T.person, columns: { user_id: 'text', printed_name: 'text' }, primaryKey: ['user_id'] },
  {
    // A site id is unique within its trial only.
    name: T.site,
    columns: { trial_id: 'text', site_id: 'text', name: 'text', enrolment_closed: 'integer', closed_reason: 'text', closed_at: 'text', closed_event_id: 'text' },
    primaryKey: ['trial_id', 'site_id'],
  },
  { name: T.imageContext, columns: { image_id: 'text', trial_id: 'text', site_id: 'text', subject_id: 'text' }, primaryKey: ['image_id'] },
  {
    // Completed audit reviews (event `AuditReviewCompleted`, proposed: not yet in libs/domain).
    name: T.auditReview,
    columns: { review_id: 'text', trial_id: 'text', query_name: 'text', parameters: 'text', result_sha256: 'text', conclusion: 'text', reviewer: 'text', ...EVENT_COLUMNS },
    primaryKey: ['review_id'],
    indexes: [['trial_id']],
  },
];

const HANDLED = new Set([
  'SiteEnrolled',
  'SiteEnrolmentClosed',
  'UserRegistered',
  'ImageAcquired',
  'ProtocolDeviationDetected',
  'SegmentationCreated',
  'SegmentationEdited',
  'SegmentationReviewed',
  'ModelRegistered',
  'ChangeControlPlanRecorded',
  'ModelValidationRecorded',
  'ModelLocked',
  'ModelRetired',
  'ModelDecisionMade',
  'DecisionOverridden',
  'RecordSigned',
  'AuditReviewCompleted',
]);

const imageContext = (imageId: string, column: string): ColumnValue => ({ lookup: { table: T.imageContext, where: { image_id: imageId }, column } });

function evolve(event: RecordedEvent): RowOperation[] {
  const d = dataOf(event);
  const e = eventColumns(event);
  const actor = event.meta?.actor ?? null;
  switch (event.type) {
    case 'SiteEnrolled': {
      const siteId = text(d, 'siteId');
      return siteId ? [{ op: 'upsert', table: T.site, row: { trial_id: text(d, 'trialId'), site_id: siteId, name: text(d, 'name'), enrolment_closed: 0 } }] : [];
    }
    case 'SiteEnrolmentClosed':
      return [
        {
          op: 'update',
          table: T.site,
          set: { enrolment_closed: 1, closed_reason: text(d, 'reason'), closed_at: e.recorded_at, closed_event_id: e.event_id },
          where: { trial_id: text(d, 'trialId') ?? '', site_id: text(d, 'siteId') ?? '' },
        },
      ];
    case 'UserRegistered': {
      const userId = text(d, 'userId');
      return userId ? [{ op: 'upsert', table: T.person, row: { user_id: userId, printed_name: text(d, 'printedName') } }] : [];
    }
    case 'ImageAcquired': {
      const imageId = text(d, 'imageId');
      if (!imageId) return [];
      return [{ op: 'upsert', table: T.imageContext, row: { image_id: imageId, trial_id: text(d, 'trialId'), site_id: text(d, 'siteId'), subject_id: text(d, 'subjectId') } }];
    }
    case 'ProtocolDeviationDetected': {
      const imageId = text(d, 'imageId') ?? '';
      return [
        {
          op: 'upsert',
          table: T.protocolDeviation,
          row: {
            trial_id: text(d, 'trialId'),
            site_id: text(d, 'siteId'),
            subject_id: imageContext(imageId, 'subject_id'),
            image_id: text(d, 'imageId'),
            protocol_id: text(d, 'protocolId'),
            deviations: json(d['deviations'] ?? []),
            detected_by: actor,
            ...e,
          },
        },
      ];
    }
    case 'SegmentationCreated': {
      const versionId = text(d, 'versionId');
      if (!versionId) return [];
      const imageId = text(d, 'imageId') ?? '';
      return [
        {
          op: 'upsert',
          table: T.segmentationVersion,
          row: {
            version_id: versionId,
            segmentation_id: text(d, 'segmentationId'),
            parent_version_id: null,
            trial_id: text(d, 'trialId'),
            site_id: imageContext(imageId, 'site_id'),
            subject_id: text(d, 'subjectId'),
            image_id: text(d, 'imageId'),
            mask_sha256: text(d, 'maskSha256'),
            parent_mask_sha256: null,
            method: text(d, 'method'),
            region: text(d, 'region'),
            tool: text(d, 'tool'),
            tool_version: text(d, 'toolVersion'),
            volume_mm3: num(d, 'volumeMm3'),
            dice_vs_parent: null,
            volume_change_mm3: null,
            reason: null,
            actor,
            ...e,
          },
        },
      ];
    }
    case 'SegmentationEdited': {
      const versionId = text(d, 'versionId');
      const parent = text(d, 'parentVersionId');
      if (!versionId || !parent) return [];
      const fromParent = (column: string): ColumnValue => ({ lookup: { table: T.segmentationVersion, where: { version_id: parent }, column } });
      return [
        {
          op: 'upsert',
          table: T.segmentationVersion,
          row: {
            version_id: versionId,
            segmentation_id: text(d, 'segmentationId'),
            parent_version_id: parent,
            trial_id: fromParent('trial_id'),
            site_id: fromParent('site_id'),
            subject_id: fromParent('subject_id'),
            image_id: fromParent('image_id'),
            mask_sha256: text(d, 'maskSha256'),
            parent_mask_sha256: text(d, 'parentMaskSha256'),
            method: fromParent('method'),
            region: fromParent('region'),
            tool: text(d, 'tool'),
            tool_version: text(d, 'toolVersion'),
            volume_mm3: num(d, 'volumeMm3'),
            dice_vs_parent: num(d, 'diceVsParent'),
            volume_change_mm3: num(d, 'volumeChangeMm3'),
            reason: text(d, 'reason') ?? event.meta?.reason ?? null,
            actor,
            ...e,
          },
        },
      ];
    }
    case 'SegmentationReviewed':
      return [
        {
          op: 'upsert',
          table: T.segmentationReview,
          row: { segmentation_id: text(d, 'segmentationId'), version_id: text(d, 'versionId'), verdict: text(d, 'verdict'), comment: text(d, 'comment'), reviewer: actor, ...e },
        },
      ];
    case 'ModelRegistered': {
      const modelId = text(d, 'modelId');
      const version = text(d, 'version');
      if (!modelId || !version) return [];
      return [
        {
          op: 'upsert',
          table: T.modelVersion,
          row: {
            model_id: modelId,
            version,
            artifact_sha256: text(d, 'artifactSha256'),
            intended_use: text(d, 'intendedUse'),
            feature_codes: json(strings(d, 'featureCodes')),
            training_lineage: json(d['trainingLineage'] ?? null),
            performance: json(d['performance'] ?? []),
            registered_by: actor,
            retired_at: null,
            retired_reason: null,
            ...e,
          },
        },
      ];
    }
    case 'ChangeControlPlanRecorded': {
      const planId = text(d, 'planId');
      if (!planId) return [];
      return [
        {
          op: 'upsert',
          table: T.changeControlPlan,
          row: {
            plan_id: planId,
            model_id: text(d, 'modelId'),
            what_may_change: text(d, 'whatMayChange'),
            validation_protocol: text(d, 'validationProtocol'),
            acceptance_criteria: text(d, 'acceptanceCriteria'),
            recorded_by: actor,
            ...e,
          },
        },
      ];
    }
    case 'ModelValidationRecorded': {
      const validationId = text(d, 'validationId');
      if (!validationId) return [];
      return [
        {
          op: 'upsert',
          table: T.modelValidation,
          row: {
            validation_id: validationId,
            model_id: text(d, 'modelId'),
            version: text(d, 'version'),
            plan_id: text(d, 'planId'),
            validated_sha256: text(d, 'validatedSha256'),
            passed: bool(d, 'passed'),
            summary: text(d, 'summary'),
            results: json(obj(d, 'results')),
            ...e,
          },
        },
      ];
    }
    case 'ModelLocked': {
      const trialId = text(d, 'trialId');
      const modelId = text(d, 'modelId');
      if (!trialId || !modelId) return [];
      return [
        {
          op: 'upsert',
          table: T.modelLock,
          row: {
            trial_id: trialId,
            model_id: modelId,
            version: text(d, 'version'),
            artifact_sha256: text(d, 'artifactSha256'),
            validation_id: text(d, 'validationId'),
            supersedes_version: text(d, 'supersedesVersion'),
            approval_signature_ids: json(strings(d, 'approvalSignatureIds')),
            locked_by: actor,
            ...e,
          },
        },
        {
          op: 'upsert',
          table: T.trialLock,
          row: { trial_id: trialId, model_id: modelId, version: text(d, 'version'), artifact_sha256: text(d, 'artifactSha256'), global_position: e.global_position },
        },
      ];
    }
    case 'ModelRetired': {
      const modelId = text(d, 'modelId');
      const version = text(d, 'version');
      if (!modelId || !version) return [];
      const operations: RowOperation[] = [
        { op: 'update', table: T.modelVersion, set: { retired_at: e.recorded_at, retired_reason: text(d, 'reason') }, where: { model_id: modelId, version } },
      ];
      for (const trialId of strings(d, 'unlockedTrialIds')) {
        operations.push({ op: 'delete', table: T.trialLock, where: { trial_id: trialId, model_id: modelId, version } });
      }
      return operations;
    }
    case 'ModelDecisionMade': {
      const decisionId = text(d, 'decisionId');
      const trialId = text(d, 'trialId');
      const modelId = text(d, 'modelId');
      if (!decisionId) return [];
      // The lock in force when the decision was recorded (not today's), so a later re-lock never rewrites history.
      const locked = (column: string): ColumnValue =>
        trialId && modelId ? { lookup: { table: T.trialLock, where: { trial_id: trialId, model_id: modelId }, column } } : null;
      return [
        {
          op: 'upsert',
          table: T.decision,
          row: {
            decision_id: decisionId,
            trial_id: trialId,
            site_id: text(d, 'siteId'),
            subject_id: text(d, 'subjectId'),
            model_id: modelId,
            model_version: text(d, 'modelVersion'),
            model_sha256: text(d, 'modelSha256'),
            feature_set_id: text(d, 'featureSetId'),
            feature_set_sha256: text(d, 'featureSetResultSha256'),
            outputs: json(obj(d, 'outputs')),
            threshold: num(d, 'threshold'),
            decision: text(d, 'decision'),
            made_by: actor,
            locked_version: locked('version'),
            locked_sha256: locked('artifact_sha256'),
            current_decision: text(d, 'decision'),
            overridden_by: null,
            overridden_at: null,
            override_reason: null,
            explanation: d['explanation'] && typeof d['explanation'] === 'object' ? json(d['explanation']) : null,
            ...e,
          },
        },
      ];
    }
    case 'DecisionOverridden': {
      const decisionId = text(d, 'decisionId');
      if (!decisionId) return [];
      return [
        {
          op: 'update',
          table: T.decision,
          set: { current_decision: text(d, 'decision'), overridden_by: actor, overridden_at: e.recorded_at, override_reason: text(d, 'reason') ?? event.meta?.reason ?? null },
          where: { decision_id: decisionId },
        },
      ];
    }
    case 'RecordSigned': {
      const signatureId = text(d, 'signatureId');
      if (!signatureId) return [];
      return [
        {
          op: 'upsert',
          table: T.signature,
          row: {
            signature_id: signatureId,
            signed_event_id: text(d, 'eventId'),
            signed_stream_id: text(d, 'streamId'),
            signed_event_type: text(d, 'eventType'),
            signed_event_hash: text(d, 'eventHash'),
            signer_id: text(d, 'signerId'),
            printed_name: text(d, 'printedName'),
            meaning: text(d, 'meaning'),
            signed_at: text(d, 'signedAt'),
            ...e,
          },
        },
      ];
    }
    case 'AuditReviewCompleted': {
      const reviewId = text(d, 'reviewId');
      if (!reviewId) return [];
      return [
        {
          op: 'upsert',
          table: T.auditReview,
          row: {
            review_id: reviewId,
            trial_id: text(d, 'trialId'),
            query_name: text(d, 'queryName'),
            parameters: json(d['parameters'] ?? null),
            result_sha256: text(d, 'resultSha256'),
            conclusion: text(d, 'conclusion'),
            reviewer: actor,
            ...e,
          },
        },
      ];
    }
    default:
      return [];
  }
}

/** What trial monitors and QA check: locks and decisions, deviations, mask versions and reviews, signatures. */
export const monitoringProjection: Projection = {
  name: 'monitoring',
  // v2: unused indexes dropped, SQLite tables keyed by their primary key (WITHOUT ROWID).
  // v3: decisions keep their explanation (ModelDecisionMade v2).
  version: 4,
  tables,
  canHandle: (type) => HANDLED.has(type),
  evolve,
};
