import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ChainVerifier,
  EMPTY_ROOT,
  GENESIS_PREV_HASH,
  LedgerVerificationError,
  generateCheckpointSigner,
  leafHash,
  merkleRoot,
  sealEnvelope,
  signCheckpoint,
  verifyChain,
  verifyChainParallel,
  type EventEnvelope,
  type RecordedEvent,
  type TamperKind,
} from '@radledger/ledger';

const ORIGIN = 'radledger.test/ledger';
const signer = generateCheckpointSigner('radledger-test');
const MODES = [{ checkCanonical: true }, { checkCanonical: false }] as const;

function envelope(position: number, prevHash: string, data: Record<string, unknown> = {}): EventEnvelope {
  return {
    eventId: `0190c1f2-0000-7000-8000-${String(position).padStart(12, '0')}`,
    streamId: `segmentation-${position % 3}`,
    streamRevision: String(Math.floor(position / 3)),
    globalPosition: String(position),
    type: 'SegmentationEdited',
    schemaVersion: 1,
    data: { maskSha256: leafHash(`mask ${position}`).toString('hex'), dice: 0.91, note: `edit ${position} — ünïcode`, ...data },
    meta: {
      actor: 'user-7',
      role: 'radiologist',
      reason: 'boundary fix',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      recordedAt: '2026-11-25T12:00:00.000Z',
      client: 'radledger-test 0.1.0',
    },
    prevHash,
  };
}

function chain(n: number): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  let prev = GENESIS_PREV_HASH;
  for (let i = 0; i < n; i++) {
    const e = sealEnvelope(envelope(i, prev));
    out.push(e);
    prev = e.hash;
  }
  return out;
}

function checkpointFor(events: RecordedEvent[], size: number, by = signer, rootHash?: string): string {
  const root = rootHash ?? merkleRoot(events.slice(0, size).map((e) => Buffer.from(e.hash, 'hex'))).toString('hex');
  return signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: root, issuedAt: '2026-11-25T12:00:00.000Z' }, by);
}

/** Seal a stored text as-is (the way a writer with a bug, or a forger who re-hashes, would). */
function rehash(canonical: string): RecordedEvent {
  return { ...(JSON.parse(canonical) as EventEnvelope), canonical, hash: leafHash(canonical).toString('hex') };
}

/** The verdict of a run: the result, or the failure's fields. */
async function verdict(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await run() };
  } catch (e) {
    if (!(e instanceof LedgerVerificationError)) throw e;
    return { kind: e.kind, position: e.position, message: e.message, expected: e.expected, computed: e.computed };
  }
}

/**
 * The run-by-run verifier (runs glued by ChainVerifier.acceptChunk, here on this thread;
 * the threads run the same verifyChainChunk) must give exactly the sequential verdict,
 * whatever the run length.
 */
async function assertParallelAgrees(events: Iterable<Pick<RecordedEvent, 'canonical' | 'hash'>>, options: object = {}): Promise<void> {
  const list = [...events];
  const sequential = await verdict(() => verifyChain(list, options));
  for (const chunkSize of [1, 2, 4, 8, 64]) {
    assert.deepEqual(await verdict(() => verifyChainParallel(list, { ...options, workers: 0, chunkSize })), sequential, `chunkSize ${chunkSize}`);
  }
}

async function expectTamper(events: Iterable<Pick<RecordedEvent, 'canonical' | 'hash'>>, kind: TamperKind, position: number, options = {}): Promise<LedgerVerificationError> {
  const list = [...events];
  await assertParallelAgrees(list, options);
  try {
    await verifyChain(list, options);
  } catch (e) {
    assert.ok(e instanceof LedgerVerificationError, `expected LedgerVerificationError, got ${String(e)}`);
    assert.equal(e.code, 'LEDGER_TAMPERED');
    assert.equal(e.kind, kind, e.message);
    assert.equal(e.position, position, e.message);
    return e;
  }
  assert.fail(`verification passed; expected ${kind} at ${position}`);
}

