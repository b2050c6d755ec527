import type { Command } from '../shared/decider.js';

/** The saved audit-review queries QA runs routinely (issue 4 §4); names match the GraphQL queries. */
export const SAVED_AUDIT_QUERIES = ['editsAfterLock', 'actionsOutsideSiteHours', 'unusualVolumePerUser'] as const;
export type SavedAuditQuery = (typeof SAVED_AUDIT_QUERIES)[number];

/**
 * QA (or regulatory) records that the result of a saved audit-review query was reviewed.
 * `resultSha256` binds the review to exactly the result reviewed; the API recomputes the query
 * at completion time and refuses a hash that no longer matches. `parameters` are the query's
 * effective parameters, as the query reports them.
 */
export type CompleteAuditReview = Command<
  'CompleteAuditReview',
  { reviewId?: string; trialId: string; queryName: SavedAuditQuery; parameters: Record<string, unknown>; resultSha256: string; conclusion: string }
>;

export type AuditReviewCommand = CompleteAuditReview;
