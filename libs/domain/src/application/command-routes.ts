import type { EventStore, RecordedEvent } from '@radledger/ledger';
import type { Decider, Command, DomainEvent } from '../shared/decider.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { imagingDecider } from '../imaging/imaging.decider.js';
import { segmentationDecider, type SegmentationState } from '../segmentation/segmentation.decider.js';
import { featuresDecider } from '../features/features.decider.js';
import { modelsDecider, type ApprovalFact } from '../models/models.decider.js';
import { decisionsDecider } from '../decisions/decisions.decider.js';
import { signaturesDecider, type SignedRecordFact } from '../signatures/signatures.decider.js';
import { accessDecider } from '../access/access.decider.js';
import { redactionDecider } from '../redaction/redaction.decider.js';
import { auditReviewDecider } from '../audit-review/audit-review.decider.js';
import type { MaskSource } from '../segmentation/mask-source.port.js';
import { loadAggregate, type LoadedAggregate } from './load-aggregate.js';
import type { CommandData, WorkflowCommandType } from './workflow-command.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, any, any, any>;

export interface FactSources {
  store: EventStore;
  masks: MaskSource;
  load<S>(streamId: string, decider: { evolve(s: S, e: never): S; initialState(): S }): Promise<LoadedAggregate<S>>;
  findEvent(eventId: string, streamId?: string): Promise<RecordedEvent | undefined>;
}

export interface CommandRoute<T extends WorkflowCommandType> {
  context: 'trial' | 'imaging' | 'segmentation' | 'features' | 'models' | 'decisions' | 'signatures' | 'access' | 'redaction' | 'audit-review';
  decider: AnyDecider;
  /** Ids the client may leave out; `newId(purpose)` is deterministic when a commandId is given. */
  prepare?(data: CommandData<T>, newId: (purpose: string) => string): CommandData<T>;
  streamId(data: CommandData<T>): string;
  /** Facts from other aggregates (and from the own stream where they need I/O, e.g. masks). */
  facts?(data: CommandData<T>, own: LoadedAggregate<unknown>, src: FactSources): Promise<unknown>;
}

const fill = <D, K extends keyof D>(data: D, key: K, newId: (p: string) => string): D => (data[key] === undefined || data[key] === null ? { ...data, [key]: newId(String(key)) } : data);

async function approvalsFor(own: LoadedAggregate<unknown>, version: string, src: FactSources): Promise<ApprovalFact[]> {
  const registered = own.events.find((e) => e.type === 'ModelRegistered' && (e.data as { version?: string }).version === version);
  if (!registered) return [];
  const sigs = await src.load(streamIds.signatures(registered.eventId), signaturesDecider);
  // Only signatures bound to the exact hash of the registration record count (21 CFR 11.70).
  return sigs.events
    .filter((e) => (e.data as { eventHash?: string }).eventHash === registered.hash)
    .map((e) => {
      const d = e.data as { signatureId: string; signerId: string; meaning: string };
      return { signatureId: d.signatureId, signerId: d.signerId, meaning: d.meaning };
    });
}