describe('verifyChain on an intact ledger', () => {
  for (const mode of MODES) {
    test(`returns size, RFC 9162 root and last hash (checkCanonical ${mode.checkCanonical})`, async () => {
      const events = chain(37);
      const result = await verifyChain(events, mode);
      assert.equal(result.size, 37);
      assert.equal(result.rootHash, merkleRoot(events.map((e) => leafHash(e.canonical))).toString('hex'));
      assert.equal(result.lastHash, events[36]!.hash);
      assert.equal(result.checkpointsVerified, 0);
    });
  }

  test('the empty ledger has the empty root and the genesis hash', async () => {
    assert.deepEqual(await verifyChain([]), { size: 0, rootHash: EMPTY_ROOT.toString('hex'), lastHash: GENESIS_PREV_HASH, checkpointsVerified: 0 });
  });

  test('accepts async iterables and the incremental ChainVerifier gives the same result', async () => {
    const events = chain(10);
    async function* stream() {
      for (const e of events) yield e;
    }
    const v = new ChainVerifier();
    events.forEach((e) => v.push(e));
    assert.deepEqual(await verifyChain(stream()), v.finish());
  });

  test('checks every signed checkpoint against the root at its size', async () => {
    const events = chain(20);
    const checkpoints = [0, 1, 7, 8, 20].map((n) => checkpointFor(events, n));
    const result = await verifyChain(events, { checkpoints, verifier: signer, origin: ORIGIN });
    assert.equal(result.checkpointsVerified, 5);
  });

  test('data with integer-like keys (which V8 reorders) is still recognised as canonical', async () => {
    const e = sealEnvelope(envelope(0, GENESIS_PREV_HASH, { counts: { '10': 1, '2': 2, a: 3 } }));
    assert.ok(e.canonical.includes('{"10":1,"2":2,"a":3}'));
    assert.equal((await verifyChain([e])).size, 1);
  });

  test('property: any JSON data and meta values seal into a chain that verifies in both modes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.dictionary(fc.string(), fc.jsonValue()), fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 5 }), async (items) => {
        let prev = GENESIS_PREV_HASH;
        const events = items.map(([data, text], i) => {
          const base = envelope(i, prev, data);
          const e = sealEnvelope({ ...base, streamId: `s-${text}`, meta: { ...base.meta, reason: text } });
          prev = e.hash;
          return e;
        });
        for (const mode of MODES) assert.equal((await verifyChain(events, mode)).lastHash, prev);
      }),
      { numRuns: 200 },
    );
  });

  test('reports progress', async () => {
    const seen: number[] = [];
    await verifyChain(chain(10), { progressEvery: 4, onProgress: (n) => seen.push(n) });
    assert.deepEqual(seen, [4, 8]);
  });
});

