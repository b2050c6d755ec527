import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFiniteNumber, requireFreeText, requireId, requireSha256, requireText, requireReason } from '../shared/guards.js';
import type { FeatureSetState } from '../features/features.decider.js';
import type { ModelState, ModelVersionState } from '../models/models.decider.js';
import type { DecisionsCommand } from './decisions.commands.js';
import type { DecisionExplanationData, DecisionsEvent } from './decisions.events.js';

export interface DecisionState {
  decisionId: string | null;
  decision: string | null;
  overrides: number;
  /** The model version that decided (its declared labels bound an override). */
  modelId?: string | null;
  modelVersion?: string | null;
}

export interface DecisionsFacts {
  model?: ModelState;
  featureSet?: FeatureSetState;
}

export function initialState(): DecisionState {
  return { decisionId: null, decision: null, overrides: 0 };
}

export function decide(command: DecisionsCommand, state: DecisionState, ctx: CommandContext<DecisionsFacts>): DecisionsEvent[] {
  switch (command.type) {
    case 'MakeDecision': {
      const d = command.data;
      const decisionId = requireId('decisionId', d.decisionId);
      if (state.decisionId !== null) throw new IllegalStateError('DECISION_ALREADY_MADE', `decisionId: decision ${decisionId} already exists`, { field: 'decisionId' });
      const modelId = requireId('modelId', d.modelId);
      const modelVersion = requireId('modelVersion', d.modelVersion);
      const modelSha256 = requireSha256('modelSha256', d.modelSha256);
      const featureSetId = requireId('featureSetId', d.featureSetId);
      const fs = ctx.facts.featureSet;
      if (!fs || fs.featureSetId === null || fs.trialId === null) throw new NotFoundError(`featureSetId: feature set ${featureSetId} does not exist`, { field: 'featureSetId' });
      const model = ctx.facts.model;
      if (!model || model.modelId === null) throw new NotFoundError(`modelId: model ${modelId} is not registered`, { field: 'modelId' });
      const version = model.versions[modelVersion];
      if (!version) throw new NotFoundError(`modelVersion: model ${modelId} has no version ${modelVersion}`, { field: 'modelVersion' });
      // The locked-algorithm invariant: only the version locked for this trial, at this moment, may decide.
      if (model.lockedByTrial[fs.trialId] !== modelVersion) {
        const locked = model.lockedByTrial[fs.trialId];
        throw new IllegalStateError(
          'MODEL_NOT_LOCKED',
          `modelVersion: ${modelId} ${modelVersion} is not the locked version for trial ${fs.trialId} (locked: ${locked ?? 'none'})`,
          { field: 'modelVersion', lockedVersion: locked ?? null },
        );
      }
      if (modelSha256 !== version.artifactSha256) {
        throw new IllegalStateError('MODEL_HASH_MISMATCH', `modelSha256: expected the locked hash ${version.artifactSha256}, got ${modelSha256}`, { field: 'modelSha256', expected: version.artifactSha256, actual: modelSha256 });
      }
      if (d.subjectId !== undefined && d.subjectId !== fs.subjectId) {
        throw new ValidationError('FEATURE_SET_SUBJECT_MISMATCH', `featureSetId: feature set ${featureSetId} belongs to subject ${fs.subjectId}, not ${String(d.subjectId)}`, { field: 'featureSetId', subjectId: fs.subjectId });
      }
      if (version.inputModality && fs.modality !== version.inputModality) {
        throw new ValidationError('FEATURE_SET_MODALITY_MISMATCH', `featureSetId: feature set ${featureSetId} is from ${fs.modality}, model ${modelId} ${modelVersion} reads ${version.inputModality}`, { field: 'featureSetId', expected: version.inputModality, actual: fs.modality });
      }
      const missing = version.featureCodes.filter((c) => !(c in fs.features));
      if (missing.length > 0) throw new ValidationError('FEATURES_MISSING', `featureSetId: feature set ${featureSetId} lacks ${missing.join(', ')}`, { field: 'featureSetId', missing });
      if (!d.outputs || typeof d.outputs !== 'object' || Object.keys(d.outputs).length === 0) throw new ValidationError('REQUIRED', 'outputs: expected the model outputs by name', { field: 'outputs' });
      const outputs: Record<string, number> = {};
      for (const [k, v] of Object.entries(d.outputs)) outputs[requireText(`outputs.${k}`, k, 200)] = requireFiniteNumber(`outputs.${k}`, v);
      const explanation = requireExplanation(d.explanation ?? null, version);
      return [
        {
          type: 'ModelDecisionMade',
          data: {
            decisionId,
            trialId: fs.trialId,
            siteId: fs.siteId ?? '',
            subjectId: fs.subjectId ?? '',
            modelId,
            modelVersion,
            modelSha256,
            featureSetId,
            featureSetResultSha256: fs.resultSha256 ?? '',
            outputs,
            threshold: requireFiniteNumber('threshold', d.threshold),
            decision: requireText('decision', d.decision, 200),
            explanation,
          },
        },
      ];
    }
    case 'OverrideDecision': {
      const d = command.data;
      const decisionId = requireId('decisionId', d.decisionId);
      if (state.decisionId === null || state.decision === null) throw new NotFoundError(`decisionId: decision ${decisionId} does not exist`, { field: 'decisionId' });
      const reason = requireReason('reason', d.reason ?? ctx.reason);
      const decision = requireText('decision', d.decision, 200);
      if (decision === state.decision) throw new IllegalStateError('DECISION_UNCHANGED', `decision: decision ${decisionId} is already "${decision}"`, { field: 'decision' });
      // An override is a clinician's other reading of the same question: one of the locked version's declared labels.
      const rule = state.modelVersion ? ctx.facts.model?.versions[state.modelVersion]?.decisionRule : null;
      if (rule && decision !== rule.positiveLabel && decision !== rule.negativeLabel) {
        throw new ValidationError('DECISION_LABEL_UNKNOWN', `decision: expected one of the model's labels "${rule.positiveLabel}" or "${rule.negativeLabel}", got "${decision}"`, {
          field: 'decision',
          labels: [rule.positiveLabel, rule.negativeLabel],
        });
      }
      return [{ type: 'DecisionOverridden', data: { decisionId, previousDecision: state.decision, decision, reason } }];
    }
    default:
      return assertUnreachable(command);
  }
}