export const commandRoutes: { [T in WorkflowCommandType]: CommandRoute<T> } = {
  RegisterTrial: { context: 'trial', decider: trialDecider, streamId: (d) => streamIds.trial(d.trialId) },
  EnrollSite: { context: 'trial', decider: trialDecider, streamId: (d) => streamIds.trial(d.trialId) },
  EnrollSubject: { context: 'trial', decider: trialDecider, streamId: (d) => streamIds.trial(d.trialId) },
  DefineImagingProtocol: { context: 'trial', decider: trialDecider, streamId: (d) => streamIds.trial(d.trialId) },

  AcquireImage: {
    context: 'imaging',
    decider: imagingDecider,
    prepare: (d, id) => fill(d, 'imageId', id),
    streamId: (d) => streamIds.image(d.imageId!),
    facts: async (d, _own, src) => ({ trial: (await src.load(streamIds.trial(d.trialId), trialDecider)).state }),
  },
  ApplyPreprocessing: { context: 'imaging', decider: imagingDecider, prepare: (d, id) => fill(d, 'stepId', id), streamId: (d) => streamIds.image(d.imageId) },

  CreateSegmentation: {
    context: 'segmentation',
    decider: segmentationDecider,
    prepare: (d, id) => fill(fill(d, 'segmentationId', id), 'versionId', id),
    streamId: (d) => streamIds.segmentation(d.segmentationId!),
    facts: async (d, _own, src) => {
      const image = (await src.load(streamIds.image(d.imageId), imagingDecider)).state;
      // The mask is loaded only once the image is known, so an unknown image reports NOT_FOUND on imageId.
      return image.imageId === null ? { image } : { image, mask: await src.masks.loadMask(d.maskSha256) };
    },
  },
  EditSegmentation: {
    context: 'segmentation',
    decider: segmentationDecider,
    prepare: (d, id) => fill(d, 'versionId', id),
    streamId: (d) => streamIds.segmentation(d.segmentationId),
    facts: async (d, own, src) => {
      const parent = (own.state as SegmentationState).versions[d.parentVersionId];
      if (!parent || typeof d.maskSha256 !== 'string' || parent.maskSha256 === d.maskSha256) return {};
      const [parentMask, newMask] = await Promise.all([src.masks.loadMask(parent.maskSha256), src.masks.loadMask(d.maskSha256)]);
      return { parentMask, newMask };
    },
  },
  ReviewSegmentation: { context: 'segmentation', decider: segmentationDecider, streamId: (d) => streamIds.segmentation(d.segmentationId) },

  ComputeFeatures: {
    context: 'features',
    decider: featuresDecider,
    prepare: (d, id) => fill(d, 'featureSetId', id),
    streamId: (d) => streamIds.featureSet(d.featureSetId!),
    facts: async (d, _own, src) => ({
      image: (await src.load(streamIds.image(d.imageId), imagingDecider)).state,
      segmentation: (await src.load(streamIds.segmentation(d.segmentationId), segmentationDecider)).state,
    }),
  },
  AssignFeatureSetPartition: { context: 'features', decider: featuresDecider, streamId: (d) => streamIds.featureSet(d.featureSetId) },

  RegisterModel: { context: 'models', decider: modelsDecider, streamId: (d) => streamIds.model(d.modelId) },
  RecordChangeControlPlan: { context: 'models', decider: modelsDecider, prepare: (d, id) => fill(d, 'planId', id), streamId: (d) => streamIds.model(d.modelId) },
  RecordModelValidation: { context: 'models', decider: modelsDecider, prepare: (d, id) => fill(d, 'validationId', id), streamId: (d) => streamIds.model(d.modelId) },
  LockModel: {
    context: 'models',
    decider: modelsDecider,
    streamId: (d) => streamIds.model(d.modelId),
    facts: async (d, own, src) => ({ trial: (await src.load(streamIds.trial(d.trialId), trialDecider)).state, signatures: await approvalsFor(own, d.version, src) }),
  },
  RetireModel: { context: 'models', decider: modelsDecider, streamId: (d) => streamIds.model(d.modelId) },

  MakeDecision: {
    context: 'decisions',
    decider: decisionsDecider,
    prepare: (d, id) => fill(d, 'decisionId', id),
    streamId: (d) => streamIds.decision(d.decisionId!),
    facts: async (d, _own, src) => ({
      model: (await src.load(streamIds.model(d.modelId), modelsDecider)).state,
      featureSet: (await src.load(streamIds.featureSet(d.featureSetId), featuresDecider)).state,
    }),
  },
  OverrideDecision: { context: 'decisions', decider: decisionsDecider, streamId: (d) => streamIds.decision(d.decisionId) },

  SignRecord: {
    context: 'signatures',
    decider: signaturesDecider,
    prepare: (d, id) => fill(d, 'signatureId', id),
    streamId: (d) => streamIds.signatures(d.eventId),
    facts: async (d, _own, src) => {
      const e = await src.findEvent(d.eventId, d.streamId);
      const target: SignedRecordFact | null = e ? { eventId: e.eventId, streamId: e.streamId, type: e.type, hash: e.hash } : null;
      return { target };
    },
  },

  RedactPayload: {
    context: 'redaction',
    decider: redactionDecider,
    streamId: (d) => streamIds.redaction(d.eventId),
    facts: async (d, _own, src) => {
      const e = await src.findEvent(d.eventId, d.streamId);
      return { target: e ? { eventId: e.eventId, streamId: e.streamId, type: e.type, hash: e.hash } : null };
    },
  },

  CompleteAuditReview: {
    context: 'audit-review',
    decider: auditReviewDecider,
    prepare: (d, id) => fill(d, 'reviewId', id),
    streamId: (d) => streamIds.auditReview(d.reviewId!),
    facts: async (d, _own, src) => ({ trial: (await src.load(streamIds.trial(d.trialId), trialDecider)).state }),
  },

  RegisterUser: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  GrantRole: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  RevokeRole: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  RecordLoginSucceeded: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  RecordLoginFailed: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  RecordAccessDenied: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
  IssueApiToken: { context: 'access', decider: accessDecider, prepare: (d, id) => fill(d, 'tokenId', id), streamId: (d) => streamIds.user(d.userId) },
  RevokeApiToken: { context: 'access', decider: accessDecider, streamId: (d) => streamIds.user(d.userId) },
};

export type { Command, DomainEvent };
