import type { AppendResult } from '../event-store.port.js';
import type { AppendOutcome, AppendRequest } from './append-plan.js';

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
