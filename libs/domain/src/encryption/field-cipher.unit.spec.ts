import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanForPhi } from '../phi/phi-detector.js';
import { formatSealedValue, isSealedValue, keyScopeName, parseSealedValue, sealedKeyIds } from './field-cipher.port.js';
import { keyScopeOf, sealLabel } from './free-text-fields.js';

const sealed = (keyId: string, label = 'SegmentationEdited.reason') => formatSealedValue({ keyId, label, nonce: 'A'.repeat(16), ciphertext: 'B'.repeat(30) });

test('sealed envelopes: format and parse are inverse; other strings are not sealed', () => {
  const v = { keyId: 'kAbc_-1', label: 'DecisionOverridden.meta.reason', nonce: 'abcdefghijklmnop', ciphertext: 'x'.repeat(40) };
  assert.deepEqual(parseSealedValue(formatSealedValue(v)), v);
  assert.equal(isSealedValue(formatSealedValue(v)), true);
  for (const s of ['enc:v1:', 'enc:v2:k:L:abcdefghijklmnop:xxxxxxxxxxxxxxxxxxxxxxxx', 'fix margin', `${formatSealedValue(v)} trailing`]) assert.equal(isSealedValue(s), false, s);
});

test('sealedKeyIds finds key ids in nested data and inside JSON text (read-model columns)', () => {
  const ids = sealedKeyIds({ reason: sealed('k1'), nested: [{ comment: sealed('k2') }], json: JSON.stringify({ comment: sealed('k3') }), n: 4 });
  assert.deepEqual([...ids].sort(), ['k1', 'k2', 'k3']);
});

test('key scope: the subject named in the data, else in the first event of the stream, else the event itself', () => {
  assert.deepEqual(keyScopeOf({ eventId: 'E1', data: { trialId: 'T1', subjectId: 'S1' } }), { kind: 'subject', trialId: 'T1', subjectId: 'S1' });
  assert.deepEqual(keyScopeOf({ eventId: 'E2', data: { segmentationId: 'SEG' } }, { data: { trialId: 'T1', subjectId: 'S2' } }), { kind: 'subject', trialId: 'T1', subjectId: 'S2' });
  assert.deepEqual(keyScopeOf({ eventId: 'E3', data: { userId: 'u' } }), { kind: 'event', eventId: 'E3' });
  assert.equal(keyScopeName({ kind: 'subject', trialId: 'T1', subjectId: 'S1' }), 'subject:T1/S1');
  assert.equal(sealLabel('SegmentationEdited', 'meta.reason'), 'SegmentationEdited.meta.reason');
});

test('the PHI scanner never flags a sealed value, whatever its random ciphertext looks like', () => {
  // A ciphertext that happens to look like an SSN or a phone number must not block the append.
  assert.equal(scanForPhi({ reason: formatSealedValue({ keyId: 'k1', label: 'X.reason', nonce: 'A'.repeat(16), ciphertext: 'aa-123-45-6789-555-123-4567-zz' }) }), null);
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{22,80}$/), (ciphertext) => scanForPhi({ reason: formatSealedValue({ keyId: 'k1', label: 'X.reason', nonce: 'A'.repeat(16), ciphertext }) }) === null),
  );
  // ...while the plaintext is still scanned.
  assert.notEqual(scanForPhi({ reason: 'call 555-123-4567' }), null);
});
