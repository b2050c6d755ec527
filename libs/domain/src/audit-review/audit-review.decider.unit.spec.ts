import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { trialDecider } from '../trial/trial.decider.js';
import { auditReviewDecider } from './audit-review.decider.js';
import type { AuditReviewEvent } from './audit-review.events.js';
import type { CompleteAuditReview } from './audit-review.commands.js';

const trial = fold(trialDecider, [{ type: 'TrialRegistered', data: { trialId: 'T1', title: 'Glioma', sponsor: 'S', phase: null, blinded: false } } as never]);
const data: CompleteAuditReview['data'] = {
  reviewId: 'R1',
  trialId: 'T1',
  queryName: 'editsAfterLock',
  parameters: { lockedAtPosition: 12, types: ['SegmentationEdited'] },
  resultSha256: 'a'.repeat(64),
  conclusion: 'All edits after lock carry a reason and were re-reviewed.',
};
const completed: AuditReviewEvent = { type: 'AuditReviewCompleted', data: data as AuditReviewEvent['data'] };
const spec = deciderSpec(auditReviewDecider);
const when = (d: Partial<CompleteAuditReview['data']>) => ({ type: 'CompleteAuditReview' as const, data: { ...data, ...d } as CompleteAuditReview['data'] });

test('qa completes a saved audit review: AuditReviewCompleted binds query, parameters and result hash', () => {
  spec.given().withContext({ actor: 'qa-1', role: 'qa' }).withFacts({ trial }).when(when({})).then([completed]);
  spec.given().withContext({ actor: 'reg-1', role: 'regulatory' }).withFacts({ trial }).when(when({})).then([completed]);
});

test('audit review refusals', () => {
  spec.given().withContext({ role: 'site-operator' }).withFacts({ trial }).when(when({})).thenThrows('AUDIT_REVIEW_ROLE_REQUIRED', 'role');
  spec.given().withContext({ role: 'monitor' }).withFacts({ trial }).when(when({})).thenThrows('AUDIT_REVIEW_ROLE_REQUIRED');
  spec.given([completed]).withContext({ role: 'qa' }).withFacts({ trial }).when(when({})).thenThrows('AUDIT_REVIEW_ALREADY_COMPLETED', 'reviewId');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial: trialDecider.initialState() }).when(when({})).thenThrows('NOT_FOUND', 'trialId');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial }).when(when({ queryName: 'everything' as never })).thenThrows('INVALID_ENUM', 'queryName');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial }).when(when({ resultSha256: 'ABC' })).thenThrows('INVALID_SHA256', 'resultSha256');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial }).when(when({ conclusion: ' ' })).thenThrows('REQUIRED', 'conclusion');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial }).when(when({ parameters: [] as never })).thenThrows('INPUT_INVALID', 'parameters');
  spec.given().withContext({ role: 'qa' }).withFacts({ trial }).when(when({ reviewId: 'bad id' })).thenThrows('INVALID_ID', 'reviewId');
});
