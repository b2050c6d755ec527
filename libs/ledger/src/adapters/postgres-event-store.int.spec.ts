import { runEventStoreContract } from '../testing/event-store.contract.js';
import { dropSchema, freshSchemaName } from '../testing/ledger-backends.js';
import { TEST_POSTGRES_URL } from '../testing/postgres-test-url.js';
import { PostgresEventStore } from './postgres-event-store.adapter.js';

runEventStoreContract('PostgresEventStore', async ({ validator }) => {
  const schema = freshSchemaName();
  const store = await PostgresEventStore.open({ connectionString: TEST_POSTGRES_URL, schema, validator, pollMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
});

// The same contract with every batch planned inside a transaction holding the append lock
// (the path a writer falls back to after losing two races).
runEventStoreContract('PostgresEventStore, planning under the lock', async ({ validator }) => {
  const schema = freshSchemaName();
  const store = await PostgresEventStore.open({ connectionString: TEST_POSTGRES_URL, schema, validator, pollMs: 50, optimisticAttempts: 0 });
  return {
    store,
    dispose: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
});
