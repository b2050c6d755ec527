import { test } from 'node:test';
import { deciderSpec, TEST_NOW } from '../testing/decider-spec.js';
import { signaturesDecider, signatureBindsRecord } from './signatures.decider.js';
import assert from 'node:assert/strict';
import type { SignaturesEvent } from './signatures.events.js';

const h = (c: string) => c.repeat(64);
const target = { eventId: 'E1', streamId: 'decision-D', type: 'ModelDecisionMade', hash: h('e') };
const cmd = { eventId: 'E1', meaning: 'approved' as const, printedName: 'Dr. A. Neuro', signatureId: 'S1' };
const signed: SignaturesEvent = {
  type: 'RecordSigned',
  data: { signatureId: 'S1', eventId: 'E1', streamId: 'decision-D', eventType: 'ModelDecisionMade', eventHash: h('e'), signerId: 'user-1', printedName: 'Dr. A. Neuro', meaning: 'approved', signedAt: TEST_NOW.toISOString() },
};
const spec = deciderSpec(signaturesDecider);

test('SignRecord: printed name, UTC time, meaning, bound to the record hash (11.50, 11.70)', () => {
  spec.given().withFacts({ target }).when({ type: 'SignRecord', data: cmd }).then([signed]);
});

test('SignRecord refusals', () => {
  spec.given().withFacts({ target: null }).when({ type: 'SignRecord', data: cmd }).thenThrows('NOT_FOUND', 'eventId');
  spec.given([signed]).withFacts({ target }).when({ type: 'SignRecord', data: { ...cmd, signatureId: 'S2' } }).thenThrows('SIGNATURE_DUPLICATE', 'meaning');
  // Same person, other meaning; other person, same meaning: both fine.
  spec.given([signed]).withFacts({ target }).when({ type: 'SignRecord', data: { ...cmd, signatureId: 'S2', meaning: 'reviewed' } }).thenEvents(() => undefined);
  spec.given([signed]).withContext({ actor: 'user-2' }).withFacts({ target }).when({ type: 'SignRecord', data: { ...cmd, signatureId: 'S2' } }).thenEvents(() => undefined);
  spec.given().withFacts({ target }).when({ type: 'SignRecord', data: { ...cmd, meaning: 'liked' as never } }).thenThrows('INVALID_ENUM', 'meaning');
  spec.given().withFacts({ target }).when({ type: 'SignRecord', data: { ...cmd, printedName: '' } }).thenThrows('REQUIRED', 'printedName');
  spec.given().withFacts({ target: { ...target, type: 'RecordSigned' } }).when({ type: 'SignRecord', data: cmd }).thenThrows('SIGNATURE_TARGET_INVALID');
});

test('a signature binds exactly one record hash (11.70)', () => {
  assert.equal(signatureBindsRecord(signed.data, { eventId: 'E1', hash: h('e') }), true);
  assert.equal(signatureBindsRecord(signed.data, { eventId: 'E2', hash: h('e') }), false, 'copied to another record');
  assert.equal(signatureBindsRecord(signed.data, { eventId: 'E1', hash: h('f') }), false, 'record bytes changed');
});
