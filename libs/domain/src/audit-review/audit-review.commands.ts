import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';

/** The saved audit-review queries QA runs routinely (issue 4 §4); names match the GraphQL queries. */
export const SAVED_AUDIT_QUERIES = ['editsAfterLock', 'actionsOutsideSiteHours', 'unusualVolumePerUser'] as const;
export type SavedAuditQuery = (typeof SAVED_AUDIT_QUERIES)[number];

/**
 * QA (or regulatory) records that the result of a saved audit-review query was reviewed.
 * `resultSha256` binds the review to exactly the result reviewed; the application recomputes the
 * query at completion time and refuses a hash that no longer matches. `parameters` are the query's
 * effective parameters, as the query reports them.
 */
export const CompleteAuditReviewInput = S.obj({
  reviewId: S.optional(S.id()),
  trialId: S.id(),
  queryName: S.oneOf(SAVED_AUDIT_QUERIES),
  parameters: S.json(),
  resultSha256: S.sha256(),
  conclusion: S.freeText(),
});
export type CompleteAuditReview = Command<'CompleteAuditReview', Static<typeof CompleteAuditReviewInput>>;
export type AuditReviewCommand = CompleteAuditReview;

export const CompleteAuditReviewRequest = S.obj({
  reviewId: S.optional(S.id('Default: generated (deterministic when options.commandId is given).')),
  trialId: S.id(),
  queryName: S.oneOf(SAVED_AUDIT_QUERIES, `The saved query reviewed: ${SAVED_AUDIT_QUERIES.join(', ')}.`),
  arguments: S.optional(
    S.json(
      'The arguments the query was run with, as named by the query (actionsOutsideSiteHours: startHourUtc, endHourUtc, includeWeekends; unusualVolumePerUser: factor, minEvents); omitted ones take the query defaults.',
    ),
  ),
  resultSha256: S.sha256('The resultSha256 of the result that was reviewed; refused when the query now returns something else.'),
  conclusion: S.freeText(2000, 'What the review concluded (recorded in the audit trail; sign it with signRecord).'),
});
export type CompleteAuditReviewRequest = Static<typeof CompleteAuditReviewRequest>;
