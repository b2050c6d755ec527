import { GENESIS_PREV_HASH, sealEnvelope, type EventStore, type RecordedEvent } from '@radledger/ledger';
import type { StreamEvent } from './synthetic-trial.js';

/** Seals events as the ledger would (positions, revisions, hash chain) without a database: for pure projection tests. */
export function recordEvents(events: Iterable<StreamEvent>): RecordedEvent[] {
  const revisions = new Map<string, number>();
  const out: RecordedEvent[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (const { streamId, event } of events) {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const recorded = sealEnvelope({
      eventId: event.eventId,
      streamId,
      streamRevision: String(revision),
      globalPosition: String(out.length),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      meta: event.meta,
      prevHash,
    });
    prevHash = recorded.hash;
    out.push(recorded);
  }
  return out;
}

/**
 * Appends in ledger order. Calls made in the same tick are group-committed by the adapters,
 * so `concurrency` appends are issued together; each call is one event of one stream.
 */
export async function appendInOrder(store: Pick<EventStore, 'append'>, events: Iterable<StreamEvent>, concurrency = 1000): Promise<number> {
  let pending: Promise<unknown>[] = [];
  let count = 0;
  for (const { streamId, event } of events) {
    pending.push(store.append(streamId, 'any', [event]));
    count++;
    if (pending.length >= concurrency) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  return count;
}
