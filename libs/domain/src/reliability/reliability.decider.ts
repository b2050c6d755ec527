import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable } from '../shared/assert-unreachable.js';
import { requireId } from '../shared/guards.js';
import type { TrialState } from '../trial/trial.decider.js';
import type { ReliabilityCommand } from './reliability.commands.js';
import type { ReliabilityEvent } from './reliability.events.js';

/** The trial's reliability studies; the latest decides the lock gate (ICC of the model the study chose). */
export interface ReliabilityState {
  trialId: string | null;
  studyIds: readonly string[];
  /** IBSI code → the deciding ICC of the latest study that computed it. */
  latestIcc: Readonly<Record<string, number>>;
}

export interface ReliabilityFacts {
  trial?: TrialState;
}

export function initialState(): ReliabilityState {
  return { trialId: null, studyIds: [], latestIcc: {} };
}

export function decide(command: ReliabilityCommand, state: ReliabilityState, ctx: CommandContext<ReliabilityFacts>): ReliabilityEvent[] {
  switch (command.type) {
    case 'RecordFeatureReliability': {
      const d = command.data;
      const trialId = requireId('trialId', d.trialId);
      if (!ctx.facts.trial || ctx.facts.trial.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId' });
      const studyId = requireId('studyId', d.studyId);
      if (state.studyIds.includes(studyId)) throw new IllegalStateError('RELIABILITY_STUDY_EXISTS', `studyId: study ${studyId} is already recorded`, { field: 'studyId' });
      if (new Set(d.raters).size < 2) throw new ValidationError('RELIABILITY_TOO_FEW', 'raters: reliability needs at least two readers or methods', { field: 'raters' });
      if (d.subjects < 2) throw new ValidationError('RELIABILITY_TOO_FEW', `subjects: ${d.subjects} subject(s) segmented by every rater; at least 2 needed`, { field: 'subjects' });
      return [{ type: 'FeatureReliabilityRecorded', data: { ...d, trialId, studyId } }];
    }
    default:
      return assertUnreachable(command.type);
  }
}

export function evolve(state: ReliabilityState, event: ReliabilityEvent): ReliabilityState {
  switch (event.type) {
    case 'FeatureReliabilityRecorded': {
      const d = event.data;
      const latestIcc = { ...state.latestIcc };
      for (const f of d.features) {
        const chosen = d.model === 'ICC(3,1)' ? f.icc31 : f.icc21;
        if (chosen) latestIcc[f.featureCode] = d.basis === 'lower-bound' ? (chosen.ciLower ?? Number.NEGATIVE_INFINITY) : chosen.value;
        else delete latestIcc[f.featureCode];
      }
      return { trialId: d.trialId, studyIds: [...state.studyIds, d.studyId], latestIcc };
    }
    default:
      return state;
  }
}

export const reliabilityDecider = { decide, evolve, initialState };
