import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFiniteNumber, requireFreeText, requireId, requireSha256, requireText, requireReason } from '../shared/guards.js';
import type { FeatureSetState } from '../features/features.decider.js';
import type { ModelState } from '../models/models.decider.js';
import type { DecisionsCommand } from './decisions.commands.js';
import type { DecisionsEvent } from './decisions.events.js';

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
