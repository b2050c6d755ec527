import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inclusionProof, leafHash, merkleRoot, verifyInclusion } from '@radledger/ledger';
import { MerkleLevels } from './merkle-levels.js';

const leavesOf = (n: number, seed: number) => Array.from({ length: n }, (_, i) => leafHash(`leaf ${seed}/${i}`));

test('MerkleLevels gives the RFC 9162 root and the same inclusion proofs as the ledger for every size and index', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.integer(), (size, rawIndex, seed) => {
      const leaves = leavesOf(size, seed);
      const levels = new MerkleLevels(Buffer.concat(leaves), size);
      const root = merkleRoot(leaves);
      assert.equal(levels.rootHex(), root.toString('hex'));
      const index = rawIndex % size;
      const proof = levels.inclusionProofHex(index);
      assert.deepEqual(proof, inclusionProof(leaves, index, size).map((h) => h.toString('hex')));
      verifyInclusion(index, size, leaves[index]!, proof.map((h) => Buffer.from(h, 'hex')), root);
    }),
    { numRuns: 300 },
  );
});

test('MerkleLevels over a prefix of the leaves is the tree of that prefix (a checkpoint older than the head)', () => {
  const leaves = leavesOf(100, 7);
  const levels = new MerkleLevels(Buffer.concat(leaves), 37);
  assert.equal(levels.rootHex(), merkleRoot(leaves.slice(0, 37)).toString('hex'));
  assert.throws(() => levels.inclusionProofHex(37), /outside a tree of size 37/);
  assert.throws(() => new MerkleLevels(Buffer.alloc(32), 2), RangeError);
});
