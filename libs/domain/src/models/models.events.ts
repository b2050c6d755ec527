import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';
import { DecisionRuleSchema, TensorSignatureSchema, TrainingLineageSchema } from './models.commands.js';

const registeredV1 = {
  modelId: S.id(),
  version: S.id(),
  artifactSha256: S.sha256(),
  inputs: S.list(TensorSignatureSchema, { minItems: 1 }),
  outputs: S.list(TensorSignatureSchema, { minItems: 1 }),
  intendedUse: S.text(1000),
  featureCodes: S.list(S.str({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$' }), { minItems: 1 }),
  inputModality: S.optional(S.nullable(S.oneOf(IMAGING_MODALITIES))),
  decisionRule: DecisionRuleSchema,
  trainingLineage: TrainingLineageSchema,
  performance: S.list(S.obj({ metric: S.text(50), value: S.num(), ciLower: S.nullable(S.num()), ciUpper: S.nullable(S.num()), dataset: S.text(200) })),
};
export const ModelRegisteredEvent = defineEvent(
  'ModelRegistered',
  S.obj({
    ...registeredV1,
    /**
     * v2: the reference data every decision of this version is explained against (an artifact,
     * checked at registration to explain these bytes exactly); null: decisions record no explanation.
     */
    explanationReference: S.nullable(S.obj({ artifactSha256: S.sha256(), rows: S.int({ minimum: 1 }) })),
  }),
  [{ version: 1, schema: S.obj(registeredV1), upcast: (data) => ({ ...data, explanationReference: null }) }],
);
const planV1 = { modelId: S.id(), planId: S.id(), whatMayChange: S.text(4000), validationProtocol: S.text(4000), acceptanceCriteria: S.text(4000) };
export const RecordedLockGatePolicySchema = S.obj({
  allowedIntendedUses: S.list(S.text(1000), { minItems: 1 }),
  minIndependentSites: S.int({ minimum: 1 }),
  requiredMetric: S.text(50),
  minFeatureIcc: S.nullable(S.num({ minimum: 0, maximum: 1 })),
});
export const ChangeControlPlanRecordedEvent = defineEvent(
  'ChangeControlPlanRecorded',
  S.obj({ ...planV1, lockGates: S.nullable(RecordedLockGatePolicySchema) }),
  [{ version: 1, schema: S.obj(planV1), upcast: (data) => ({ ...data, lockGates: null }) }],
);
const validationV1 = { modelId: S.id(), version: S.id(), planId: S.id(), validationId: S.id(), validatedSha256: S.sha256(), results: S.numberMap(), passed: S.bool(), summary: S.text(4000) };
export const ModelValidationRecordedEvent = defineEvent(
  'ModelValidationRecorded',
  S.obj({
    ...validationV1,
    siteIds: S.list(S.id()),
    metrics: S.list(S.obj({ metric: S.text(50), value: S.num(), ciLower: S.nullable(S.num()), ciUpper: S.nullable(S.num()) })),
  }),
  [{ version: 1, schema: S.obj(validationV1), upcast: (data) => ({ ...data, siteIds: [], metrics: [] }) }],
);
const lockedV1 = {
  modelId: S.id(),
  version: S.id(),
  trialId: S.id(),
  artifactSha256: S.sha256(),
  approvalSignatureIds: S.list(S.id(), { minItems: 1 }),
  validationId: S.nullable(S.id()),
  supersedesVersion: S.nullable(S.id()),
};
export const LockGateResultSchema = S.obj({ gate: S.text(50), code: S.text(100), passed: S.bool(), detail: S.text(2000) });
export const ModelLockedEvent = defineEvent(
  'ModelLocked',
  S.obj({
    modelId: S.id(),
    version: S.id(),
    trialId: S.id(),
    artifactSha256: S.sha256(),
    /** The `approved` signatures on the version's ModelRegistered record that authorised the lock (21 CFR 11.70). */
    approvalSignatureIds: S.list(S.id(), { minItems: 1 }),
    validationId: S.nullable(S.id()),
    /** The version this lock replaces for the trial, if any. */
    supersedesVersion: S.nullable(S.id()),
    /** The change-control plan whose lock gates were checked (null: no plan sets gates). */
    planId: S.nullable(S.id()),
    /** Every gate of the plan and what it found; all passed, or there would be no lock. */
    gates: S.list(LockGateResultSchema),
  }),
  [{ version: 1, schema: S.obj(lockedV1), upcast: (data) => ({ ...data, planId: null, gates: [] }) }],
);
export const ModelRetiredEvent = defineEvent('ModelRetired', S.obj({ modelId: S.id(), version: S.id(), reason: S.sealedText(), unlockedTrialIds: S.list(S.id()) }));

export type ModelRegistered = EventOf<typeof ModelRegisteredEvent>;
export type ChangeControlPlanRecorded = EventOf<typeof ChangeControlPlanRecordedEvent>;
export type ModelValidationRecorded = EventOf<typeof ModelValidationRecordedEvent>;
export type ModelLocked = EventOf<typeof ModelLockedEvent>;
export type ModelRetired = EventOf<typeof ModelRetiredEvent>;

export const modelsEvents = [ModelRegisteredEvent, ChangeControlPlanRecordedEvent, ModelValidationRecordedEvent, ModelLockedEvent, ModelRetiredEvent] as const;
export type ModelsEvent = ModelRegistered | ChangeControlPlanRecorded | ModelValidationRecorded | ModelLocked | ModelRetired;
