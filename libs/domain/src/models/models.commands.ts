import type { Command } from '../shared/decider.js';
import { S, Type, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';
import { PARTITIONS } from '../features/features.commands.js';

export const TensorSignatureSchema = S.obj({
  name: S.text(200),
  /** ONNX element type, e.g. `float32`, `int64`. */
  type: S.text(50),
  /** Dimensions; symbolic dims as strings (e.g. `batch`). */
  shape: S.list(Type.Unsafe<number | string>({ type: ['number', 'string'] })),
});
export type TensorSignature = Static<typeof TensorSignatureSchema>;

/**
 * How the locked version turns its output into a decision; part of what is locked, so a
 * threshold cannot drift between decisions (FDA: the locked algorithm includes its cut-off).
 */
export const DecisionRuleSchema = S.obj({
  /** `probability >= threshold` gives the positive label. */
  threshold: S.num({ minimum: 0, maximum: 1 }),
  positiveLabel: S.text(100),
  negativeLabel: S.text(100),
  /** Which output column is the positive-class probability; absent: the runner's default rule. */
  probabilityOutput: S.optional(S.obj({ name: S.text(100), column: S.int({ minimum: 0 }) })),
});
export type DecisionRule = Static<typeof DecisionRuleSchema>;

export const PerformanceSchema = S.obj({
  /** e.g. `AUC`, `C-index`, `sensitivity`. */
  metric: S.text(50),
  value: S.num(),
  ciLower: S.optional(S.num()),
  ciUpper: S.optional(S.num()),
  /** Which partition / cohort it was measured on. */
  dataset: S.text(200),
});
export type ReportedPerformance = Static<typeof PerformanceSchema>;

export const TrainingLineageSchema = S.obj({ featureSetIds: S.list(S.id()), trialIds: S.list(S.id()), partitions: S.list(S.oneOf(PARTITIONS)) });

/** What a data scientist sends to register an uploaded ONNX version (its tensor signature is read by onnxruntime). */
export const RegisterModelRequest = S.obj({
  modelId: S.id(),
  version: S.id(),
  artifactSha256: S.sha256('sha256 of the ONNX file answered by POST /artifacts.'),
  intendedUse: S.freeText(1000),
  featureCodes: S.list(S.text(64), { minItems: 1, description: 'IBSI feature codes in model input order.' }),
  decisionRule: DecisionRuleSchema,
  inputModality: S.optional(S.oneOf(IMAGING_MODALITIES, 'Imaging modality the features must come from (e.g. T1c).')),
  trainingLineage: TrainingLineageSchema,
  performance: S.list(PerformanceSchema),
  explanationReference: S.optional(
    S.obj(
      { artifactSha256: S.sha256('sha256 of the reference rows answered by POST /artifacts: JSON { featureCodes, rows } in input order, e.g. the training partition.') },
      'Reference data the decisions of this version are explained against (linear baseline, TreeSHAP node covers).',
    ),
  ),
});

export const RegisterModelInput = S.obj({
  ...RegisterModelRequest.properties,
  /** `rows`: counted by the application when it checked the reference against the model bytes. */
  explanationReference: S.optional(S.nullable(S.obj({ artifactSha256: S.sha256(), rows: S.int({ minimum: 1 }) }))),
  inputs: S.list(TensorSignatureSchema, { minItems: 1 }),
  outputs: S.list(TensorSignatureSchema, { minItems: 1 }),
});
/** A metric of a validation with its confidence interval (FDA PCCP guidance: performance with CIs). */
export const ValidationMetricSchema = S.obj({
  /** `AUC` for classifiers, `C-index` for survival models, or any other named metric. */
  metric: S.text(50),
  value: S.num(),
  ciLower: S.optional(S.nullable(S.num())),
  ciUpper: S.optional(S.nullable(S.num())),
});

/**
 * What the plan requires before any version of the model is locked (lock gates, issue 15;
 * libs/domain/src/models/lock-gates.ts). Absent: the plan sets no gates (ADR 0017).
 */
export const LockGatePolicySchema = S.obj({
  allowedIntendedUses: S.list(S.freeText(1000), { minItems: 1, maxItems: 20, description: 'Intended-use statements the plan allows (compared without case and spacing).' }),
  minIndependentSites: S.optional(S.int({ minimum: 1, maximum: 100, description: 'Validation sites not used for training (default 3).' })),
  requiredMetric: S.optional(S.oneOf(['AUC', 'C-index'] as const, 'AUC for classifiers (default), C-index for survival models; reported with its 95% CI.')),
  minFeatureIcc: S.optional(S.nullable(S.num({ minimum: 0, maximum: 1, description: 'Every model input must reach this ICC in a recorded reliability study (e.g. 0.75); absent: no reliability gate.' }))),
});

export const RecordChangeControlPlanInput = S.obj({
  modelId: S.id(),
  planId: S.optional(S.id()),
  whatMayChange: S.freeText(4000),
  validationProtocol: S.freeText(4000),
  acceptanceCriteria: S.freeText(4000),
  lockGates: S.optional(S.named('LockGatePolicyInput', LockGatePolicySchema)),
});
export const RecordModelValidationInput = S.obj({
  modelId: S.id(),
  version: S.id(),
  planId: S.id(),
  validationId: S.optional(S.id()),
  results: S.numberMap(),
  passed: S.bool(),
  summary: S.freeText(4000),
  /** Sites whose data the validation used (lock gate: at least N not used for training). */
  siteIds: S.optional(S.list(S.id(), { maxItems: 200 })),
  metrics: S.optional(S.list(S.named('ValidationMetricInput', ValidationMetricSchema), { maxItems: 50 })),
});
export const LockModelRequest = S.obj({ modelId: S.id(), version: S.id(), trialId: S.id() });
/**
 * The lock and the approval it rests on are one decision (21 CFR 11.50, 11.70): `approval` is the
 * e-signature of the verified signer, recorded only when every gate of the lock passes.
 */
export const LockModelInput = S.obj({
  ...LockModelRequest.properties,
  approval: S.optional(S.obj({ signatureId: S.optional(S.id()), printedName: S.text(200) })),
});
export const RetireModelInput = S.obj({ modelId: S.id(), version: S.id(), reason: S.optional(S.reason()) });

export type RegisterModel = Command<'RegisterModel', Static<typeof RegisterModelInput>>;
/** Predetermined change control plan (FDA PCCP guidance). */
export type RecordChangeControlPlan = Command<'RecordChangeControlPlan', Static<typeof RecordChangeControlPlanInput>>;
export type RecordModelValidation = Command<'RecordModelValidation', Static<typeof RecordModelValidationInput>>;
export type LockModel = Command<'LockModel', Static<typeof LockModelInput>>;
export type RetireModel = Command<'RetireModel', Static<typeof RetireModelInput>>;

export type ModelsCommand = RegisterModel | RecordChangeControlPlan | RecordModelValidation | LockModel | RetireModel;
