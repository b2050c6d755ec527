import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFeatureCode } from '../features/features.decider.js';
import { requireFiniteNumber, requireFreeText, requireId, requireOneOf, requireSha256, requireText, requireReason } from '../shared/guards.js';
import { PARTITIONS } from '../features/features.commands.js';
import { IMAGING_MODALITIES, type ImagingModality } from '../imaging/imaging-modality.js';
import type { TrialState } from '../trial/trial.decider.js';
import type { DecisionRule, ModelsCommand, TensorSignature } from './models.commands.js';
import type { ModelsEvent } from './models.events.js';
import type { RecordSigned } from '../signatures/signatures.events.js';
import { streamIds } from '../shared/stream-ids.js';
import { DEFAULT_LOCK_GATE_POLICY, evaluateLockGates, type LockGateResult } from './lock-gates.js';

export interface ModelVersionState {
  version: string;
  artifactSha256: string;
  featureCodes: readonly string[];
  /** Null only for versions recorded before decision rules were part of a registration. */
  decisionRule: DecisionRule | null;
  /** Null: the registration did not restrict the modality. */
  inputModality: ImagingModality | null;
  status: 'registered' | 'locked' | 'retired';
  /** Index in registration order: 0 is the first version of the model. */
  ordinal: number;
  intendedUse?: string;
  validations: ReadonlyArray<RecordedValidation>;
  /** What this version's decisions are explained against (null: no explanation is recorded). */
  explanationReference?: { artifactSha256: string; rows: number } | null;
}

export interface RecordedValidation {
  validationId: string;
  planId: string;
  passed: boolean;
  validatedSha256: string;
  siteIds: readonly string[];
  metrics: ReadonlyArray<{ metric: string; value: number; ciLower: number | null; ciUpper: number | null }>;
}

export type RecordedLockGatePolicy = { allowedIntendedUses: string[]; minIndependentSites: number; requiredMetric: string; minFeatureIcc: number | null };

export interface ModelState {
  modelId: string | null;
  versions: Readonly<Record<string, ModelVersionState>>;
  plans: Readonly<Record<string, { planId: string; lockGates: RecordedLockGatePolicy | null }>>;
  /** Plan ids in the order they were recorded (the latest plan with gates applies when no validation names one). */
  planOrder?: readonly string[];
  /** trialId → locked version. */
  lockedByTrial: Readonly<Record<string, string>>;
}

/** A signature on the version's ModelRegistered record, read from its `signatures-` stream. */
export interface ApprovalFact {
  signatureId: string;
  signerId: string;
  meaning: string;
}

export interface ModelsFacts {
  /** LockModel: signatures on the version's ModelRegistered event, and the trial. */
  signatures?: ApprovalFact[];
  trial?: TrialState;
  /** LockModel: the version's registration record, which an approval signature binds (its hash), and its signatures stream's revision. */
  registration?: { eventId: string; streamId: string; hash: string; signaturesRevision: number | 'no-stream' } | null;
  /** LockModel: who recorded what (from the envelopes), the training sites and the trial's feature reliability. */
  lockEvidence?: LockEvidence;
}

export interface LockEvidence {
  /** The actor who registered the version (its developer). */
  developerId: string | null;
  /** validationId → the actor who recorded it. */
  validators: Readonly<Record<string, string>>;
  /** Sites of the training lineage's feature sets. */
  trainingSiteIds: readonly string[];
  /** The latest reliability study of the trial: IBSI code → ICC deciding (ICC(2,1) by default). */
  featureIcc: Readonly<Record<string, number>> | null;
}

export function initialState(): ModelState {
  return { modelId: null, versions: {}, plans: {}, planOrder: [], lockedByTrial: {} };
}