describe('verifyChain detects each kind of tampering at the right position', () => {
  for (const mode of MODES) {
    const label = `(checkCanonical ${mode.checkCanonical})`;

    test(`hash-mismatch: a changed stored byte ${label}`, async () => {
      const events = chain(12);
      events[5] = { ...events[5]!, canonical: events[5]!.canonical.replace('"dice":0.91', '"dice":0.99') };
      const e = await expectTamper(events, 'hash-mismatch', 5, mode);
      assert.equal(e.expected, chain(12)[5]!.hash);
      assert.equal(e.computed, leafHash(events[5]!.canonical).toString('hex'));
    });

    test(`hash-mismatch: a changed stored hash ${label}`, async () => {
      const events = chain(12);
      events[0] = { ...events[0]!, hash: 'f' + events[0]!.hash.slice(1) };
      await expectTamper(events, 'hash-mismatch', 0, mode);
    });

    test(`broken-link: an event re-hashed after its content changed ${label}`, async () => {
      const events = chain(12);
      events[7] = rehash(events[7]!.canonical.replace('"dice":0.91', '"dice":0.5'));
      const e = await expectTamper(events, 'broken-link', 8, mode);
      assert.equal(e.expected, events[7]!.hash);
      assert.equal(e.computed, chain(12)[7]!.hash);
    });

    test(`broken-link: a genesis event that does not start from zero ${label}`, async () => {
      const events = [sealEnvelope(envelope(0, 'ab'.repeat(32)))];
      await expectTamper(events, 'broken-link', 0, mode);
    });

    test(`gap: a deleted event ${label}`, async () => {
      const events = chain(12);
      events.splice(4, 1);
      const e = await expectTamper(events, 'gap', 4, mode);
      assert.equal(e.expected, '4');
      assert.equal(e.computed, '5');
    });

    test(`gap: two events swapped ${label}`, async () => {
      const events = chain(12);
      [events[3], events[9]] = [events[9]!, events[3]!];
      await expectTamper(events, 'gap', 3, mode);
    });

    test(`gap: a row stored under another position than its content says ${label}`, async () => {
      const events: Array<{ canonical: string; hash: string; globalPosition: number }> = chain(5).map((e, i) => ({ canonical: e.canonical, hash: e.hash, globalPosition: i }));
      events[2] = { ...events[2]!, globalPosition: 7 };
      const e = await expectTamper(events, 'gap', 2, mode);
      assert.equal(e.computed, '7');
    });

    test(`bad-signature: a checkpoint re-signed with another key ${label}`, async () => {
      const events = chain(12);
      const forged = checkpointFor(events, 10, generateCheckpointSigner('radledger-test'));
      await expectTamper(events, 'bad-signature', 9, { ...mode, checkpoints: [checkpointFor(events, 5), forged], verifier: signer });
    });

    test(`root-mismatch: a validly signed checkpoint for a different history ${label}`, async () => {
      const events = chain(12);
      const other = checkpointFor(events, 6, signer, 'ab'.repeat(32));
      const e = await expectTamper(events, 'root-mismatch', 5, { ...mode, checkpoints: [other], verifier: signer });
      assert.equal(e.expected, 'ab'.repeat(32));
    });

    test(`gap: events removed from the end, below a signed checkpoint ${label}`, async () => {
      const events = chain(12);
      const cp = checkpointFor(events, 12);
      await expectTamper(events.slice(0, 10), 'gap', 10, { ...mode, checkpoints: [cp], verifier: signer });
    });
  }

  test('bad-canonical: stored text that is valid JSON but not RFC 8785', async () => {
    const events = chain(6);
    const parsed = JSON.parse(events[2]!.canonical) as Record<string, unknown>;
    const variants = [
      JSON.stringify(parsed, null, 1), // whitespace
      JSON.stringify({ type: parsed.type, ...parsed }), // keys out of order
      events[2]!.canonical.replace('"dice":0.91', '"dice":0.910'), // non-canonical number
      events[2]!.canonical.replace('"edit 2', '"\\u0065dit 2'), // needless escape
    ];
    for (const text of variants) {
      const tampered = [...events];
      tampered[2] = rehash(text);
      await expectTamper(tampered.slice(0, 3), 'bad-canonical', 2);
      // Without the canonical check only the chain is checked; this one still links.
      assert.equal((await verifyChain(tampered.slice(0, 3), { checkCanonical: false })).size, 3);
    }
  });

  test('bad-signature: an unreadable checkpoint', async () => {
    await expectTamper(chain(2), 'bad-signature', -1, { checkpoints: ['not a checkpoint'], verifier: signer });
  });

  test('property: any single changed character of any stored text or hash is found at its position', async () => {
    const events = chain(16);
    await fc.assert(
      fc.asyncProperty(fc.nat(15), fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 15 }), fc.boolean(), async (position, inHash, at, xor, canonicalCheck) => {
        const tampered = [...events];
        const e = tampered[position]!;
        if (inHash) {
          const i = at % 64;
          const c = (parseInt(e.hash[i]!, 16) ^ xor).toString(16);
          tampered[position] = { ...e, hash: e.hash.slice(0, i) + c + e.hash.slice(i + 1) };
        } else {
          const i = at % e.canonical.length;
          const c = String.fromCharCode(e.canonical.charCodeAt(i) ^ xor);
          tampered[position] = { ...e, canonical: e.canonical.slice(0, i) + c + e.canonical.slice(i + 1) };
        }
        await expectTamper(tampered, 'hash-mismatch', position, { checkCanonical: canonicalCheck });
      }),
      { numRuns: 300 },
    );
  });

  test('property: deleting or swapping events is found at the first disturbed position', async () => {
    const events = chain(16);
    await fc.assert(
      fc.asyncProperty(fc.nat(15), fc.nat(15), fc.boolean(), async (a, b, canonicalCheck) => {
        const tampered = [...events];
        if (a === b) {
          tampered.splice(a, 1);
          // Removing the last event leaves a shorter, valid chain: only a checkpoint can tell.
          if (a === 15) {
            await expectTamper(tampered, 'gap', 15, { checkCanonical: canonicalCheck, checkpoints: [checkpointFor(events, 16)], verifier: signer });
            return;
          }
        } else {
          [tampered[a], tampered[b]] = [tampered[b]!, tampered[a]!];
        }
        await expectTamper(tampered, 'gap', Math.min(a, b), { checkCanonical: canonicalCheck });
      }),
      { numRuns: 200 },
    );
  });
});

