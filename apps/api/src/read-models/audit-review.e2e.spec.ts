import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';

const TRIAL = 'TRIAL-REVIEW';
const COMPLETE = `mutation($input: CompleteAuditReviewInput!) { completeAuditReview(input: $input) { streamId events { eventId type hash } } }`;
const SIGN = 'mutation($input: SignRecordInput!) { signRecord(input: $input) { events { eventId type } } }';
const REVIEWS = `{ completedAuditReviews(trialId: "${TRIAL}") { reviewId queryName parametersJson resultSha256 conclusion reviewer event { eventId hash } signatures { signerId printedName meaning signedEventHash } } }`;

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`completing and signing a saved audit review (${backend})`, () => {
    let api: TestApi;
    let qa: string;
    let monitor: string;
    const gql = <T = any>(token: string, query: string, variables?: Record<string, unknown>) => api.graphql<T>(token, query, variables);
    const complete = (token: string, input: Record<string, unknown>) => gql(token, COMPLETE, { input });
    const caughtUp = () => api.app.get(ProjectionRunner).caughtUp();

    before(async () => {
      api = await startTestApi(backend);
      qa = await api.tokenFor('qa-rev', [{ role: 'qa' }], 'Quinn Reviewer');
      monitor = await api.tokenFor('mon-rev', [{ role: 'monitor' }], 'Mo Monitor');
      const events = syntheticTrial({ trialId: TRIAL, sites: 2, subjectsPerSite: 2, modalities: ['T1c'], editsPerSegmentation: 1, trainingSubjects: 1, editAfterReviewEvery: 2 });
      await appendInOrder(api.app.get<LedgerStore>(EVENT_STORE), events, 50);
      await caughtUp();
    });
    after(async () => api.close());

    test('qa completes editsAfterLock bound to the reviewed hash; the review is listed and can be e-signed', async () => {
      const edits = await gql(qa, `{ editsAfterLock(trialId: "${TRIAL}") { resultSha256 parametersJson rows { eventType } } }`);
      assert.equal(edits.errors, undefined);
      assert.ok(edits.data.editsAfterLock.rows.length > 0, 'the synthetic trial has edits after the lock');
      const reviewed = edits.data.editsAfterLock.resultSha256;

      const done = await complete(qa, { reviewId: 'REV-1', trialId: TRIAL, queryName: 'editsAfterLock', resultSha256: reviewed, conclusion: 'Every edit after lock has a reason and a re-review.' });
      assert.equal(done.errors, undefined, JSON.stringify(done.errors));
      assert.equal(done.data.completeAuditReview.streamId, 'audit-review-REV-1');
      const event = done.data.completeAuditReview.events[0];
      assert.equal(event.type, 'AuditReviewCompleted');

      const signed = await gql(qa, SIGN, { input: { eventId: event.eventId, meaning: 'reviewed' } });
      assert.equal(signed.errors, undefined, JSON.stringify(signed.errors));
      assert.equal(signed.data.signRecord.events[0].type, 'RecordSigned');
      await caughtUp();

      const reviews = await gql(qa, REVIEWS);
      assert.equal(reviews.errors, undefined);
      assert.equal(reviews.data.completedAuditReviews.length, 1);
      const review = reviews.data.completedAuditReviews[0];
      assert.equal(review.reviewId, 'REV-1');
      assert.equal(review.queryName, 'editsAfterLock');
      assert.equal(review.resultSha256, reviewed);
      assert.deepEqual(JSON.parse(review.parametersJson), JSON.parse(edits.data.editsAfterLock.parametersJson));
      assert.equal(review.reviewer, 'qa-rev');
      assert.equal(review.event.eventId, event.eventId);
      assert.deepEqual(review.signatures, [{ signerId: 'qa-rev', printedName: 'Quinn Reviewer', meaning: 'reviewed', signedEventHash: event.hash }]);

      // The same review cannot be completed twice.
      const again = await complete(qa, { reviewId: 'REV-1', trialId: TRIAL, queryName: 'editsAfterLock', resultSha256: reviewed, conclusion: 'again' });
      assert.equal(again.errors?.[0]?.extensions?.code, 'AUDIT_REVIEW_ALREADY_COMPLETED');
    });

    test('a hash other than what the query returns now is refused: the review must bind the current result', async () => {
      const res = await complete(qa, { trialId: TRIAL, queryName: 'editsAfterLock', resultSha256: '0'.repeat(64), conclusion: 'stale' });
      assert.equal(res.errors?.[0]?.extensions?.code, 'AUDIT_REVIEW_RESULT_CHANGED');
      assert.match(res.errors![0]!.message, /resultSha256/);
    });

    test('query arguments are re-applied and the effective parameters recorded', async () => {
      const run = await gql(qa, `{ actionsOutsideSiteHours(trialId: "${TRIAL}", startHourUtc: 0, endHourUtc: 24, includeWeekends: false) { resultSha256 parametersJson rows { globalPosition } } }`);
      assert.equal(run.errors, undefined);
      assert.deepEqual(run.data.actionsOutsideSiteHours.rows, []);
      const args = { startHourUtc: 0, endHourUtc: 24, includeWeekends: false };
      const done = await complete(qa, { reviewId: 'REV-2', trialId: TRIAL, queryName: 'actionsOutsideSiteHours', arguments: args, resultSha256: run.data.actionsOutsideSiteHours.resultSha256, conclusion: 'No actions outside the window.' });
      assert.equal(done.errors, undefined, JSON.stringify(done.errors));
      // The default window (07-19) gives another result, so the same hash with default arguments is refused.
      const defaults = await complete(qa, { trialId: TRIAL, queryName: 'actionsOutsideSiteHours', resultSha256: run.data.actionsOutsideSiteHours.resultSha256, conclusion: 'x' });
      assert.equal(defaults.errors?.[0]?.extensions?.code, 'AUDIT_REVIEW_RESULT_CHANGED');
      await caughtUp();
      const reviews = await gql(qa, REVIEWS);
      const review = reviews.data.completedAuditReviews.find((r: { reviewId: string }) => r.reviewId === 'REV-2');
      assert.deepEqual(JSON.parse(review.parametersJson), { startHourUtc: 0, endHourUtc: 24, includeWeekends: false });
    });

    test('refusals: role, unknown query, unknown argument, unknown trial', async () => {
      const input = { trialId: TRIAL, queryName: 'editsAfterLock', resultSha256: 'a'.repeat(64), conclusion: 'c' };
      assert.equal((await complete(monitor, input)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
      assert.equal((await complete(qa, { ...input, queryName: 'everything' })).errors?.[0]?.extensions?.code, 'INVALID_ENUM');
      const badArg = await complete(qa, { ...input, queryName: 'unusualVolumePerUser', arguments: { startHourUtc: 3 } });
      assert.equal(badArg.errors?.[0]?.extensions?.code, 'INPUT_INVALID');
      assert.match(badArg.errors![0]!.message, /arguments\.startHourUtc/);
      assert.equal((await complete(qa, { ...input, trialId: 'NO-SUCH-TRIAL' })).errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });
  });
}
