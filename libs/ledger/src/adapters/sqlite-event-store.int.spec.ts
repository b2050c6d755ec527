import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from '../testing/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.adapter.js';

runEventStoreContract('SqliteEventStore', async ({ validator }) => {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-sqlite-'));
  const store = new SqliteEventStore({ path: join(dir, 'nested', 'ledger.db'), validator, pollMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
