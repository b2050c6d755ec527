import type { DomainEvent } from '../shared/decider.js';
import type { SavedAuditQuery } from './audit-review.commands.js';

/** A completed review of one saved audit query's result (sign it with `RecordSigned` to attest it). */
export type AuditReviewCompleted = DomainEvent<
  'AuditReviewCompleted',
  { reviewId: string; trialId: string; queryName: SavedAuditQuery; parameters: Record<string, unknown>; resultSha256: string; conclusion: string }
>;

export type AuditReviewEvent = AuditReviewCompleted;
