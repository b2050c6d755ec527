import type { ReturnTypeFuncValue } from '@nestjs/graphql';
import type { ActionField, CommandResult, MutationField, QueryField } from '@radledger/domain';
import type { AuditEntry, AuditReviewResult, DecisionView, LineageGraph, ModelVersionView, Page } from '@radledger/projections';
import { CommandResultModel } from './command-io.model.js';
import { ActorModel, IssuedApiTokenModel, LoginResultModel } from './identity.models.js';
import { DossierExportModel } from './dossier-export.model.js';
import { AuditTrailConnectionModel } from '../read-models/audit-trail.model.js';
import { DecisionModel, LineageGraphModel, ProvDocumentModel } from '../read-models/lineage.model.js';
import {
  AuditReviewEntriesModel,
  AuditReviewUserVolumeModel,
  CompletedAuditReviewModel,
  LockedAlgorithmComplianceModel,
  ModelVersionModel,
  ProjectionStatusModel,
  ProtocolDeviationModel,
  TrialSiteModel,
  SegmentationEditModel,
} from '../read-models/monitoring.model.js';
import { ConsistencyProofModel, InclusionProofModel, LedgerStatusModel, LedgerVerificationModel } from '../read-models/proofs.model.js';
import { ReproductionModel } from '../read-models/reproduction.model.js';
import { ExportDownloadModel, InteropExportModel } from '../read-models/interop.model.js';
import { FeatureReliabilityModel, ImageQualityModel, ResponseAssessmentModel } from '../read-models/science.model.js';
import { jsonText, toAuditEntryModel, toDecisionModel, toGraphModel } from '../read-models/read-model.mappers.js';

/** How one operation's answer is shown in GraphQL: its object type and the mapping from the application's value. */
export interface OperationOutput {
  type: () => ReturnTypeFuncValue;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  present?: (value: any) => unknown;
}

export function toResultModel(result: CommandResult): CommandResultModel {
  return {
    streamId: result.streamId,
    nextExpectedRevision: result.nextExpectedRevision,
    events: result.events.map((e) => ({ eventId: e.eventId, type: e.type, streamId: e.streamId, globalPosition: e.globalPosition, hash: e.hash, recordedAt: e.meta.recordedAt })),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function presentResponse(view: any): unknown {
  return {
    ...view,
    baseline: view.baseline ? { ...view.baseline, criteriaJson: jsonText(view.baseline.criteria) } : null,
    readers: view.readers.map((r: { timepoints: Array<Record<string, unknown>> }) => ({
      ...r,
      timepoints: r.timepoints.map((t) => ({ ...t, lesionsJson: jsonText({ nonTarget: t['nonTarget'], newLesions: t['newLesions'] }), resolvesJson: jsonText(t['resolves']) })),
    })),
    recorded: view.recorded.map((r: { resolves: unknown }) => ({ ...r, resolvesJson: jsonText(r.resolves) })),
  };
}

const recorded: OperationOutput = { type: () => CommandResultModel, present: toResultModel };
const reviewEntries = (r: AuditReviewResult<AuditEntry>) => ({ ...r, parametersJson: jsonText(r.parameters), rows: r.rows.map(toAuditEntryModel) });

/**
 * The presentation of every declared operation. Typed over the declared fields, so a new
 * query or action without its GraphQL type fails to compile; mutations that record one
 * command answer CommandResult.
 */
export const operationOutputs: Record<QueryField | ActionField, OperationOutput> & Partial<Record<MutationField, OperationOutput>> = {
  // Queries
  me: { type: () => ActorModel },
  lineage: { type: () => LineageGraphModel, present: (g: LineageGraph) => toGraphModel(g) },
  decision: { type: () => DecisionModel, present: (v: DecisionView) => toDecisionModel(v) },
  provDocument: { type: () => ProvDocumentModel },
  interopExport: { type: () => InteropExportModel },
  auditTrail: { type: () => AuditTrailConnectionModel, present: (p: Page<AuditEntry>) => ({ pageInfo: p.pageInfo, edges: p.edges.map((e) => ({ cursor: e.cursor, node: toAuditEntryModel(e.node) })) }) },
  lockedAlgorithmCompliance: { type: () => LockedAlgorithmComplianceModel },
  modelVersion: {
    type: () => ModelVersionModel,
    present: (view: ModelVersionView) => ({
      ...view,
      trainingLineageJson: jsonText(view.trainingLineage),
      performanceJson: jsonText(view.performance),
      validations: view.validations.map(({ results, ...v }) => ({ ...v, resultsJson: jsonText(results) })),
    }),
  },
  protocolDeviations: { type: () => [ProtocolDeviationModel] },
  trialSites: { type: () => [TrialSiteModel] },
  segmentationEdits: { type: () => [SegmentationEditModel] },
  editsAfterLock: { type: () => AuditReviewEntriesModel, present: reviewEntries },
  actionsOutsideSiteHours: { type: () => AuditReviewEntriesModel, present: reviewEntries },
  unusualVolumePerUser: { type: () => AuditReviewUserVolumeModel, present: (r: AuditReviewResult<unknown>) => ({ ...r, parametersJson: jsonText(r.parameters) }) },
  completedAuditReviews: {
    type: () => [CompletedAuditReviewModel],
    present: (reviews: Array<{ parameters: unknown }>) => reviews.map(({ parameters, ...r }) => ({ ...r, parametersJson: parameters === null ? null : jsonText(parameters) })),
  },
  imageQuality: { type: () => [ImageQualityModel] },
  featureReliability: { type: () => FeatureReliabilityModel },
  responseAssessment: { type: () => ResponseAssessmentModel, present: presentResponse },
  projectionStatus: { type: () => [ProjectionStatusModel] },
  ledgerStatus: { type: () => LedgerStatusModel },
  inclusionProof: { type: () => InclusionProofModel },
  consistencyProof: { type: () => ConsistencyProofModel },
  verifyLedger: { type: () => LedgerVerificationModel },
  reproduceFeatureSet: { type: () => ReproductionModel },
  reproduceDecision: { type: () => ReproductionModel },
  // Actions
  computeFeatures: recorded,
  importFeatureSet: recorded,
  registerModel: recorded,
  assessImageQuality: recorded,
  computeFeatureReliability: recorded,
  lockModel: recorded,
  makeDecision: recorded,
  makeDecisions: { type: () => [CommandResultModel], present: (results: CommandResult[]) => results.map(toResultModel) },
  signRecord: recorded,
  completeAuditReview: recorded,
  exportDossier: { type: () => DossierExportModel },
  exportInterop: { type: () => ExportDownloadModel },
  exportDicomSr: { type: () => ExportDownloadModel },
  login: {
    type: () => LoginResultModel,
    present: (r: { token: string; expiresAt: string; user: { userId: string; printedName: string; grants: unknown[] } }) => ({ token: r.token, expiresAt: r.expiresAt, actor: { ...r.user, authMethod: 'session' } }),
  },
  changePassword: recorded,
  registerUser: recorded,
  grantRole: recorded,
  revokeRole: recorded,
  setUserPassword: recorded,
  unlockAccount: recorded,
  issueApiToken: { type: () => IssuedApiTokenModel },
  revokeApiToken: recorded,
};

export function outputOf(field: string): OperationOutput {
  return (operationOutputs as Record<string, OperationOutput | undefined>)[field] ?? recorded;
}
