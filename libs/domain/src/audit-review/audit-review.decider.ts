import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable } from '../shared/assert-unreachable.js';
import { requireFreeText, requireId, requireOneOf, requireSha256 } from '../shared/guards.js';
import type { TrialState } from '../trial/trial.decider.js';
import { SAVED_AUDIT_QUERIES, type AuditReviewCommand } from './audit-review.commands.js';
import type { AuditReviewEvent } from './audit-review.events.js';

/** Who may complete an audit review: QA runs the saved queries; regulatory affairs may too. */
export const AUDIT_REVIEW_ROLES = ['qa', 'regulatory'] as const;

export interface AuditReviewState {
  reviewId: string | null;
  resultSha256: string | null;
}

export interface AuditReviewFacts {
  /** The trial the review is about, as loaded from its stream. */
  trial?: TrialState;
}

export function initialState(): AuditReviewState {
  return { reviewId: null, resultSha256: null };
}

export function decide(command: AuditReviewCommand, state: AuditReviewState, ctx: CommandContext<AuditReviewFacts>): AuditReviewEvent[] {
  switch (command.type) {
    case 'CompleteAuditReview': {
      const d = command.data;
      const reviewId = requireId('reviewId', d.reviewId);
      const trialId = requireId('trialId', d.trialId);
      if (!(AUDIT_REVIEW_ROLES as readonly string[]).includes(ctx.role)) {
        throw new IllegalStateError('AUDIT_REVIEW_ROLE_REQUIRED', `role: an audit review is completed by qa or regulatory, not ${ctx.role}`, { field: 'role' });
      }
      if (state.reviewId !== null) throw new IllegalStateError('AUDIT_REVIEW_ALREADY_COMPLETED', `reviewId: review ${reviewId} is already completed`, { field: 'reviewId' });
      if (!ctx.facts.trial || ctx.facts.trial.trialId !== trialId) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId', trialId });
      const queryName = requireOneOf('queryName', d.queryName, SAVED_AUDIT_QUERIES);
      if (d.parameters === null || typeof d.parameters !== 'object' || Array.isArray(d.parameters)) {
        throw new ValidationError('INPUT_INVALID', 'parameters: expected an object (the query parameters the result was computed with)', { field: 'parameters' });
      }
      const resultSha256 = requireSha256('resultSha256', d.resultSha256);
      const conclusion = requireFreeText('conclusion', d.conclusion);
      return [{ type: 'AuditReviewCompleted', data: { reviewId, trialId, queryName, parameters: d.parameters, resultSha256, conclusion } }];
    }
    default:
      return assertUnreachable(command.type);
  }
}

export function evolve(state: AuditReviewState, event: AuditReviewEvent): AuditReviewState {
  // Unknown (newer) event types are ignored, never thrown on: evolve must replay anything recorded.
  if (event.type !== 'AuditReviewCompleted') return state;
  return { reviewId: event.data.reviewId, resultSha256: event.data.resultSha256 };
}

export const auditReviewDecider = { decide, evolve, initialState };
