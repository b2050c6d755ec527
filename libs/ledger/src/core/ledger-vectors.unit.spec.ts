import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  LedgerVerificationError,
  ProofError,
  parseVerifierKey,
  verifyChain,
  verifyConsistency,
  verifyInclusion,
  verifySignedCheckpoint,
  type Checkpoint,
} from '@radledger/ledger';

// Vectors made by scripts/generate-ledger-vectors.ts (regenerate after a deliberate change).
const TESTDATA = join(process.cwd(), 'libs', 'ledger', 'testdata');
const load = <T>(name: string): T[] => JSON.parse(readFileSync(join(TESTDATA, name), 'utf8')) as T[];
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function rejects(run: () => void, errorClass: new (...args: never[]) => Error): boolean {
  try {
    run();
    return false;
  } catch (e) {
    assert.ok(e instanceof errorClass, `expected ${errorClass.name}, got ${String(e)}`);
    return true;
  }
}

describe('testdata/merkle-inclusion.json', () => {
  const cases = load<{ desc: string; leafIndex: number; treeSize: number; leafHash: string; proof: string[]; root: string; wantError: boolean }>('merkle-inclusion.json');
  test('has positive and negative cases', () => assert.ok(cases.some((c) => c.wantError) && cases.some((c) => !c.wantError)));
  for (const c of cases) {
    test(c.desc, () => {
      assert.equal(rejects(() => verifyInclusion(c.leafIndex, c.treeSize, hex(c.leafHash), c.proof.map(hex), hex(c.root)), ProofError), c.wantError);
    });
  }
});

describe('testdata/merkle-consistency.json', () => {
  const cases = load<{ desc: string; size1: number; size2: number; root1: string; root2: string; proof: string[]; wantError: boolean }>('merkle-consistency.json');
  test('has positive and negative cases', () => assert.ok(cases.some((c) => c.wantError) && cases.some((c) => !c.wantError)));
  for (const c of cases) {
    test(c.desc, () => {
      assert.equal(rejects(() => verifyConsistency(c.size1, c.size2, c.proof.map(hex), hex(c.root1), hex(c.root2)), ProofError), c.wantError);
    });
  }
});

describe('testdata/checkpoints.json', () => {
  const cases = load<{ desc: string; verifierKey: string; note: string; checkpoint?: Checkpoint; wantError: boolean; errorCode?: string }>('checkpoints.json');
  for (const c of cases) {
    test(c.desc, () => {
      const verifier = parseVerifierKey(c.verifierKey);
      if (c.wantError) {
        assert.throws(() => verifySignedCheckpoint(c.note, verifier), (e) => e instanceof CheckpointError && e.code === c.errorCode);
      } else {
        assert.deepEqual(verifySignedCheckpoint(c.note, verifier), c.checkpoint);
      }
    });
  }
});

describe('testdata/chains.json', () => {
  const cases = load<{
    desc: string;
    events: { canonical: string; hash: string }[];
    checkpoints?: string[];
    verifierKey?: string;
    wantError: boolean;
    kind?: string;
    position?: number;
    size?: number;
    rootHash?: string;
  }>('chains.json');
  for (const c of cases) {
    for (const checkCanonical of [true, false]) {
      // The canonical-form case is only an error when that check is on.
      const wantError = c.wantError && (checkCanonical || c.kind !== 'bad-canonical');
      test(`${c.desc} (checkCanonical ${checkCanonical})`, async () => {
        const options = { checkCanonical, checkpoints: c.checkpoints, verifier: c.verifierKey ? parseVerifierKey(c.verifierKey) : undefined };
        if (wantError) {
          await assert.rejects(verifyChain(c.events, options), (e) => e instanceof LedgerVerificationError && e.kind === c.kind && e.position === c.position);
        } else {
          const result = await verifyChain(c.events, options);
          if (c.size !== undefined) assert.equal(result.size, c.size);
          if (c.rootHash !== undefined) assert.equal(result.rootHash, c.rootHash);
        }
      });
    }
  }
});
