import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runEventStoreContract } from '../testing/event-store.contract.js';
import { PostgresEventStore } from './postgres-event-store.adapter.js';
import { TEST_POSTGRES_URL } from '../testing/postgres-test-url.js';

runEventStoreContract('PostgresEventStore', async ({ validator }) => {
  const schema = `ledger_test_${randomBytes(6).toString('hex')}`;
  const store = await PostgresEventStore.open({ connectionString: TEST_POSTGRES_URL, schema, validator, pollMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
});
