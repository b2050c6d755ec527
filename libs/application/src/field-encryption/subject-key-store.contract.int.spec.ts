import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseSealedValue, type RedactionRecord } from '@radledger/domain';
import { AesGcmFieldCipher, REDACTED_TEXT } from './aes-gcm-field.cipher.js';
import { openSubjectKeyStore } from './subject-key-store.factory.js';
import type { SubjectKeyStore } from './subject-key-store.port.js';

const POSTGRES_URL = process.env.RADLEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const record: RedactionRecord = {
  targetEventId: 'E-1',
  redactionEventId: 'R-1',
  justification: 'name in a reason',
  requestedBy: 'u-reg',
  requestedRole: 'regulatory',
  approvedBy: 'u-admin',
  approvedRole: 'admin',
  redactedAt: '2026-01-02T03:04:05.000Z',
};

/** One contract, every SubjectKeyStore adapter (HOUSE_STYLE: one suite per store). */
for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`SubjectKeyStore contract (${backend})`, () => {
    const kek = randomBytes(32);
    const schema = `rl_keys_${randomBytes(6).toString('hex')}`;
    let dir: string;
    let url: string;
    let keys: SubjectKeyStore;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'radledger-keystore-'));
      url = backend === 'sqlite' ? `sqlite:${join(dir, 'keys.db')}` : `${POSTGRES_URL}?schema=${schema}`;
      keys = await openSubjectKeyStore(url, kek);
    });
    after(async () => {
      await keys.close();
      if (backend === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dir, { recursive: true, force: true });
    });

    test('concurrent first uses of a scope agree on one live key; keys survive a reopen', async () => {
      const got = await Promise.all(Array.from({ length: 8 }, () => keys.activeKey('subject:T1/S1')));
      assert.equal(new Set(got.map((k) => k.keyId)).size, 1);
      assert.equal(got[0]!.key.length, 32);
      const second = await openSubjectKeyStore(url, kek);
      try {
        const again = await second.activeKey('subject:T1/S1');
        assert.equal(again.keyId, got[0]!.keyId);
        assert.deepEqual(again.key, got[0]!.key);
      } finally {
        await second.close();
      }
    });

    test('lookup: live keys, tombstones with the redaction, unknown ids absent; destroy is idempotent and rotates', async () => {
      const cipher = new AesGcmFieldCipher(keys);
      const sealed = await cipher.seal('Dr Okafor', { kind: 'subject', trialId: 'T1', subjectId: 'S2' }, 'SegmentationEdited.reason');
      const keyId = parseSealedValue(sealed)!.keyId;
      assert.equal((await keys.lookup([keyId, 'kNope'])).get(keyId)?.state, 'live');
      assert.equal((await keys.lookup([keyId, 'kNope'])).has('kNope'), false);
      await keys.destroy([keyId], record);
      await keys.destroy([keyId], { ...record, justification: 'second attempt' });
      const tomb = (await keys.lookup([keyId])).get(keyId);
      assert.equal(tomb?.state, 'destroyed');
      assert.deepEqual(tomb?.state === 'destroyed' ? tomb.redaction : null, record);
      const opened = await cipher.reveal({ reason: sealed });
      assert.deepEqual(opened, { value: { reason: REDACTED_TEXT }, redactions: [record] });
      assert.notEqual((await keys.activeKey('subject:T1/S2')).keyId, keyId);
    });
  });
}
