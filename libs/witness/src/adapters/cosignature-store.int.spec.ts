import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openCosignatureStore, SqliteCosignatureStore, type CosignatureRecord, type CosignatureStore } from '@radledger/witness';
import { TEST_POSTGRES_URL as POSTGRES_TEST_URL } from '../../../ledger/src/testing/postgres-test-url.js';

const record = (n: number): CosignatureRecord => ({
  treeSize: n,
  rootHash: 'ab'.repeat(32),
  note: `radledger\n${n}\nq${'A'.repeat(42)}=\n\n— radledger AAAAAA==\n`,
  witness: 'witness.test/w1',
  keyId: 0xfedcba98,
  line: '— witness.test/w1 AAAA',
  cosignedAt: 1_790_000_000 + n,
  receivedAt: '2026-11-25T12:00:00.000Z',
});

/** The same round trip on both stores kept beside a ledger: append-only, oldest first, key IDs above 2^31 intact. */
async function roundTrip(store: CosignatureStore): Promise<void> {
  await store.addCosignature(record(10));
  await store.addCosignature(record(20));
  await store.addTimestamp({ treeSize: 20, rootHash: 'cd'.repeat(32), note: 'n', token: 'AAAA', nonce: '18446744073709551615', tsaUrl: 'http://tsa.test', receivedAt: '2026-11-25T12:00:01.000Z' });
  await store.addAlarm({ witness: 'witness.test/w1', url: 'http://w.test', treeSize: 20, rootHash: 'cd'.repeat(32), status: 422, reason: 'inconsistent', at: '2026-11-25T12:00:02.000Z' });
  assert.deepEqual(await store.listCosignatures(), [record(10), record(20)]);
  assert.equal((await store.listTimestamps())[0]!.nonce, '18446744073709551615');
  assert.equal((await store.listAlarms())[0]!.status, 422);
}

describe('cosignature stores beside the ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-cosig-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('SQLite: round trip; read-only on a ledger file without the tables lists nothing and creates nothing', async () => {
    const store = await openCosignatureStore(`sqlite:${join(dir, 'ledger.db')}`);
    await roundTrip(store);
    await store.close();
    const again = new SqliteCosignatureStore(join(dir, 'ledger.db'), { readOnly: true });
    assert.equal((await again.listCosignatures()).length, 2);
    await again.close();
    const Database = (await import('better-sqlite3')).default;
    new Database(join(dir, 'plain.db')).close();
    const plain = new SqliteCosignatureStore(join(dir, 'plain.db'), { readOnly: true });
    assert.deepEqual(await plain.listCosignatures(), []);
    await assert.rejects(plain.addCosignature(record(1)), { code: 'COSIGNATURE_STORE_INVALID' });
    await plain.close();
  });

  test('PostgreSQL: round trip in the ledger schema', async () => {
    const schema = `cosig_${process.pid}_${Date.now()}`;
    const store = await openCosignatureStore(`${POSTGRES_TEST_URL}?schema=${schema}`);
    try {
      await roundTrip(store);
    } finally {
      await store.close();
      const pool = new pg.Pool({ connectionString: POSTGRES_TEST_URL });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });

  test('other store URLs are refused with a typed error', async () => {
    await assert.rejects(openCosignatureStore('kurrentdb://127.0.0.1:2113'), { code: 'COSIGNATURE_STORE_INVALID' });
  });
});
