import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineCommand, defineQuery } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { auditReviewDecider, AUDIT_REVIEW_ROLES } from './audit-review.decider.js';
import { CompleteAuditReviewInput, CompleteAuditReviewRequest } from './audit-review.commands.js';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;

export const CompleteAuditReviewCommand = defineCommand({
  type: 'CompleteAuditReview',
  context: 'audit',
  input: CompleteAuditReviewInput,
  decider: auditReviewDecider,
  prepare: (d, newId) => ({ ...d, reviewId: d.reviewId ?? newId('reviewId') }),
  stream: (d) => streamIds.auditReview(d.reviewId!),
  facts: async (d, _own, read) => ({ trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state }),
});

export const auditReviewCommands = [CompleteAuditReviewCommand] as const;

const ofTrial = { kind: 'input', trial: (d: { trialId: string }) => d.trialId } as const;
/** QA reviews the trial's whole audit trail; monitors and regulatory affairs read it too. Site staff see their site's entries through `auditTrail`. */
const REVIEW_READERS = ['qa', 'regulatory', 'monitor', 'admin'] as const;

export const auditReviewOperations = [
  defineQuery({
    field: 'auditTrail',
    context: 'audit',
    description: 'The audit trail in ledger order, Relay cursor paging (first/after); only entries of the trials and sites you see.',
    input: S.obj({
      filter: S.optional(
        S.named(
          'AuditTrailFilterInput',
          S.obj({
            trialId: S.optional(S.id()),
            siteId: S.optional(S.id()),
            subjectId: S.optional(S.id()),
            actor: S.optional(S.text(200, 'User id of the person or service account.')),
            types: S.optional(S.list(S.text(100), { maxItems: 100, description: 'Event types, e.g. SegmentationEdited.' })),
            from: S.optional(S.str({ maxLength: 40, description: 'From this UTC time (ISO 8601), inclusive.' })),
            to: S.optional(S.str({ maxLength: 40, description: 'Until this UTC time (ISO 8601), exclusive.' })),
          }),
        ),
      ),
      // Bounds checked by the read model (PAGE_SIZE_INVALID), the code clients know.
      first: S.int({ default: AUDIT_PAGE_DEFAULT, description: `0 to ${AUDIT_PAGE_MAX}` }),
      after: S.optional(S.str({ maxLength: 200 })),
    }),
    access: { roles: ROLES, scope: { kind: 'caller' }, cost: 2 },
    result: 'rows',
  }),
  defineQuery({
    field: 'editsAfterLock',
    context: 'audit',
    description: "Saved audit review: edits and corrections recorded after the trial's first model lock.",
    input: S.obj({ trialId: S.gid() }),
    access: { roles: REVIEW_READERS, scope: ofTrial, cost: 5 },
    result: 'rows',
  }),
  defineQuery({
    field: 'actionsOutsideSiteHours',
    context: 'audit',
    description: 'Saved audit review: actions recorded outside site hours (UTC) or at weekends.',
    input: S.obj({
      trialId: S.gid(),
      startHourUtc: S.int({ minimum: 0, maximum: 24, default: 7 }),
      endHourUtc: S.int({ minimum: 0, maximum: 24, default: 19 }),
      includeWeekends: S.bool(undefined, true),
    }),
    access: { roles: REVIEW_READERS, scope: ofTrial, cost: 5 },
    result: 'rows',
  }),
  defineQuery({
    field: 'unusualVolumePerUser',
    context: 'audit',
    description: 'Saved audit review: user-days with unusually many recorded actions.',
    input: S.obj({ trialId: S.gid(), factor: S.num({ minimum: 1, default: 3 }), minEvents: S.int({ minimum: 1, default: 20 }) }),
    access: { roles: REVIEW_READERS, scope: ofTrial, cost: 5 },
    result: 'rows',
  }),
  defineQuery({
    field: 'completedAuditReviews',
    context: 'audit',
    description: 'Audit reviews recorded as completed (AuditReviewCompleted events) with their signatures.',
    input: S.obj({ trialId: S.gid() }),
    access: { roles: REVIEW_READERS, scope: ofTrial },
    result: 'rows',
  }),
  defineAction({
    field: 'completeAuditReview',
    context: 'audit',
    description: 'Record that the result of a saved audit-review query was reviewed (qa, regulatory); the query is re-run and must still give the reviewed result hash. Sign the recorded event with signRecord.',
    input: CompleteAuditReviewRequest,
    access: { roles: AUDIT_REVIEW_ROLES, scope: ofTrial },
    records: [CompleteAuditReviewCommand],
  }),
] as const;
