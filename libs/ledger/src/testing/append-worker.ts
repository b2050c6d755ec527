/**
 * A writer process for concurrency and crash tests:
 *   node --import @swc-node/register/esm-register append-worker.ts <storeUrl> <workerId> <appends|forever> <maxBatch>
 * Keeps 4 appends in flight (so group commit batches them), alternating between its own
 * streams and one stream shared by all workers. Prints `ack <eventId>` for every event
 * only after its append resolved, i.e. after the commit was acknowledged.
 */
import { openEventStore } from '../ledger-store.factory.js';
import { newTestEvent } from './ledger-fixtures.js';

const [url, workerId, appendsArg, maxBatchArg] = process.argv.slice(2);
if (!url || !workerId || !appendsArg || !maxBatchArg) {
  process.stderr.write('usage: append-worker <storeUrl> <workerId> <appends|forever> <maxBatch>\n');
  process.exit(2);
}
const total = appendsArg === 'forever' ? Infinity : Number(appendsArg);
const maxBatch = Number(maxBatchArg);
const store = await openEventStore(url, { busyTimeoutMs: 30_000 });
const padding = 'x'.repeat(900);
let started = 0;

async function lane(lane: number): Promise<void> {
  while (started < total) {
    const n = started++;
    const size = 1 + ((n * 7 + lane) % maxBatch);
    const events = Array.from({ length: size }, (_, i) => newTestEvent({ data: { worker: workerId, n, i, padding } }));
    const stream = n % 3 === 0 ? 'shared' : `worker-${workerId}-${n % 5}`;
    await store.append(stream, 'any', events);
    process.stdout.write(events.map((e) => `ack ${e.eventId}\n`).join(''));
  }
}

await Promise.all([0, 1, 2, 3].map(lane));
await store.close();
