import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '@radledger/platform';
import type { LedgerStore } from '../event-store.port.js';
import { openEventStore } from '../ledger-store.factory.js';
import { LedgerService } from '../ledger.service.js';
import { postgresBackend, sqliteBackend, type TestBackend } from '../testing/ledger-backends.js';
import { newTestEvent } from '../testing/ledger-fixtures.js';

const code = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof DomainError, String(error));
  assert.equal(error.code, expected, error.message);
  return true;
};

/**
 * Two store instances on one ledger (two processes, two API replicas): each plans appends
 * on what it last saw, which the other instance keeps making stale. Every answer must
 * still be the one a single writer would give.
 */
function sharedLedgerSuite(backend: TestBackend): void {
  describe(`two store instances on one ledger: ${backend.name}`, () => {
    it('appends, conflicts and idempotent replays are decided on the actual ledger, not on a stale view', async () => {
      const env = await backend.create();
      const other: LedgerStore = await openEventStore(env.url);
      const a = env.store;
      try {
        await a.append('s', 'no-stream', [newTestEvent()]);
        // b has never seen s: it must append after revision 0, not create the stream again.
        const b1 = await other.append('s', 'any', [newTestEvent()]);
        assert.equal(b1.nextExpectedRevision, 1);
        assert.equal(b1.firstPosition, 1);
        await other.append('s', 1, [newTestEvent()]);
        // a last saw revision 0 of s: its expectation is checked against revision 2.
        await assert.rejects(a.append('s', 0, [newTestEvent()]), code('STREAM_REVISION_CONFLICT'));
        await assert.rejects(a.append('s', 'no-stream', [newTestEvent()]), code('STREAM_REVISION_CONFLICT'));
        assert.equal((await a.append('s', 2, [newTestEvent()])).nextExpectedRevision, 3);

        // A retry through the other instance of an append a made is a replay, whatever it expects.
        const events = [newTestEvent(), newTestEvent()];
        const original = await a.append('t', 'no-stream', events);
        assert.deepEqual(await other.append('t', 'no-stream', structuredClone(events)), original);
        assert.deepEqual(await other.append('t', 7, structuredClone(events)), original);
        assert.deepEqual(await other.append('t', 'any', structuredClone(events)), original);
        await assert.rejects(other.append('t', 'any', [{ ...events[0]!, data: { changed: true } }]), code('EVENT_ID_REUSED'));

        // Interleaved group commits from both instances: one chain, no gap, no fork.
        const calls = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : other).append(i % 3 === 0 ? 'hot' : `cold-${i}`, 'any', [newTestEvent()]));
        await Promise.all(calls);
        const report = await new LedgerService(a).verifyLedger();
        assert.equal(report.size, 4 + 2 + 40);
        assert.deepEqual(await other.head(), await a.head());
        const hot = await a.readStream('hot');
        assert.deepEqual(hot.map((e) => e.streamRevision), hot.map((_, i) => String(i)));
      } finally {
        await other.close();
        await env.dispose();
      }
    });
  });
}

sharedLedgerSuite(sqliteBackend);
sharedLedgerSuite(postgresBackend);
