import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { eventDataSchemas, isSealedValue, parseSealedValue, formatSealedValue, type KeyScope, type RedactionRecord } from '@radledger/domain';
import { AesGcmFieldCipher, KEY_UNAVAILABLE_TEXT, REDACTED_TEXT } from './aes-gcm-field.cipher.js';
import { loadOrCreateKeyEncryptionKey } from './key-encryption-key.file.js';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store.adapter.js';

const subject = (subjectId: string): KeyScope => ({ kind: 'subject', trialId: 'T1', subjectId });
const record = (targetEventId: string): RedactionRecord => ({
  targetEventId,
  redactionEventId: `R-${targetEventId}`,
  justification: 'physician name in a reason',
  requestedBy: 'u-reg',
  requestedRole: 'regulatory',
  approvedBy: 'u-admin',
  approvedRole: 'admin',
  redactedAt: '2026-01-02T03:04:05.000Z',
});

describe('field encryption: AES-256-GCM cipher over the SQLite subject key store', () => {
  let dir: string;
  let keys: SqliteSubjectKeyStore;
  let cipher: AesGcmFieldCipher;
  let kek: Buffer;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-keys-'));
    kek = loadOrCreateKeyEncryptionKey(join(dir, 'key-encryption-key')).key;
    keys = new SqliteSubjectKeyStore(join(dir, 'keys.db'), kek);
    cipher = new AesGcmFieldCipher(keys);
  });
  after(async () => {
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('seal → reveal gives back any text; the envelope matches the event schema pattern and carries the label', async () => {
    const pattern = new RegExp(((eventDataSchemas['SegmentationEdited.v1'] as { properties: { reason: { anyOf: Array<{ pattern?: string }> } } }).properties.reason.anyOf[1]!.pattern)!, 'u');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), async (text) => {
        const sealedText = await cipher.seal(text, subject('S1'), 'SegmentationEdited.reason');
        assert.ok(isSealedValue(sealedText) && pattern.test(sealedText), sealedText);
        assert.equal(parseSealedValue(sealedText)?.label, 'SegmentationEdited.reason');
        assert.equal((await cipher.reveal(sealedText)).value, text);
      }),
      { numRuns: 60 },
    );
  });

  test('one live key per subject; other subjects and subject-less events get their own', async () => {
    const key = async (scope: KeyScope) => parseSealedValue(await cipher.seal('x', scope, 'X.reason'))!.keyId;
    assert.equal(await key(subject('S1')), await key(subject('S1')));
    assert.notEqual(await key(subject('S1')), await key(subject('S2')));
    assert.notEqual(await key({ kind: 'event', eventId: 'E1' }), await key({ kind: 'event', eventId: 'E2' }));
  });

  test('a changed ciphertext, nonce or label does not open (GCM tag over the key id and label)', async () => {
    const v = parseSealedValue(await cipher.seal('fix margin', subject('S1'), 'SegmentationEdited.reason'))!;
    const flipped = v.ciphertext.startsWith('A') ? `B${v.ciphertext.slice(1)}` : `A${v.ciphertext.slice(1)}`;
    for (const bad of [{ ...v, ciphertext: flipped }, { ...v, label: 'SegmentationReviewed.comment' }, { ...v, nonce: 'A'.repeat(16) }]) {
      assert.equal((await cipher.reveal(formatSealedValue(bad))).value, KEY_UNAVAILABLE_TEXT);
    }
    assert.equal((await cipher.reveal(formatSealedValue({ ...v, keyId: 'kUnknown' }))).value, KEY_UNAVAILABLE_TEXT);
  });

  test('reveal opens sealed values nested in objects and inside JSON text, and leaves other values alone', async () => {
    const a = await cipher.seal('line "one"\nwith quotes', subject('S3'), 'SegmentationReviewed.comment');
    const out = await cipher.reveal({ reason: a, after: JSON.stringify({ comment: a, verdict: 'accepted' }), n: 1, list: [a, 'plain'] });
    assert.deepEqual(out.value, { reason: 'line "one"\nwith quotes', after: JSON.stringify({ comment: 'line "one"\nwith quotes', verdict: 'accepted' }), n: 1, list: ['line "one"\nwith quotes', 'plain'] });
    assert.deepEqual(out.redactions, []);
  });

  test('shred destroys the subject key: its texts read [redacted] with the redaction; the next seal rotates to a new key', async () => {
    const first = await cipher.seal('Dr Okafor agreed', subject('S4'), 'SegmentationEdited.reason');
    const second = await cipher.seal('second comment', subject('S4'), 'SegmentationReviewed.comment');
    const other = await cipher.seal('other subject', subject('S5'), 'SegmentationEdited.reason');
    const keyId = parseSealedValue(first)!.keyId;
    const [raw] = [...(await keys.lookup([keyId])).values()];
    assert.equal(raw?.state, 'live');
    const keyBytes = (raw as { key: Buffer }).key;
    const peek = new Database(join(dir, 'keys.db'), { readonly: true });
    const wrapped = (peek.prepare('SELECT wrapped_key FROM subject_key WHERE key_id = ?').get(keyId) as { wrapped_key: Buffer }).wrapped_key;
    peek.close();
    assert.equal(readFileSync(join(dir, 'keys.db')).includes(wrapped), true);

    await cipher.shred([keyId], record('E-1'));
    await cipher.shred([keyId], record('E-2')); // idempotent: the first tombstone stays
    const [a, b, c] = await cipher.revealAll([first, second, other]);
    assert.equal(a!.value, REDACTED_TEXT);
    assert.deepEqual(a!.redactions, [record('E-1')]);
    assert.equal(b!.value, REDACTED_TEXT);
    assert.equal(c!.value, 'other subject');
    const next = await cipher.seal('after the redaction', subject('S4'), 'SegmentationEdited.reason');
    assert.notEqual(parseSealedValue(next)!.keyId, keyId);
    assert.equal((await cipher.reveal(next)).value, 'after the redaction');
    // Crypto-shredding: neither the data key nor its wrapped form is left in the key file.
    await keys.close();
    const file = readFileSync(join(dir, 'keys.db'));
    assert.equal(file.includes(keyBytes), false);
    assert.equal(file.includes(wrapped), false, 'the wrapped key survived in the file (secure_delete)');
    keys = new SqliteSubjectKeyStore(join(dir, 'keys.db'), kek);
    cipher = new AesGcmFieldCipher(keys);
    assert.equal((await cipher.reveal(first)).value, REDACTED_TEXT);
  });

  test('data keys are stored wrapped: another key-encryption key cannot open them (KEY_UNWRAP_FAILED)', async () => {
    const sealedText = await cipher.seal('wrapped', subject('S6'), 'X.reason');
    const keyId = parseSealedValue(sealedText)!.keyId;
    const [live] = [...(await keys.lookup([keyId])).values()];
    assert.equal(readFileSync(join(dir, 'keys.db')).includes((live as { key: Buffer }).key), false);
    const wrong = new SqliteSubjectKeyStore(join(dir, 'keys.db'), Buffer.alloc(32, 7));
    try {
      await assert.rejects(wrong.lookup([keyId]), (e: Error & { code?: string }) => e.code === 'KEY_UNWRAP_FAILED');
    } finally {
      await wrong.close();
    }
  });

  test('the key-encryption key file is created with mode 0600, reloaded as is, and a malformed file is refused', () => {
    const path = join(dir, 'kek-2');
    const created = loadOrCreateKeyEncryptionKey(path);
    assert.equal(created.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const again = loadOrCreateKeyEncryptionKey(path);
    assert.equal(again.created, false);
    assert.deepEqual(again.key, created.key);
    writeFileSync(join(dir, 'kek-bad'), 'c2hvcnQ=\n');
    assert.throws(() => loadOrCreateKeyEncryptionKey(join(dir, 'kek-bad')), (e: Error & { code?: string }) => e.code === 'KEY_ENCRYPTION_KEY_INVALID');
  });
});