describe('verifyChainParallel', () => {
  test('property: same result or same first failure as verifyChain, with checkpoints, for any run length', async () => {
    const events = chain(40);
    const tamper = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(39), char: fc.nat() }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(39) }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(39), with: fc.nat(39) }),
      fc.record({ op: fc.constant('rehash' as const), at: fc.nat(39) }),
      fc.record({ op: fc.constant('renumber' as const), at: fc.nat(39) }),
      fc.record({ op: fc.constant('none' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        tamper,
        fc.uniqueArray(fc.integer({ min: 0, max: 44 }), { maxLength: 4 }),
        fc.option(fc.integer({ min: 1, max: 40 })),
        fc.boolean(),
        async (t, sizes, forgedAt, checkCanonical) => {
          let rows: Array<{ canonical: string; hash: string; globalPosition?: number }> = events.map((e, i) => ({ canonical: e.canonical, hash: e.hash, globalPosition: i }));
          if (t.op === 'flip') {
            const e = rows[t.at]!;
            const i = t.char % e.canonical.length;
            rows[t.at] = { ...e, canonical: e.canonical.slice(0, i) + String.fromCharCode(e.canonical.charCodeAt(i) ^ 1) + e.canonical.slice(i + 1) };
          } else if (t.op === 'delete') {
            rows = rows.filter((_, i) => i !== t.at).map((r, i) => ({ ...r, globalPosition: i }));
          } else if (t.op === 'swap') {
            [rows[t.at], rows[t.with]] = [rows[t.with]!, rows[t.at]!];
          } else if (t.op === 'rehash') {
            const e = rehash(rows[t.at]!.canonical.replace('"dice":0.91', '"dice":0.5'));
            rows[t.at] = { canonical: e.canonical, hash: e.hash, globalPosition: t.at };
          } else if (t.op === 'renumber') {
            rows[t.at] = { ...rows[t.at]!, globalPosition: t.at + 100 };
          }
          // Sizes above 40 are checkpoints beyond the end (events removed).
          const checkpoints = sizes.map((size) => checkpointFor(events, size));
          if (forgedAt !== null) checkpoints.push(checkpointFor(events, forgedAt, signer, 'ab'.repeat(32)));
          await assertParallelAgrees(rows, { checkCanonical, checkpoints, verifier: signer });
        },
      ),
      { numRuns: 150 },
    );
  });

  test('an ill-formed text (lone surrogate) is refused as not canonical, as by verifyChain', async () => {
    const events = chain(5);
    const text = events[3]!.canonical.replace('edit 3', 'edit \ud800');
    events[3] = { ...events[3]!, canonical: text, hash: leafHash(text).toString('hex') };
    await expectTamper(events, 'bad-canonical', 3);
    await assertParallelAgrees(events, { checkCanonical: false });
  });
});

describe('LedgerVerificationError', () => {
  test('carries kind, position, expected and computed', async () => {
    const events = chain(3);
    events.splice(1, 1);
    const e = await expectTamper(events, 'gap', 1);
    assert.deepEqual(e.details, { kind: 'gap', position: 1, expected: '1', computed: '2' });
  });
});