/** Additivity of a recorded explanation, to rounding (libs/inference ADDITIVITY_TOLERANCE). */
const ADDITIVITY_TOLERANCE = 1e-9;

/**
 * A version that registered an explanation reference explains every decision against exactly that
 * reference, over exactly its inputs, additively; a version without one records none (ADR 0017).
 */
function requireExplanation(explanation: DecisionExplanationData | null, version: ModelVersionState): DecisionExplanationData | null {
  const reference = version.explanationReference ?? null;
  if (reference === null) {
    if (explanation !== null) throw new ValidationError('EXPLANATION_UNEXPECTED', `explanation: model version ${version.version} registered no explanation reference`, { field: 'explanation' });
    return null;
  }
  if (explanation === null) {
    throw new ValidationError('EXPLANATION_REQUIRED', `explanation: model version ${version.version} registered reference ${reference.artifactSha256}; every decision records its explanation`, { field: 'explanation' });
  }
  if (explanation.reference.sha256 !== reference.artifactSha256 || explanation.reference.rows !== reference.rows) {
    throw new ValidationError('EXPLANATION_REFERENCE_MISMATCH', `explanation.reference: expected ${reference.artifactSha256} (${reference.rows} rows), got ${explanation.reference.sha256} (${explanation.reference.rows} rows)`, {
      field: 'explanation.reference',
    });
  }
  const codes = explanation.contributions.map((c) => c.featureCode);
  if (codes.length !== version.featureCodes.length || codes.some((c, j) => c !== version.featureCodes[j])) {
    throw new ValidationError('EXPLANATION_FEATURES_MISMATCH', `explanation.contributions: expected one per input in order (${version.featureCodes.join(', ')}), got ${codes.join(', ')}`, { field: 'explanation.contributions' });
  }
  const values = [explanation.expectedValue, explanation.modelOutput, ...explanation.contributions.flatMap((c) => [c.value, c.contribution])];
  if (values.some((v) => !Number.isFinite(v))) throw new ValidationError('EXPLANATION_NOT_ADDITIVE', 'explanation: expected finite numbers', { field: 'explanation' });
  const sum = explanation.contributions.reduce((s, c) => s + c.contribution, 0);
  const gap = Math.abs(sum - (explanation.modelOutput - explanation.expectedValue));
  if (!(gap <= ADDITIVITY_TOLERANCE * Math.max(1, Math.abs(explanation.modelOutput), Math.abs(explanation.expectedValue)))) {
    throw new ValidationError('EXPLANATION_NOT_ADDITIVE', `explanation: contributions sum to ${sum}, modelOutput − expectedValue is ${explanation.modelOutput - explanation.expectedValue}`, { field: 'explanation' });
  }
  return explanation;
}

export function evolve(state: DecisionState, event: DecisionsEvent): DecisionState {
  switch (event.type) {
    case 'ModelDecisionMade':
      return { decisionId: event.data.decisionId, decision: event.data.decision, overrides: 0, modelId: event.data.modelId, modelVersion: event.data.modelVersion };
    case 'DecisionOverridden':
      return { ...state, decision: event.data.decision, overrides: state.overrides + 1 };
    default:
      return ignoreUnknown(state, event);
  }
}

export const decisionsDecider = { decide, evolve, initialState };
