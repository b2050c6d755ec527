import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyError } from '@radledger/platform';
import type { AppendResult } from '../event-store.port.js';
import type { EventMeta } from '../core/envelope.js';
import type { AppendOutcome } from './append-plan.js';
import { batchLookupKeys, rejectBatch, settleBatch, type PendingAppend } from './pending-append.js';

const meta: EventMeta = {
  actor: 'u',
  role: 'r',
  correlationId: 'c',
  causationId: 'c',
  recordedAt: '2026-01-01T00:00:00.000Z',
  client: 'radledger-test',
};

function pending(streamId: string, eventIds: string[], settled: Array<[string, unknown]>): PendingAppend {
  return {
    streamId,
    expectedRevision: 'any',
    events: eventIds.map((eventId) => ({ eventId, type: 'T', schemaVersion: 1, data: {}, meta })),
    resolve: (result) => settled.push([streamId, result]),
    reject: (error) => settled.push([streamId, error]),
  };
}

test('batchLookupKeys: every eventId in order, each stream once', () => {
  const batch = [pending('a', ['e1', 'e2'], []), pending('b', ['e3'], []), pending('a', ['e4'], [])];
  assert.deepEqual(batchLookupKeys(batch), { eventIds: ['e1', 'e2', 'e3', 'e4'], streamIds: ['a', 'b'] });
});

test('settleBatch: each call gets its own outcome; rejectBatch: all get the one error', () => {
  const settled: Array<[string, unknown]> = [];
  const batch = [pending('a', ['e1'], settled), pending('b', ['e2'], settled)];
  const ok: AppendResult = { streamId: 'a', nextExpectedRevision: 0, firstPosition: 0, lastPosition: 0, events: [] };
  const conflict = new ConcurrencyError('STREAM_REVISION_CONFLICT', 'stream b: expected no stream, actual revision 0');
  const outcomes: AppendOutcome[] = [{ ok }, { error: conflict }];
  settleBatch(batch, outcomes);
  assert.deepEqual(settled, [['a', ok], ['b', conflict]]);

  settled.length = 0;
  const down = new Error('connection lost');
  rejectBatch(batch, down);
  assert.deepEqual(settled, [['a', down], ['b', down]]);
});
