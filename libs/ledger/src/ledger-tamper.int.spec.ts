import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './core/canonical-json.js';
import { leafHashHex } from './core/hashing.js';
import { generateCheckpointSigner, parseSignedCheckpoint, signCheckpoint } from './core/checkpoint.js';
import { LedgerVerificationError, type TamperKind } from './core/verifier.js';
import { LedgerService } from './ledger.service.js';
import { newTestEvent } from './testing/ledger-fixtures.js';
import { postgresBackend, sqliteBackend, type RawEventRow, type TestBackend } from './testing/ledger-backends.js';

type Tamper =
  | { kind: 'flip-canonical'; position: number; at: number; replacement: number }
  | { kind: 'flip-hash'; position: number; at: number; replacement: number }
  | { kind: 'delete'; position: number }
  | { kind: 'swap'; first: number; second: number }
  | { kind: 'resign' }
  /** An attacker who rewrites an event and recomputes its hash: caught by the next link, or by the checkpoint for the last event. */
  | { kind: 'rewrite-and-rehash'; position: number; value: number };

const EVENTS = 14;
const HEX = '0123456789abcdef';

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    kind: fc.constant('flip-canonical' as const),
    position: fc.nat(EVENTS - 1),
    at: fc.nat(),
    replacement: fc.integer({ min: 0x20, max: 0x7e }),
  }),
  fc.record({ kind: fc.constant('flip-hash' as const), position: fc.nat(EVENTS - 1), at: fc.nat(63), replacement: fc.nat(15) }),
  fc.record({ kind: fc.constant('delete' as const), position: fc.nat(EVENTS - 1) }),
  fc
    .tuple(fc.nat(EVENTS - 1), fc.nat(EVENTS - 1))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ kind: 'swap' as const, first: a, second: b })),
  fc.constant({ kind: 'resign' as const }),
  fc.record({ kind: fc.constant('rewrite-and-rehash' as const), position: fc.nat(EVENTS - 1), value: fc.integer({ min: 1000, max: 9999 }) }),
);

/** Replace one ASCII character with a different printable one (a one-byte change of the UTF-8 text). */
function replaceChar(text: string, at: number, replacement: number, alphabet?: string): string {
  const asciiIndexes = [...text].flatMap((c, i) => (c.charCodeAt(0) < 0x80 ? [i] : []));
  const chars = [...text];
  const index = asciiIndexes[at % asciiIndexes.length]!;
  let next = alphabet ? alphabet[replacement % alphabet.length]! : String.fromCharCode(replacement);
  if (next === chars[index]) next = alphabet ? alphabet[(replacement + 1) % alphabet.length]! : next === 'a' ? 'b' : 'a';
  chars[index] = next;
  return chars.join('');
}

function expectedFailure(tamper: Tamper): { kind: TamperKind; position: number } {
  switch (tamper.kind) {
    case 'flip-canonical':
    case 'flip-hash':
      return { kind: 'hash-mismatch', position: tamper.position };
    case 'delete':
      return { kind: 'gap', position: tamper.position };
    case 'swap':
      return { kind: 'gap', position: Math.min(tamper.first, tamper.second) };
    case 'resign':
      return { kind: 'bad-signature', position: EVENTS - 1 };
    case 'rewrite-and-rehash':
      return tamper.position < EVENTS - 1
        ? { kind: 'broken-link', position: tamper.position + 1 }
        : { kind: 'root-mismatch', position: EVENTS - 1 };
  }
}

