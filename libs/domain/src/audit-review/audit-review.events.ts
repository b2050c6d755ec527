import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import { SAVED_AUDIT_QUERIES } from './audit-review.commands.js';

/** A completed review of one saved audit query's result (sign it with `RecordSigned` to attest it). */
export const AuditReviewCompletedEvent = defineEvent(
  'AuditReviewCompleted',
  S.obj({ reviewId: S.id(), trialId: S.id(), queryName: S.oneOf(SAVED_AUDIT_QUERIES), parameters: S.json(), resultSha256: S.sha256(), conclusion: S.text() }),
);
export type AuditReviewCompleted = EventOf<typeof AuditReviewCompletedEvent>;

export const auditReviewEvents = [AuditReviewCompletedEvent] as const;
export type AuditReviewEvent = AuditReviewCompleted;
