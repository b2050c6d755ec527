import type { AppendResult, EventValidator, StreamWrite } from '../event-store.port.js';
import { checkAppendRequest, type AppendOutcome, type AppendRequest } from './append-plan.js';

/**
 * The queue side of a group commit, shared by the SQL adapters: each append call waits as a
 * PendingAppend until its batch is planned (append-plan.ts) and written; then every call is
 * settled on its own outcome, or all of them with the error that sank the transaction.
 */
export interface PendingAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/** What the adapter must read inside its write transaction before planning the batch. */
export function batchLookupKeys(batch: readonly AppendRequest[]): { eventIds: string[]; streamIds: string[] } {
  return {
    eventIds: batch.flatMap((request) => request.events.map((event) => event.eventId)),
    streamIds: [...new Set(batch.map((request) => request.streamId))],
  };
}

/** Settles each append on the outcome planned for it (outcomes[i] belongs to batch[i]). */
export function settleBatch(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
  batch.forEach((request, index) => {
    const outcome = outcomes[index]!;
    if ('ok' in outcome) request.resolve(outcome.ok);
    else request.reject(outcome.error);
  });
}

/** The transaction failed as a whole: every append of the batch fails with the same error. */
export function rejectBatch(batch: readonly PendingAppend[], error: Error): void {
  for (const request of batch) request.reject(error);
}

let nextGroup = 1;

/**
 * `appendMany` for the group-commit adapters: every part checked, then queued together with
 * one group number (so one batch plans them as one, all or none), answered in write order.
 */
export function queueGroup(queue: PendingAppend[], writes: readonly StreamWrite[], validator: EventValidator | undefined): Promise<AppendResult[]> {
  if (writes.length === 0) return Promise.resolve([]);
  const group = nextGroup++;
  const requests = writes.map((w): AppendRequest => {
    const request: AppendRequest = { streamId: w.streamId, expectedRevision: w.expectedRevision, events: w.events, group };
    request.encoded = checkAppendRequest(request, validator);
    return request;
  });
  return Promise.all(requests.map((request) => new Promise<AppendResult>((resolve, reject) => queue.push({ ...request, resolve, reject }))));
}
