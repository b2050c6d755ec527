import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '@radledger/platform';
import { GENESIS_PREV_HASH } from '../../core/hashing.js';
import { planBatch, type AppendRequest, type EventRow } from '../append-plan.js';
import { newTestEvent } from '../../testing/ledger-fixtures.js';
import { LedgerIndex, expectedLedgerState, fromLedgerRecord, kurrentEventId, kurrentStreamNames, linkTarget, toLedgerRecord } from './kurrentdb-ledger.mapping.js';

/** Plans and applies appends the way the adapter does, without a server. */
async function appendThrough(index: LedgerIndex, stored: EventRow[], request: AppendRequest) {
  const state = await index.batchState([request], async (p) => stored[p]!);
  const { rows, outcomes } = planBatch([request], state);
  const outcome = outcomes[0]!;
  if ('error' in outcome) throw outcome.error;
  // Round trip through the record encoding, as the server would store and return it.
  for (const row of rows) {
    const record = toLedgerRecord(row);
    const back = fromLedgerRecord({ revision: BigInt(row.globalPosition), type: record.type, data: record.data, metadata: JSON.parse(JSON.stringify(record.metadata)) });
    stored.push(back);
    index.apply(back);
  }
  return { rows, result: outcome.ok, expectedState: expectedLedgerState(state.head.size) };
}

describe('KurrentDB ledger mapping (pure parts of the adapter)', () => {
  it('names one ledger stream, a checkpoint stream and link streams per aggregate under a prefix', () => {
    const names = kurrentStreamNames('trial-T1');
    assert.equal(names.ledger, 'trial-T1-ledger');
    assert.equal(names.checkpoints, 'trial-T1-checkpoints');
    assert.equal(names.aggregate('segmentation-S1'), 'trial-T1-agg-segmentation-S1');
    assert.equal(linkTarget(41, names.ledger), '41@trial-T1-ledger');
    assert.throws(() => kurrentStreamNames('bad prefix'), RangeError);
  });

  it('maps the chain position to the ledger stream expected revision', () => {
    assert.equal(expectedLedgerState(0), 'no_stream');
    assert.equal(expectedLedgerState(1), 0n);
    assert.equal(expectedLedgerState(2 ** 40), BigInt(2 ** 40 - 1));
  });

  it('keeps UUID event ids and maps other ids to stable name-based UUIDs', () => {
    const id = '0190f1e2-3c4d-7e5f-8a9b-0c1d2e3f4a5b';
    assert.equal(kurrentEventId(id.toUpperCase()), id);
    const mapped = kurrentEventId('cmd-17/event/0');
    assert.match(mapped, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(kurrentEventId('cmd-17/event/0'), mapped);
    assert.notEqual(kurrentEventId('cmd-17/event/1'), mapped);
  });

  it('stores the exact canonical bytes as binary data and reads them back unchanged', async () => {
    const index = new LedgerIndex();
    const stored: EventRow[] = [];
    const { rows } = await appendThrough(index, stored, { streamId: 'image-1', expectedRevision: 'no-stream', events: [newTestEvent(), newTestEvent()] });
    for (const row of rows) {
      const record = toLedgerRecord(row);
      assert.equal(Buffer.from(record.data).toString('utf8'), row.canonical);
      assert.equal(record.metadata.hash, row.hash);
    }
    assert.deepEqual(stored, rows);
  });

  it('refuses a record without RadLedger metadata as STORE_CORRUPT', () => {
    assert.throws(
      () => fromLedgerRecord({ revision: 3n, type: 'X', data: new Uint8Array(), metadata: { other: 1 } }),
      (e: unknown) => e instanceof DomainError && e.code === 'STORE_CORRUPT',
    );
  });

  it('checks per-aggregate expected revisions itself, and chains every append to the previous hash', async () => {
    const index = new LedgerIndex();
    const stored: EventRow[] = [];
    assert.deepEqual(index.head(), { size: 0, lastHash: GENESIS_PREV_HASH });
    const first = await appendThrough(index, stored, { streamId: 'segmentation-1', expectedRevision: 'no-stream', events: [newTestEvent()] });
    assert.equal(first.expectedState, 'no_stream');
    const second = await appendThrough(index, stored, { streamId: 'image-9', expectedRevision: 'no-stream', events: [newTestEvent()] });
    assert.equal(second.expectedState, 0n);
    assert.equal(stored[1]!.prevHash, stored[0]!.hash);
    await assert.rejects(
      appendThrough(index, stored, { streamId: 'segmentation-1', expectedRevision: 'no-stream', events: [newTestEvent()] }),
      (e: unknown) => e instanceof DomainError && e.code === 'STREAM_REVISION_CONFLICT',
    );
    const third = await appendThrough(index, stored, { streamId: 'segmentation-1', expectedRevision: 0, events: [newTestEvent()] });
    assert.equal(third.result.nextExpectedRevision, 1);
    assert.deepEqual(index.positionsOf('segmentation-1'), [0, 2]);
  });

  it('answers a retried append from the index without new rows (idempotent by eventId)', async () => {
    const index = new LedgerIndex();
    const stored: EventRow[] = [];
    const event = newTestEvent();
    const first = await appendThrough(index, stored, { streamId: 'decision-1', expectedRevision: 'no-stream', events: [event] });
    const retry = await appendThrough(index, stored, { streamId: 'decision-1', expectedRevision: 'no-stream', events: [event] });
    assert.equal(retry.rows.length, 0);
    assert.deepEqual(retry.result.events, first.result.events);
    await assert.rejects(
      appendThrough(index, stored, { streamId: 'decision-1', expectedRevision: 'any', events: [{ ...event, data: { other: true } }] }),
      (e: unknown) => e instanceof DomainError && e.code === 'EVENT_ID_REUSED',
    );
  });

  it('an index never accepts a row out of chain order', () => {
    const index = new LedgerIndex();
    assert.throws(() => index.apply({ globalPosition: 1, eventId: 'e', streamId: 's', streamRevision: 0, type: 't', canonical: '{}', hash: 'h', prevHash: 'p' }), /LEDGER_INDEX_GAP|position 1/);
  });

  it('property: any sequence of appends to random streams yields a gap-free chain with per-stream revisions from 0', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ stream: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 12 }), async (plan) => {
        const index = new LedgerIndex();
        const stored: EventRow[] = [];
        for (const step of plan) {
          const events = Array.from({ length: step.n }, () => newTestEvent());
          await appendThrough(index, stored, { streamId: `s-${step.stream}`, expectedRevision: 'any', events });
        }
        stored.forEach((row, i) => {
          assert.equal(row.globalPosition, i);
          assert.equal(row.prevHash, i === 0 ? GENESIS_PREV_HASH : stored[i - 1]!.hash);
        });
        for (let s = 0; s < 4; s++) {
          const revisions = stored.filter((r) => r.streamId === `s-${s}`).map((r) => r.streamRevision);
          assert.deepEqual(revisions, revisions.map((_, i) => i));
        }
      }),
      { numRuns: 50 },
    );
  });
});