function tamperSuite(backend: TestBackend): void {
  describe(`tampering is detected at the right position: ${backend.name}`, () => {
    let env: Awaited<ReturnType<TestBackend['create']>>;
    let ledger: LedgerService;
    const signer = generateCheckpointSigner('radledger-test');
    const intruder = generateCheckpointSigner('radledger-test');

    before(async () => {
      env = await backend.create();
      ledger = new LedgerService(env.store, { origin: 'radledger.test/tamper' });
      for (let i = 0; i < EVENTS; i += 2) {
        await env.store.append(`segmentation-${i % 3}`, 'any', [
          newTestEvent({ data: { index: i, note: 'Ödem – Ränder' } }),
          newTestEvent({ data: { index: i + 1, dice: 0.91 } }),
        ]);
      }
      await ledger.issueCheckpoint(signer);
    });
    after(async () => env?.dispose());

    it('verifies the untouched ledger', async () => {
      const report = await ledger.verifyLedger({ verifier: signer });
      assert.equal(report.size, EVENTS);
      assert.equal(report.checkpointsVerified, 1);
    });

    it('flags any flipped byte, deleted row, swapped pair, rewritten-and-rehashed event or re-signed checkpoint', async () => {
      await fc.assert(
        // workers: 2 checks the stored rows on worker threads (ParallelChainVerifier; on SQLite each
        // thread reads its runs from the file), 0 on this one; runs of 4 put tampering at run edges.
        fc.asyncProperty(tamperArb, fc.constantFrom({ workers: 0 }, { workers: 2 }, { workers: 2, chunkSize: 4 }), async (tamper, threads) => {
          const positions =
            tamper.kind === 'swap' ? [tamper.first, tamper.second] : tamper.kind === 'resign' ? [] : [tamper.position];
          const originals = await env.raw.rows(positions);
          const notes = await env.raw.checkpointNotes();
          await apply(tamper, originals, notes);
          try {
            await assert.rejects(ledger.verifyLedger({ verifier: signer, ...threads }), (error: unknown) => {
              assert.ok(error instanceof LedgerVerificationError, String(error));
              assert.deepEqual({ kind: error.kind, position: error.position }, expectedFailure(tamper), error.message);
              return true;
            });
          } finally {
            await env.raw.deleteRows(positions);
            await env.raw.insertRows(originals);
            for (const { id, note } of notes) await env.raw.setCheckpointNote(id, note);
          }
          assert.equal((await ledger.verifyLedger({ verifier: signer })).size, EVENTS);
        }),
        { numRuns: 80 },
      );
    });

    async function apply(tamper: Tamper, originals: RawEventRow[], notes: Array<{ id: number; note: string }>): Promise<void> {
      switch (tamper.kind) {
        case 'flip-canonical':
        case 'flip-hash': {
          const row = { ...originals[0]! };
          if (tamper.kind === 'flip-canonical') row.canonical = replaceChar(row.canonical, tamper.at, tamper.replacement);
          else row.hash = replaceChar(row.hash, tamper.at, tamper.replacement, HEX);
          await env.raw.deleteRows([row.global_position]);
          await env.raw.insertRows([row]);
          return;
        }
        case 'delete':
          await env.raw.deleteRows([tamper.position]);
          return;
        case 'swap': {
          const [a, b] = originals as [RawEventRow, RawEventRow];
          await env.raw.deleteRows([a.global_position, b.global_position]);
          // Contents trade places; the position column stays, as a row-level swap would leave it.
          await env.raw.insertRows([
            { ...b, global_position: a.global_position },
            { ...a, global_position: b.global_position },
          ]);
          return;
        }
        case 'rewrite-and-rehash': {
          const row = { ...originals[0]! };
          const envelope = JSON.parse(row.canonical) as { data: Record<string, unknown> };
          envelope.data['index'] = tamper.value;
          row.canonical = canonicalJson(envelope);
          row.hash = leafHashHex(row.canonical);
          await env.raw.deleteRows([row.global_position]);
          await env.raw.insertRows([row]);
          return;
        }
        case 'resign': {
          const { checkpoint } = parseSignedCheckpoint(notes[0]!.note);
          await env.raw.setCheckpointNote(notes[0]!.id, signCheckpoint(checkpoint, intruder));
          return;
        }
      }
    }
  });
}

tamperSuite(sqliteBackend);
tamperSuite(postgresBackend);
