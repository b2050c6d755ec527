import { IllegalStateError, NotFoundError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { requireId } from '../shared/guards.js';
import type { EnrollSubject } from './trial.commands.js';
import { requirePseudonym, type TrialState } from './trial.decider.js';
import type { TrialEvent } from './trial.events.js';

/**
 * One subject of one trial: its own stream, so enrolments (and everything that checks a
 * subject's site) never contend on the trial's stream, and no command folds a stream that
 * grows with the number of subjects (ADR 0015). The trial's stream keeps what stays small:
 * its registration, sites and protocols.
 */
export interface SubjectState {
  trialId: string | null;
  subjectId: string | null;
  siteId: string | null;
}

/** Enrolment reads the trial's small state (registered? site enrolled?) without locking it. */
export interface SubjectFacts {
  trial: TrialState;
}

export function initialState(): SubjectState {
  return { trialId: null, subjectId: null, siteId: null };
}

export function decide(command: EnrollSubject, state: SubjectState, ctx: CommandContext<SubjectFacts>): TrialEvent[] {
  const d = command.data;
  const trialId = requireId('trialId', d.trialId);
  const subjectId = requirePseudonym('subjectId', d.subjectId);
  const trial = ctx.facts.trial;
  if (trial.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId', trialId });
  const siteId = requireId('siteId', d.siteId);
  if (!trial.sites[siteId]) throw new NotFoundError(`siteId: site ${siteId} is not enrolled in trial ${trialId}`, { field: 'siteId' });
  if (trial.sites[siteId].enrolmentClosed) throw new IllegalStateError('SITE_ENROLMENT_CLOSED', `siteId: site ${siteId} is closed to enrolment in trial ${trialId}`, { field: 'siteId' });
  // Before subjects had streams of their own, enrolments were appended to the trial's stream: both count.
  if (state.subjectId !== null || trial.subjects[subjectId]) {
    throw new IllegalStateError('SUBJECT_ALREADY_ENROLLED', `subjectId: subject ${subjectId} is already enrolled in trial ${trialId}`, { field: 'subjectId' });
  }
  return [{ type: 'SubjectEnrolled', data: { trialId, siteId, subjectId } }];
}

export function evolve(state: SubjectState, event: TrialEvent): SubjectState {
  if (event.type !== 'SubjectEnrolled') return state;
  return { trialId: event.data.trialId, subjectId: event.data.subjectId, siteId: event.data.siteId };
}

export const subjectDecider = { decide, evolve, initialState };

/**
 * The site a subject was enrolled at, or null: from the subject's own stream, or, for ledgers
 * written before subjects had streams of their own, from the trial's.
 */
export function subjectSite(subject: SubjectState | undefined, trial: TrialState, subjectId: string): string | null {
  if (subject?.siteId && subject.subjectId === subjectId && subject.trialId === trial.trialId) return subject.siteId;
  return trial.subjects[subjectId]?.siteId ?? null;
}
