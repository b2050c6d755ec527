import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SqliteEventStore, type LedgerHead } from '@radledger/ledger';
import { newTestEvent } from '../../../ledger/src/testing/ledger-fixtures.js';
import { AccessDirectory } from './access-directory.js';

const grant = (type: 'RoleGranted' | 'RoleRevoked') => newTestEvent({ type, data: { userId: 'u-qa', role: 'qa', trialId: 'T1', siteId: null, reason: 'QA lead' } });

describe('AccessDirectory on a SQLite ledger', () => {
  let dir: string;
  let store: SqliteEventStore;
  let heads = 0;
  /** Holds head() until released, so a look can be kept in flight. */
  let gate: Promise<void> | undefined;
  let directory: AccessDirectory;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-access-directory-'));
    store = new SqliteEventStore({ path: join(dir, 'ledger.db') });
    await store.append('user-u-qa', 'no-stream', [newTestEvent({ type: 'UserRegistered', data: { userId: 'u-qa', printedName: 'Quinn QA', kind: 'person', trialId: 'T1' } }), grant('RoleGranted')]);
    // The real store, with head() counted and, when asked, held.
    const counted = {
      head: async (): Promise<LedgerHead> => {
        heads++;
        if (gate) await gate;
        return store.head();
      },
      readAll: store.readAll.bind(store),
      readStream: store.readStream.bind(store),
    };
    directory = new AccessDirectory(counted);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a burst of concurrent requests shares looks at the ledger instead of queueing one each', async () => {
    assert.deepEqual((await directory.user('u-qa'))?.grants, ['qa|T1|*']);
    heads = 0;
    const states = await Promise.all(Array.from({ length: 50 }, () => directory.user('u-qa')));
    assert.ok(states.every((s) => s?.grants.length === 1));
    assert.ok(heads <= 2, `50 concurrent requests read the head ${heads} times`);
  });

  test('a call made while a look is in flight waits for a look that starts after it: a revoke appended just before is seen', async () => {
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const early = directory.user('u-qa'); // its look is held at head()
    await new Promise((resolve) => setImmediate(resolve));
    await store.append('user-u-qa', 'any', [grant('RoleRevoked')]);
    const late = directory.user('u-qa'); // made after the revoke was recorded
    gate = undefined;
    release();
    await early;
    assert.deepEqual((await late)?.grants, [], 'the revoke recorded before the call applies to it');
  });
});