function requireTensors(field: string, value: unknown): TensorSignature[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('REQUIRED', `${field}: expected at least one { name, type, shape }`, { field });
  return value.map((t: TensorSignature, i) => {
    if (!t || !Array.isArray(t.shape)) throw new ValidationError('INVALID_SIGNATURE', `${field}[${i}].shape: expected an array of dims`, { field: `${field}[${i}].shape` });
    return {
      name: requireText(`${field}[${i}].name`, t.name, 200),
      type: requireText(`${field}[${i}].type`, t.type, 50),
      shape: t.shape.map((s, j) => (typeof s === 'string' ? requireText(`${field}[${i}].shape[${j}]`, s, 50) : requireFiniteNumber(`${field}[${i}].shape[${j}]`, s, { min: -1 }))),
    };
  });
}

function requireVersion(state: ModelState, modelId: string, version: string): ModelVersionState {
  const v = state.versions[version];
  if (!v) throw new NotFoundError(`version: model ${modelId} has no version ${version}`, { field: 'version' });
  return v;
}

function requireStringList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new ValidationError('REQUIRED', `${field}: expected a list`, { field });
  return value.map((v, i) => requireId(`${field}[${i}]`, v));
}

export function decide(command: ModelsCommand, state: ModelState, ctx: CommandContext<ModelsFacts>): ModelsEvent[] {
  switch (command.type) {
    case 'RegisterModel': {
      const d = command.data;
      const modelId = requireId('modelId', d.modelId);
      const version = requireId('version', d.version);
      if (state.versions[version]) throw new IllegalStateError('MODEL_VERSION_EXISTS', `version: model ${modelId} already has version ${version}`, { field: 'version' });
      const artifactSha256 = requireSha256('artifactSha256', d.artifactSha256);
      if (!Array.isArray(d.featureCodes)) throw new ValidationError('REQUIRED', 'featureCodes: expected a list', { field: 'featureCodes' });
      const featureCodes = d.featureCodes.map((c, i) => requireFeatureCode(`featureCodes[${i}]`, c));
      if (featureCodes.length === 0) throw new ValidationError('REQUIRED', 'featureCodes: expected the IBSI codes the model reads', { field: 'featureCodes' });
      const lineage = d.trainingLineage;
      if (!lineage || typeof lineage !== 'object') throw new ValidationError('REQUIRED', 'trainingLineage: expected { featureSetIds, trialIds, partitions }', { field: 'trainingLineage' });
      if (!Array.isArray(d.performance)) throw new ValidationError('REQUIRED', 'performance: expected a list of reported metrics', { field: 'performance' });
      const decisionRule = requireDecisionRule(d.decisionRule);
      const inputModality = d.inputModality === undefined || d.inputModality === null ? null : requireOneOf('inputModality', d.inputModality, IMAGING_MODALITIES);
      return [
        {
          type: 'ModelRegistered',
          data: {
            modelId,
            version,
            artifactSha256,
            inputs: requireTensors('inputs', d.inputs),
            outputs: requireTensors('outputs', d.outputs),
            intendedUse: requireFreeText('intendedUse', d.intendedUse, 1000),
            featureCodes,
            decisionRule,
            inputModality,
            trainingLineage: {
              featureSetIds: requireStringList('trainingLineage.featureSetIds', lineage.featureSetIds),
              trialIds: requireStringList('trainingLineage.trialIds', lineage.trialIds),
              partitions: (lineage.partitions ?? []).map((p, i) => requireOneOf(`trainingLineage.partitions[${i}]`, p, PARTITIONS)),
            },
            performance: d.performance.map((p, i) => ({
              metric: requireText(`performance[${i}].metric`, p.metric, 50),
              value: requireFiniteNumber(`performance[${i}].value`, p.value),
              ciLower: p.ciLower === undefined || p.ciLower === null ? null : requireFiniteNumber(`performance[${i}].ciLower`, p.ciLower),
              ciUpper: p.ciUpper === undefined || p.ciUpper === null ? null : requireFiniteNumber(`performance[${i}].ciUpper`, p.ciUpper),
              dataset: requireText(`performance[${i}].dataset`, p.dataset, 200),
            })),
            explanationReference: explanationReferenceOf(d.explanationReference),
          },
        },
      ];
    }
    case 'RecordChangeControlPlan': {
      const d = command.data;
      const modelId = requireId('modelId', d.modelId);
      if (state.modelId === null) throw new NotFoundError(`modelId: model ${modelId} is not registered`, { field: 'modelId' });
      const planId = requireId('planId', d.planId);
      if (state.plans[planId]) throw new IllegalStateError('PLAN_ALREADY_RECORDED', `planId: plan ${planId} is already recorded for model ${modelId}`, { field: 'planId' });
      return [
        {
          type: 'ChangeControlPlanRecorded',
          data: {
            modelId,
            planId,
            whatMayChange: requireFreeText('whatMayChange', d.whatMayChange, 4000),
            validationProtocol: requireFreeText('validationProtocol', d.validationProtocol, 4000),
            acceptanceCriteria: requireFreeText('acceptanceCriteria', d.acceptanceCriteria, 4000),
            lockGates: requireLockGatePolicy(d.lockGates),
          },
        },
      ];
    }
    case 'RecordModelValidation': {
      const d = command.data;
      const modelId = requireId('modelId', d.modelId);
      if (state.modelId === null) throw new NotFoundError(`modelId: model ${modelId} is not registered`, { field: 'modelId' });
      const v = requireVersion(state, modelId, requireId('version', d.version));
      const planId = requireId('planId', d.planId);
      if (!state.plans[planId]) throw new NotFoundError(`planId: model ${modelId} has no change control plan ${planId}`, { field: 'planId' });
      if (typeof d.passed !== 'boolean') throw new ValidationError('REQUIRED', 'passed: expected true or false', { field: 'passed' });
      const results: Record<string, number> = {};
      for (const [k, val] of Object.entries(d.results ?? {})) results[requireText(`results.${k}`, k, 64)] = requireFiniteNumber(`results.${k}`, val);
      return [
        {
          type: 'ModelValidationRecorded',
          data: {
            modelId,
            version: v.version,
            planId,
            validationId: requireId('validationId', d.validationId),
            validatedSha256: v.artifactSha256,
            results,
            passed: d.passed,
            summary: requireFreeText('summary', d.summary, 4000),
            siteIds: [...new Set(requireStringList('siteIds', d.siteIds ?? []))].sort(),
            metrics: (d.metrics ?? []).map((m, i) => {
              const ciLower = m.ciLower === undefined || m.ciLower === null ? null : requireFiniteNumber(`metrics[${i}].ciLower`, m.ciLower);
              const ciUpper = m.ciUpper === undefined || m.ciUpper === null ? null : requireFiniteNumber(`metrics[${i}].ciUpper`, m.ciUpper);
              const value = requireFiniteNumber(`metrics[${i}].value`, m.value);
              if (ciLower !== null && ciUpper !== null && !(ciLower <= value && value <= ciUpper)) {
                throw new ValidationError('CI_EXCLUDES_ESTIMATE', `metrics[${i}]: the interval ${ciLower}–${ciUpper} does not contain ${value}`, { field: `metrics[${i}]` });
              }
              return { metric: requireText(`metrics[${i}].metric`, m.metric, 50), value, ciLower, ciUpper };
            }),
          },
        },
      ];
    }
    case 'LockModel': {
      const d = command.data;
      const modelId = requireId('modelId', d.modelId);
      if (state.modelId === null) throw new NotFoundError(`modelId: model ${modelId} is not registered`, { field: 'modelId' });
      const v = requireVersion(state, modelId, requireId('version', d.version));
      const trialId = requireId('trialId', d.trialId);
      const trial = ctx.facts.trial;
      if (!trial || trial.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId' });
      if (v.status === 'retired') throw new IllegalStateError('MODEL_RETIRED', `version: ${modelId} ${v.version} is retired and cannot be locked`, { field: 'version' });
      const current = state.lockedByTrial[trialId];
      if (current === v.version) throw new IllegalStateError('MODEL_ALREADY_LOCKED', `version: ${modelId} ${v.version} is already the locked version for trial ${trialId}`, { field: 'version' });
      // 21 CFR 11.50/11.70: the lock rests on an "approved" e-signature bound to this version's registration record:
      // one already recorded, or the signer's own approval recorded with the lock (never before every gate passed).
      const approvals = (ctx.facts.signatures ?? []).filter((s) => s.meaning === 'approved');
      const registration = ctx.facts.registration;
      const signs = d.approval !== undefined && registration && !approvals.some((a) => a.signerId === ctx.actor);
      if (approvals.length === 0 && !signs) {
        throw new IllegalStateError('APPROVAL_SIGNATURE_REQUIRED', `version: ${modelId} ${v.version} needs an "approved" signature on its ModelRegistered record before it can be locked`, { field: 'version' });
      }
      // The latest passed validation of exactly these bytes under a recorded plan.
      const valid = [...v.validations].reverse().find((x) => x.passed && state.plans[x.planId] && x.validatedSha256 === v.artifactSha256) ?? null;
      if (v.ordinal > 0 && !valid) {
        // A later version may only be locked under the PCCP: a passed validation that references a recorded plan.
        throw new IllegalStateError('VALIDATION_REQUIRED', `version: ${modelId} ${v.version} is not the first version; it needs a passed ModelValidationRecorded referencing a change control plan`, { field: 'version' });
      }
      const validationId = valid?.validationId ?? null;
      // Lock gates (ADR 0017): the plan the validation rests on, or else the model's latest plan that sets gates.
      const gatePlan = (valid && state.plans[valid.planId]?.lockGates ? state.plans[valid.planId] : undefined) ?? [...(state.planOrder ?? [])].reverse().map((p) => state.plans[p]!).find((p) => p.lockGates !== null);
      let gates: LockGateResult[] = [];
      if (gatePlan?.lockGates) {
        const evidence = ctx.facts.lockEvidence;
        gates = evaluateLockGates(
          {
            developerId: evidence?.developerId ?? '',
            intendedUse: v.intendedUse ?? '',
            featureCodes: v.featureCodes,
            trainingSiteIds: evidence?.trainingSiteIds ?? [],
            validation: valid
              ? { validationId: valid.validationId, validatedBy: evidence?.validators[valid.validationId] ?? '', siteIds: valid.siteIds, metrics: valid.metrics }
              : null,
            ...(evidence?.featureIcc ? { featureIcc: evidence.featureIcc } : {}),
          },
          gatePlan.lockGates,
        );
        const failed = gates.find((g) => !g.passed);
        if (failed) {
          throw new IllegalStateError(failed.code, `version: ${modelId} ${v.version} cannot be locked under plan ${gatePlan.planId}: gate ${failed.gate} failed (${failed.detail})`, {
            field: 'version',
            gate: failed.gate,
            planId: gatePlan.planId,
            gates: gates.map((g) => ({ gate: g.gate, code: g.code, passed: g.passed, detail: g.detail })),
          });
        }
      }
      const approval: RecordSigned[] = [];
      if (signs) {
        const signatureId = requireId('approval.signatureId', d.approval!.signatureId);
        approval.push({
          type: 'RecordSigned',
          data: {
            signatureId,
            eventId: registration.eventId,
            streamId: registration.streamId,
            eventType: 'ModelRegistered',
            eventHash: registration.hash,
            signerId: ctx.actor,
            printedName: requireText('approval.printedName', d.approval!.printedName, 200),
            meaning: 'approved',
            signedAt: ctx.now.toISOString(),
          },
          stream: { id: streamIds.signatures(registration.eventId), expectedRevision: registration.signaturesRevision },
        });
      }
      const approvalSignatureIds = [...approvals.map((a) => a.signatureId), ...approval.map((a) => a.data.signatureId)];
      return [
        ...approval,
        {
          type: 'ModelLocked',
          data: { modelId, version: v.version, trialId, artifactSha256: v.artifactSha256, approvalSignatureIds, validationId, supersedesVersion: current ?? null, planId: gates.length > 0 ? gatePlan!.planId : null, gates },
        },
      ] as never;
    }
    case 'RetireModel': {
      const d = command.data;
      const modelId = requireId('modelId', d.modelId);
      if (state.modelId === null) throw new NotFoundError(`modelId: model ${modelId} is not registered`, { field: 'modelId' });
      const v = requireVersion(state, modelId, requireId('version', d.version));
      if (v.status === 'retired') throw new IllegalStateError('MODEL_RETIRED', `version: ${modelId} ${v.version} is already retired`, { field: 'version' });
      const unlockedTrialIds = Object.entries(state.lockedByTrial)
        .filter(([, ver]) => ver === v.version)
        .map(([t]) => t)
        .sort();
      return [{ type: 'ModelRetired', data: { modelId, version: v.version, reason: requireReason('reason', d.reason ?? ctx.reason), unlockedTrialIds } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: ModelState, event: ModelsEvent): ModelState {
  switch (event.type) {
    case 'ModelRegistered': {
      const d = event.data;
      const v: ModelVersionState = {
        version: d.version,
        artifactSha256: d.artifactSha256,
        featureCodes: d.featureCodes,
        decisionRule: d.decisionRule ?? null,
        inputModality: d.inputModality ?? null,
        status: 'registered',
        ordinal: Object.keys(state.versions).length,
        intendedUse: d.intendedUse,
        validations: [],
        explanationReference: d.explanationReference ?? null,
      };
      return { ...state, modelId: d.modelId, versions: { ...state.versions, [d.version]: v } };
    }
    case 'ChangeControlPlanRecorded':
      return {
        ...state,
        plans: { ...state.plans, [event.data.planId]: { planId: event.data.planId, lockGates: event.data.lockGates ?? null } },
        planOrder: [...(state.planOrder ?? []), event.data.planId],
      };
    case 'ModelValidationRecorded': {
      const d = event.data;
      const v = state.versions[d.version];
      if (!v) return state;
      const validations = [...v.validations, { validationId: d.validationId, planId: d.planId, passed: d.passed, validatedSha256: d.validatedSha256, siteIds: d.siteIds ?? [], metrics: metricsOf(d) }];
      return { ...state, versions: { ...state.versions, [d.version]: { ...v, validations } } };
    }
    case 'ModelLocked': {
      const d = event.data;
      const v = state.versions[d.version];
      const versions = { ...state.versions };
      if (v) versions[d.version] = { ...v, status: 'locked' };
      const prev = d.supersedesVersion;
      const lockedByTrial = { ...state.lockedByTrial, [d.trialId]: d.version };
      if (prev && versions[prev] && versions[prev]!.status === 'locked' && !Object.values(lockedByTrial).includes(prev)) versions[prev] = { ...versions[prev]!, status: 'registered' };
      return { ...state, versions, lockedByTrial };
    }
    case 'ModelRetired': {
      const d = event.data;
      const v = state.versions[d.version];
      const lockedByTrial = Object.fromEntries(Object.entries(state.lockedByTrial).filter(([, ver]) => ver !== d.version));
      return { ...state, lockedByTrial, versions: v ? { ...state.versions, [d.version]: { ...v, status: 'retired' } } : state.versions };
    }
    default:
      return ignoreUnknown(state, event);
  }
}

export const modelsDecider = { decide, evolve, initialState };

/** The locked cut-off and labels: a threshold in [0, 1], two distinct non-empty labels. */
function requireDecisionRule(rule: DecisionRule | undefined): DecisionRule {
  if (!rule || typeof rule !== 'object') {
    throw new ValidationError('REQUIRED', 'decisionRule: expected { threshold, positiveLabel, negativeLabel }', { field: 'decisionRule' });
  }
  const threshold = requireFiniteNumber('decisionRule.threshold', rule.threshold, { min: 0, max: 1 });
  const positiveLabel = requireText('decisionRule.positiveLabel', rule.positiveLabel, 100);
  const negativeLabel = requireText('decisionRule.negativeLabel', rule.negativeLabel, 100);
  if (positiveLabel === negativeLabel) {
    throw new ValidationError('INPUT_INVALID', 'decisionRule.negativeLabel: must differ from positiveLabel', { field: 'decisionRule.negativeLabel' });
  }
  const out: DecisionRule = { threshold, positiveLabel, negativeLabel };
  if (rule.probabilityOutput !== undefined && rule.probabilityOutput !== null) {
    out.probabilityOutput = {
      name: requireText('decisionRule.probabilityOutput.name', rule.probabilityOutput.name, 100),
      column: requireFiniteNumber('decisionRule.probabilityOutput.column', rule.probabilityOutput.column, { min: 0 }),
    };
  }
  return out;
}

/**
 * A validation's metrics with their intervals: the recorded `metrics`, or (validations recorded
 * as a flat `results` map) `<metric>`, `<metric>_ciLower`, `<metric>_ciUpper`.
 */
function metricsOf(d: { results: Readonly<Record<string, number>>; metrics?: RecordedValidation['metrics'] }): RecordedValidation['metrics'] {
  if (d.metrics && d.metrics.length > 0) return d.metrics;
  const results = d.results ?? {};
  return Object.keys(results)
    .filter((k) => !/_ci(Lower|Upper)$/.test(k))
    .map((k) => ({ metric: k, value: results[k]!, ciLower: results[`${k}_ciLower`] ?? null, ciUpper: results[`${k}_ciUpper`] ?? null }));
}

function requireLockGatePolicy(value: unknown): RecordedLockGatePolicy | null {
  if (value === undefined || value === null) return null;
  const p = value as { allowedIntendedUses?: unknown; minIndependentSites?: unknown; requiredMetric?: unknown; minFeatureIcc?: unknown };
  if (!Array.isArray(p.allowedIntendedUses) || p.allowedIntendedUses.length === 0) {
    throw new ValidationError('REQUIRED', 'lockGates.allowedIntendedUses: expected the intended uses the plan allows', { field: 'lockGates.allowedIntendedUses' });
  }
  const minIndependentSites = p.minIndependentSites === undefined || p.minIndependentSites === null ? DEFAULT_LOCK_GATE_POLICY.minIndependentSites : requireFiniteNumber('lockGates.minIndependentSites', p.minIndependentSites, { min: 1, max: 100 });
  return {
    allowedIntendedUses: p.allowedIntendedUses.map((u, i) => requireFreeText(`lockGates.allowedIntendedUses[${i}]`, u, 1000)),
    minIndependentSites,
    requiredMetric: p.requiredMetric === undefined || p.requiredMetric === null ? DEFAULT_LOCK_GATE_POLICY.requiredMetric : requireOneOf('lockGates.requiredMetric', p.requiredMetric, ['AUC', 'C-index'] as const),
    minFeatureIcc: p.minFeatureIcc === undefined || p.minFeatureIcc === null ? DEFAULT_LOCK_GATE_POLICY.minFeatureIcc : requireFiniteNumber('lockGates.minFeatureIcc', p.minFeatureIcc, { min: 0, max: 1 }),
  };
}

function explanationReferenceOf(ref: { artifactSha256: string; rows?: number } | null | undefined): { artifactSha256: string; rows: number } | null {
  if (ref === undefined || ref === null) return null;
  const artifactSha256 = requireSha256('explanationReference.artifactSha256', ref.artifactSha256);
  if (!Number.isInteger(ref.rows) || (ref.rows ?? 0) < 1) {
    throw new ValidationError('EXPLANATION_REFERENCE_INVALID', 'explanationReference.rows: expected the reference row count checked against the model bytes', { field: 'explanationReference.rows' });
  }
  return { artifactSha256, rows: ref.rows! };
}
