import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { runEventStoreContract } from '../../testing/event-store.contract.js';
import { KurrentEventStore } from './kurrentdb-event-store.adapter.js';

// The shared contract suite against a live KurrentDB: set KURRENTDB_URL (e.g.
// kurrentdb://127.0.0.1:2113?tls=false). No KurrentDB server can be installed on the
// development and CI machines, so there the suite reports itself as not run (see README).
const url = process.env.KURRENTDB_URL;
if (url) {
  runEventStoreContract('KurrentDB', async ({ validator }) => {
    const store = await KurrentEventStore.open({ connectionString: url, validator, streamPrefix: `rl-test-${randomBytes(6).toString('hex')}`, pollMs: 50 });
    return { store, dispose: () => store.close() };
  });
} else {
  describe('EventStore contract: KurrentDB', () => {
    it('runs only with KURRENTDB_URL set (no KurrentDB server on this machine)', { skip: 'KURRENTDB_URL is not set' }, () => {});
  });
}
