import { ROLES } from '../shared/access-scope.js';
import type { RecordedEvent } from '@radledger/ledger';
import { defineAction, defineCommand, defineQuery, exposeCommand, type FactReader, type LoadedStream } from '../shared/operation.js';
import { featuresDecider } from '../features/features.decider.js';
import { reliabilityDecider } from '../reliability/reliability.decider.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import type { TargetScope } from '../shared/access-scope.js';
import { trialDecider } from '../trial/trial.decider.js';
import { signaturesDecider } from '../signatures/signatures.decider.js';
import { modelsDecider, type ApprovalFact, type LockEvidence } from './models.decider.js';
import { LockModelInput, LockModelRequest, RecordChangeControlPlanInput, RecordModelValidationInput, RegisterModelInput, RegisterModelRequest, RetireModelInput } from './models.commands.js';

export const RegisterModelCommand = defineCommand({ type: 'RegisterModel', context: 'models', input: RegisterModelInput, decider: modelsDecider, stream: (d) => streamIds.model(d.modelId) });
export const RecordChangeControlPlanCommand = defineCommand({
  type: 'RecordChangeControlPlan',
  context: 'models',
  input: RecordChangeControlPlanInput,
  decider: modelsDecider,
  prepare: (d, newId) => ({ ...d, planId: d.planId ?? newId('planId') }),
  stream: (d) => streamIds.model(d.modelId),
});
export const RecordModelValidationCommand = defineCommand({
  type: 'RecordModelValidation',
  context: 'models',
  input: RecordModelValidationInput,
  decider: modelsDecider,
  prepare: (d, newId) => ({ ...d, validationId: d.validationId ?? newId('validationId') }),
  stream: (d) => streamIds.model(d.modelId),
});
export const LockModelCommand = defineCommand({
  type: 'LockModel',
  context: 'models',
  input: LockModelInput,
  decider: modelsDecider,
  prepare: (d, newId) => (d.approval ? { ...d, approval: { ...d.approval, signatureId: d.approval.signatureId ?? newId('signatureId') } } : d),
  stream: (d) => streamIds.model(d.modelId),
  facts: async (d, own, read) => {
    const trial = (await read.load(streamIds.trial(d.trialId), trialDecider)).state;
    const registered = own.events.find((e) => e.type === 'ModelRegistered' && (e.data as { version?: string }).version === d.version);
    if (!registered) return { trial, signatures: [], registration: null };
    const lockEvidence = await lockEvidenceOf(d.trialId, registered, own, read);
    const signed = await read.load(streamIds.signatures(registered.eventId), signaturesDecider);
    // Only signatures bound to the exact hash of the registration record count (21 CFR 11.70).
    const signatures: ApprovalFact[] = signed.events
      .filter((e) => (e.data as { eventHash?: string }).eventHash === registered.hash)
      .map((e) => {
        const s = e.data as { signatureId: string; signerId: string; meaning: string };
        return { signatureId: s.signatureId, signerId: s.signerId, meaning: s.meaning };
      });
    return { trial, signatures, lockEvidence, registration: { eventId: registered.eventId, streamId: registered.streamId, hash: registered.hash, signaturesRevision: signed.expectedRevision } };
  },
});

/**
 * What the lock gates read besides the model's state (ADR 0017): who registered the version and
 * who recorded each validation (their envelopes), the sites of the training feature sets, and
 * the trial's latest feature reliability study.
 */
async function lockEvidenceOf(trialId: string, registered: RecordedEvent, own: LoadedStream, read: FactReader): Promise<LockEvidence> {
  const validators: Record<string, string> = {};
  for (const e of own.events) if (e.type === 'ModelValidationRecorded') validators[(e.data as { validationId: string }).validationId] = e.meta.actor;
  const featureSetIds = (registered.data as { trainingLineage?: { featureSetIds?: string[] } }).trainingLineage?.featureSetIds ?? [];
  const sites = new Set<string>();
  for (const id of featureSetIds) {
    const fs = (await read.load(streamIds.featureSet(id), featuresDecider)).state;
    if (fs.siteId) sites.add(fs.siteId);
  }
  const reliability = await read.load(streamIds.featureReliability(trialId), reliabilityDecider);
  return { developerId: registered.meta.actor, validators, trainingSiteIds: [...sites].sort(), featureIcc: reliability.state.studyIds.length > 0 ? reliability.state.latestIcc : null };
}
export const RetireModelCommand = defineCommand({ type: 'RetireModel', context: 'models', input: RetireModelInput, decider: modelsDecider, stream: (d) => streamIds.model(d.modelId) });

export const modelsCommands = [RegisterModelCommand, RecordChangeControlPlanCommand, RecordModelValidationCommand, LockModelCommand, RetireModelCommand] as const;

/**
 * A model belongs to the trials it is locked in (application: `record: 'model'`); a model not
 * yet locked, and a new one, to the trials its training lineage names.
 */
const ofModel = { kind: 'record', record: 'model', id: (d: { modelId: string }) => d.modelId } as const;
const newModelScope = (d: { trainingLineage: { trialIds: readonly string[] } }): TargetScope => ({ trialIds: d.trainingLineage.trialIds });

export const modelsOperations = [
  defineAction({
    field: 'registerModel',
    context: 'models',
    description: 'Register an uploaded ONNX model version; its input/output signature is read by onnxruntime. A new model belongs to the trials of its training lineage.',
    input: RegisterModelRequest,
    access: { roles: ['data-scientist'], scope: { ...ofModel, whenMissing: newModelScope } },
    records: [RegisterModelCommand],
  }),
  exposeCommand(RecordChangeControlPlanCommand, { description: 'Record a predetermined change control plan (PCCP) for a model.', access: { roles: ['data-scientist', 'regulatory'], scope: ofModel } }),
  exposeCommand(RecordModelValidationCommand, { description: 'Record the validation of a model version under a PCCP.', access: { roles: ['data-scientist', 'qa'], scope: ofModel } }),
  defineAction({
    field: 'lockModel',
    context: 'models',
    description:
      "Approve (e-signature, meaning 'approved') and lock a model version for a trial; needs the signer's password or a fresh session. The approval and the lock are recorded together, only once every gate passes.",
    input: LockModelRequest,
    access: { roles: ['regulatory', 'qa'], scope: { kind: 'input', trial: (d) => d.trialId } },
    records: [LockModelCommand],
    signs: true,
  }),
  exposeCommand(RetireModelCommand, {
    description: 'Retire a model version: no further decisions may use it. Needs the role in every trial where the version is locked.',
    access: { roles: ['regulatory', 'qa'], scope: ofModel },
  }),
  defineQuery({
    field: 'modelVersion',
    context: 'models',
    description: 'A model version (id = <modelId>@<version>): lock history, validations, PCCP, signatures.',
    input: S.obj({ id: S.ref('<modelId>@<version>') }),
    access: { roles: ROLES, scope: { kind: 'record', record: 'model-version', id: (d) => d.id } },
    result: 'rows',
  }),
] as const;
