import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { redactionDecider } from './redaction.decider.js';
import type { RedactionEvent } from './redaction.events.js';

const h = 'e'.repeat(64);
const target = { eventId: 'E1', streamId: 'segmentation-S', type: 'SegmentationEdited', hash: h };
const cmd = { eventId: 'E1', justification: 'Reason text contained a patient name' };
const requested: RedactionEvent = { type: 'RedactionRequested', data: { eventId: 'E1', streamId: 'segmentation-S', eventType: 'SegmentationEdited', eventHash: h, justification: cmd.justification, requestedBy: 'reg-1', requestedRole: 'regulatory' } };
const spec = deciderSpec(redactionDecider);

test('two people, regulatory + admin: request, then PayloadRedacted', () => {
  spec.given().withContext({ actor: 'reg-1', role: 'regulatory' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).then([requested]);
  spec.given([requested]).withContext({ actor: 'adm-1', role: 'admin' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).then([
    { type: 'PayloadRedacted', data: { ...requested.data, approvedBy: 'adm-1', approvedRole: 'admin' } },
  ]);
});

test('redaction refusals', () => {
  spec.given([requested]).withContext({ actor: 'reg-1', role: 'admin' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).thenThrows('REDACTION_SAME_PERSON');
  spec.given([requested]).withContext({ actor: 'reg-2', role: 'regulatory' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).thenThrows('REDACTION_ROLE_DUPLICATE');
  spec.given().withContext({ actor: 'op', role: 'site-operator' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).thenThrows('REDACTION_ROLE_REQUIRED');
  spec.given().withContext({ actor: 'reg-1', role: 'regulatory' }).withFacts({ target: null }).when({ type: 'RedactPayload', data: cmd }).thenThrows('NOT_FOUND', 'eventId');
  spec.given().withContext({ actor: 'reg-1', role: 'regulatory' }).withFacts({ target }).when({ type: 'RedactPayload', data: { eventId: 'E1', justification: '' } }).thenThrows('REASON_REQUIRED', 'justification');
  const done: RedactionEvent = { type: 'PayloadRedacted', data: { ...requested.data, approvedBy: 'adm-1', approvedRole: 'admin' } };
  spec.given([requested, done]).withContext({ actor: 'reg-1', role: 'regulatory' }).withFacts({ target }).when({ type: 'RedactPayload', data: cmd }).thenThrows('ALREADY_REDACTED');
});
