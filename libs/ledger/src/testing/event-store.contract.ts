import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '@radledger/platform';
import canonicalize from 'canonicalize';
import type { RecordedEvent } from '../core/envelope.js';
import { GENESIS_PREV_HASH, leafHash } from '../core/hashing.js';
import type { EventValidator, LedgerStore } from '../event-store.port.js';
import { newTestEvent } from './ledger-fixtures.js';

export interface ContractStore {
  store: LedgerStore;
  /** Closes the store and removes what it created (temp file, schema). */
  dispose(): Promise<void>;
}

export type MakeContractStore = (options: { validator?: EventValidator }) => Promise<ContractStore>;

function hasCode(code: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

/** Runs `body` with a fresh store and always disposes of it. */
async function withStore(make: MakeContractStore, body: (store: LedgerStore) => Promise<void>, validator?: EventValidator) {
  const { store, dispose } = await make({ validator });
  try {
    await body(store);
  } finally {
    await dispose();
  }
}

function withoutHash(event: RecordedEvent): Record<string, unknown> {
  const { hash: _hash, canonical: _canonical, ...envelope } = event;
  return envelope;
}

/**
 * One behavioural contract for every EventStore adapter (SQLite, PostgreSQL, later
 * KurrentDB). Each test gets a fresh, empty store.
 */
export function runEventStoreContract(name: string, make: MakeContractStore): void {
  describe(`EventStore contract: ${name}`, () => {
    it('starts empty with the genesis head', () =>
      withStore(make, async (store) => {
        assert.deepEqual(await store.head(), { size: 0, lastHash: GENESIS_PREV_HASH });
        assert.deepEqual(await store.readAll(0), []);
        assert.deepEqual(await store.readStream('nothing-here'), []);
      }));

    it('appends several events atomically with consecutive revisions and positions', () =>
      withStore(make, async (store) => {
        const events = [newTestEvent(), newTestEvent({ type: 'SegmentationEdited' }), newTestEvent()];
        const result = await store.append('segmentation-1', 'no-stream', events);
        assert.equal(result.streamId, 'segmentation-1');
        assert.equal(result.nextExpectedRevision, 2);
        assert.equal(result.firstPosition, 0);
        assert.equal(result.lastPosition, 2);
        assert.deepEqual(
          result.events.map((e) => [e.eventId, e.streamRevision, e.globalPosition, e.type]),
          events.map((e, i) => [e.eventId, String(i), String(i), e.type]),
        );
        assert.deepEqual(await store.readStream('segmentation-1'), result.events);
        assert.deepEqual(await store.readAll(0), result.events);
        assert.equal((await store.head()).size, 3);
        assert.equal((await store.head()).lastHash, result.events[2]!.hash);
      }));

    it('stores the exact canonical bytes and chains every event to the previous hash', () =>
      withStore(make, async (store) => {
        await store.append('a', 'no-stream', [newTestEvent(), newTestEvent()]);
        await store.append('b', 'any', [newTestEvent({ data: { z: 1, a: [1, 'x', { y: null }], unicode: 'é€😀' } })]);
        await store.append('a', 1, [newTestEvent()]);
        const all = await store.readAll(0);
        assert.equal(all.length, 4);
        let prev = GENESIS_PREV_HASH;
        for (const event of all) {
          assert.equal(event.prevHash, prev);
          // The canonicalize package as an independent RFC 8785 reference.
          assert.equal(event.canonical, canonicalize(withoutHash(event)));
          assert.equal(event.hash, leafHash(event.canonical).toString('hex'));
          prev = event.hash;
        }
        const rows = await store.readStoredRows(0, 10);
        assert.deepEqual(
          rows.map((r) => [r.globalPosition, r.canonical, r.hash]),
          all.map((e) => [Number(e.globalPosition), e.canonical, e.hash]),
        );
        const leaves = await store.readLeafHashes(1, 3);
        assert.deepEqual(leaves.map((l) => Buffer.from(l).toString('hex')), [all[1]!.hash, all[2]!.hash]);
        assert.equal(all[0]!.data['counter'], '9007199254740993');
        assert.equal(all[2]!.data['unicode'], 'é€😀');
      }));

    it('returns exactly what a reader reads back, even for members JSON drops or normalises', () =>
      withStore(make, async (store) => {
        const base = newTestEvent();
        const event = { ...base, data: { kept: 1, dropped: undefined, zero: -0 }, meta: { ...base.meta, onBehalfOf: undefined } };
        const result = await store.append('normalised', 'no-stream', [event, newTestEvent()]);
        const stored = await store.readAll(0);
        assert.deepEqual(result.events, stored);
        assert.deepEqual(stored[0]!.data, { kept: 1, zero: 0 });
        assert.ok(!('onBehalfOf' in stored[0]!.meta));
      }));

    it('checks the expected revision: any, no-stream and exact', () =>
      withStore(make, async (store) => {
        await store.append('s', 'no-stream', [newTestEvent()]);
        await store.append('s', 0, [newTestEvent()]);
        await store.append('s', 'any', [newTestEvent()]);
        await assert.rejects(store.append('s', 'no-stream', [newTestEvent()]), hasCode('STREAM_REVISION_CONFLICT'));
        await assert.rejects(store.append('s', 1, [newTestEvent()]), (error: unknown) => {
          hasCode('STREAM_REVISION_CONFLICT')(error);
          assert.match((error as Error).message, /stream s/);
          assert.match((error as Error).message, /expected revision 1/);
          assert.match((error as Error).message, /actual revision 2/);
          return true;
        });
        await assert.rejects(store.append('fresh', 0, [newTestEvent()]), hasCode('STREAM_REVISION_CONFLICT'));
        assert.equal((await store.head()).size, 3);
        assert.deepEqual((await store.readStream('s')).map((e) => e.streamRevision), ['0', '1', '2']);
      }));

    it('returns the original result for a retried append and writes no duplicate', () =>
      withStore(make, async (store) => {
        const events = [newTestEvent(), newTestEvent()];
        const first = await store.append('retry', 'no-stream', events);
        await store.append('other', 'no-stream', [newTestEvent()]);
        const again = await store.append('retry', 'no-stream', structuredClone(events));
        assert.deepEqual(again, first);
        assert.equal((await store.head()).size, 3);
        const single = await store.append('retry', 'any', [structuredClone(events[1]!)]);
        assert.equal(single.firstPosition, 1);
        assert.equal(single.nextExpectedRevision, 1);
      }));

    it('refuses an eventId reused with other content, another stream, or mixed with new events', () =>
      withStore(make, async (store) => {
        const event = newTestEvent();
        await store.append('x', 'no-stream', [event]);
        await assert.rejects(store.append('x', 'any', [{ ...event, data: { other: true } }]), hasCode('EVENT_ID_REUSED'));
        await assert.rejects(store.append('x', 'any', [{ ...event, type: 'Other' }]), hasCode('EVENT_ID_REUSED'));
        await assert.rejects(
          store.append('x', 'any', [{ ...event, meta: { ...event.meta, actor: 'someone-else' } }]),
          hasCode('EVENT_ID_REUSED'),
        );
        await assert.rejects(store.append('y', 'any', [event]), hasCode('EVENT_ID_REUSED'));
        await assert.rejects(store.append('x', 'any', [event, newTestEvent()]), hasCode('EVENT_ID_REUSED'));
        const twice = newTestEvent();
        await assert.rejects(store.append('z', 'any', [twice, twice]), hasCode('EVENT_ID_DUPLICATE'));
        assert.equal((await store.head()).size, 1);
      }));

    it('runs the validator before writing: one refused event refuses the whole append', () =>
      withStore(
        make,
        async (store) => {
          await store.append('v', 'no-stream', [newTestEvent()]);
          await assert.rejects(
            store.append('v', 'any', [newTestEvent(), newTestEvent({ type: 'Forbidden' }), newTestEvent()]),
            hasCode('SCHEMA_INVALID'),
          );
          assert.equal((await store.head()).size, 1);
          assert.equal((await store.readStream('v')).length, 1);
        },
        (event) => {
          if (event.type === 'Forbidden') throw new (class extends DomainError {})('SCHEMA_INVALID', 'type Forbidden has no schema');
        },
      ));

    it('refuses payloads that are not plain JSON and writes nothing', () =>
      withStore(make, async (store) => {
        for (const data of [{ x: Number.NaN }, { x: Infinity }, { x: 1n }, { x: () => 1 }, { x: new Map() }]) {
          await assert.rejects(
            store.append('j', 'any', [newTestEvent(), newTestEvent({ data: data as Record<string, unknown> })]),
            hasCode('EVENT_NOT_JSON'),
          );
        }
        await assert.rejects(store.append('j', 'any', []), hasCode('EVENTS_EMPTY'));
        assert.equal((await store.head()).size, 0);
      }));

    it('group-commits concurrent appends; a failing call does not sink the others', () =>
      withStore(make, async (store) => {
        await store.append('contended', 'no-stream', [newTestEvent()]);
        const reused = newTestEvent();
        await store.append('reused', 'no-stream', [reused]);
        const calls = [
          ...Array.from({ length: 30 }, (_, i) => store.append(`stream-${i}`, 'no-stream', [newTestEvent(), newTestEvent()])),
          store.append('contended', 0, [newTestEvent()]),
          store.append('contended', 0, [newTestEvent()]),
          store.append('reused', 'any', [{ ...reused, data: { changed: 1 } }]),
          store.append('reused', 'no-stream', [reused]),
        ];
        const settled = await Promise.allSettled(calls);
        const fulfilled = settled.filter((s) => s.status === 'fulfilled');
        const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
        assert.equal(fulfilled.length, 32);
        assert.deepEqual(rejected.map((r) => (r.reason as DomainError).code).sort(), ['EVENT_ID_REUSED', 'STREAM_REVISION_CONFLICT']);
        const all = await store.readAll(0, 10_000);
        assert.equal(all.length, 2 + 60 + 1);
        assert.deepEqual(all.map((e) => e.globalPosition), all.map((_, i) => String(i)));
        for (let i = 1; i < all.length; i += 1) assert.equal(all[i]!.prevHash, all[i - 1]!.hash);
        for (const s of settled) {
          if (s.status !== 'fulfilled') continue;
          for (const event of s.value.events) assert.deepEqual(all[Number(event.globalPosition)], event);
        }
      }));

    it('appendMany writes several streams in one append, or none of them (stores that offer it)', () =>
      withStore(make, async (store) => {
        if (!store.appendMany) return;
        await store.append('model-m', 'no-stream', [newTestEvent()]);
        const signature = newTestEvent({ type: 'RecordSigned' });
        const lock = newTestEvent({ type: 'ModelLocked' });
        const [signed, locked] = await store.appendMany([
          { streamId: 'signatures-x', expectedRevision: 'no-stream', events: [signature] },
          { streamId: 'model-m', expectedRevision: 0, events: [lock] },
        ]);
        assert.deepEqual([signed!.firstPosition, locked!.firstPosition], [1, 2]);
        assert.deepEqual((await store.readAll(0)).map((e) => e.eventId).slice(1), [signature.eventId, lock.eventId]);
        // A stale part sinks the whole call, in the same batch as a healthy neighbour that still lands.
        const size = (await store.head()).size;
        const [failed, neighbour] = await Promise.allSettled([
          store.appendMany([
            { streamId: 'signatures-y', expectedRevision: 'no-stream', events: [newTestEvent()] },
            { streamId: 'model-m', expectedRevision: 0, events: [newTestEvent()] },
          ]),
          store.append('elsewhere', 'no-stream', [newTestEvent()]),
        ]);
        assert.equal(failed.status, 'rejected');
        assert.equal(((failed as PromiseRejectedResult).reason as DomainError).code, 'STREAM_REVISION_CONFLICT');
        assert.equal(neighbour.status, 'fulfilled');
        assert.deepEqual(await store.readStream('signatures-y'), []);
        assert.equal((await store.head()).size, size + 1);
        // A retried group answers its original events and writes nothing twice.
        const again = await store.appendMany([
          { streamId: 'signatures-x', expectedRevision: 'no-stream', events: [signature] },
          { streamId: 'model-m', expectedRevision: 0, events: [lock] },
        ]);
        assert.deepEqual(again.map((r) => r.events[0]!.eventId), [signature.eventId, lock.eventId]);
        assert.equal((await store.head()).size, size + 1);
      }));

    it('pages readAll from any position', () =>
      withStore(make, async (store) => {
        for (let i = 0; i < 5; i += 1) await store.append(`p-${i}`, 'no-stream', Array.from({ length: 5 }, () => newTestEvent()));
        const all = await store.readAll(0, 100);
        assert.equal(all.length, 25);
        const paged: RecordedEvent[] = [];
        for (let from = 0; ; ) {
          const page = await store.readAll(from, 10);
          if (page.length === 0) break;
          assert.ok(page.length <= 10);
          paged.push(...page);
          from = Number(page[page.length - 1]!.globalPosition) + 1;
        }
        assert.deepEqual(paged, all);
        assert.deepEqual(await store.readAll(20, 100), all.slice(20));
        assert.deepEqual(await store.readAll(25), []);
      }));

    it('finds an event by id', () =>
      withStore(make, async (store) => {
        const event = newTestEvent();
        const result = await store.append('f', 'no-stream', [newTestEvent(), event]);
        assert.deepEqual(await store.findEvent(event.eventId), result.events[1]);
        assert.equal(await store.findEvent('no-such-event'), undefined);
      }));

    it('subscribe catches up from a position, then delivers live appends in order', () =>
      withStore(make, async (store) => {
        await store.append('sub', 'no-stream', [newTestEvent(), newTestEvent(), newTestEvent()]);
        const seen: string[] = [];
        const fromStart: string[] = [];
        const subscription = store.subscribe(1, (event) => {
          seen.push(event.globalPosition);
        });
        const everything = store.subscribe(0, (event) => {
          fromStart.push(event.eventId);
        });
        try {
          await subscription.caughtUp();
          assert.deepEqual(seen, ['1', '2']);
          await store.append('sub', 2, [newTestEvent()]);
          await store.append('sub-2', 'no-stream', [newTestEvent(), newTestEvent()]);
          await subscription.caughtUp();
          await everything.caughtUp();
          assert.deepEqual(seen, ['1', '2', '3', '4', '5']);
          assert.deepEqual(fromStart, (await store.readAll(0)).map((e) => e.eventId));
        } finally {
          await subscription.close();
          await everything.close();
        }
      }));

    it('stops a subscription whose handler fails and reports the failure', () =>
      withStore(make, async (store) => {
        await store.append('boom', 'no-stream', [newTestEvent(), newTestEvent()]);
        const subscription = store.subscribe(0, (event) => {
          if (event.globalPosition === '1') throw new Error('projection failed at 1');
        });
        await assert.rejects(subscription.caughtUp(), /projection failed at 1/);
        await subscription.close();
      }));

    it('keeps signed checkpoints, oldest first', () =>
      withStore(make, async (store) => {
        assert.equal(await store.latestCheckpoint(), undefined);
        const first = { treeSize: 1, rootHash: 'aa'.repeat(32), issuedAt: '2026-11-25T12:00:00.000Z', note: 'note one\n' };
        const second = { treeSize: 2, rootHash: 'bb'.repeat(32), issuedAt: '2026-11-25T12:01:00.000Z', note: 'note two\n' };
        await store.addCheckpoint(first);
        await store.addCheckpoint(second);
        assert.deepEqual(await store.listCheckpoints(), [first, second]);
        assert.deepEqual(await store.latestCheckpoint(), second);
      }));
  });
}
