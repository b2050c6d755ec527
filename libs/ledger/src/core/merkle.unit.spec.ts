import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  EMPTY_ROOT,
  InMemorySubtreeCache,
  MerkleAccumulator,
  CompactRange,
  ProofError,
  consistencyProof,
  consistencyProofFromReader,
  inclusionProof,
  inclusionProofFromReader,
  leafHash,
  merkleRoot,
  nodeHash,
  rootFromInclusionProof,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from '@radledger/ledger';
import { DomainError } from '@radledger/platform';

const VECTORS = join(process.cwd(), 'libs', 'ledger', 'testdata', 'rfc6962');
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

function outcome(run: () => void): 'accepted' | 'rejected' {
  try {
    run();
    return 'accepted';
  } catch (e) {
    assert.ok(e instanceof ProofError, `expected ProofError, got ${String(e)}`);
    assert.equal(e.code, 'PROOF_INVALID');
    return 'rejected';
  }
}

// RFC 6962 reference test tree (transparency-dev/merkle testonly): leaf data and the
// published roots MTH(D[0:n]) for n = 0..8.
const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(hex(h)));
const RFC6962_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function leavesOf(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));
}

describe('transparency-dev/merkle inclusion vectors', () => {
  const files = jsonFiles(join(VECTORS, 'inclusion'));
  test('the vector set is present', () => assert.ok(files.length > 50, `found ${files.length} inclusion vectors`));
  for (const file of files) {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; desc: string; wantErr: boolean };
    test(`${file.slice(VECTORS.length + 1)}: ${v.desc}`, () => {
      const got = outcome(() => verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root)));
      assert.equal(got, v.wantErr ? 'rejected' : 'accepted');
    });
  }
});

describe('transparency-dev/merkle consistency vectors', () => {
  const files = jsonFiles(join(VECTORS, 'consistency'));
  test('the vector set is present', () => assert.ok(files.length > 50, `found ${files.length} consistency vectors`));
  for (const file of files) {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; desc: string; wantErr: boolean };
    test(`${file.slice(VECTORS.length + 1)}: ${v.desc}`, () => {
      const got = outcome(() => verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2)));
      assert.equal(got, v.wantErr ? 'rejected' : 'accepted');
    });
  }
});

describe('RFC 6962 / RFC 9162 known answers', () => {
  test('empty tree root is SHA-256 of the empty string', () => {
    assert.equal(EMPTY_ROOT.toString('hex'), createHash('sha256').digest('hex'));
    assert.equal(merkleRoot([]).toString('hex'), RFC6962_ROOTS[0]);
    assert.equal(new MerkleAccumulator().root().toString('hex'), RFC6962_ROOTS[0]);
  });
  for (let n = 1; n <= 8; n++) {
    test(`root of the reference tree with ${n} leaves`, () => {
      assert.equal(merkleRoot(RFC6962_LEAVES.slice(0, n)).toString('hex'), RFC6962_ROOTS[n]);
    });
  }
});

describe('proofs from our own tree', () => {
  const leaves = leavesOf(64);
  const roots = Array.from({ length: 65 }, (_, n) => merkleRoot(leaves.slice(0, n)));

  test('every leaf of every tree of size 1..64 has a verifying inclusion proof', () => {
    let count = 0;
    for (let size = 1; size <= 64; size++) {
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(leaves, i, size);
        verifyInclusion(i, size, leaves[i]!, proof, roots[size]!);
        assert.deepEqual(rootFromInclusionProof(i, size, leaves[i]!, proof), roots[size]);
        count++;
      }
    }
    assert.equal(count, (64 * 65) / 2);
  });

  test('every pair of sizes 1 <= m <= n <= 64 has a verifying consistency proof', () => {
    let count = 0;
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        verifyConsistency(m, n, consistencyProof(leaves, m, n), roots[m]!, roots[n]!);
        count++;
      }
    }
    assert.equal(count, (64 * 65) / 2);
  });

  test('a proof of one leaf does not verify another leaf, nor another tree size', () => {
    const proof = inclusionProof(leaves, 5, 13);
    assert.throws(() => verifyInclusion(5, 13, leaves[6]!, proof, roots[13]!), ProofError);
    assert.throws(() => verifyInclusion(5, 14, leaves[5]!, proof, roots[14]!), ProofError);
    assert.throws(() => verifyConsistency(3, 13, consistencyProof(leaves, 3, 13), roots[4]!, roots[13]!), ProofError);
  });

  test('ProofError is a DomainError with expected and computed roots', () => {
    const proof = inclusionProof(leaves, 2, 8);
    try {
      verifyInclusion(2, 8, leaves[2]!, proof, roots[7]!);
      assert.fail('accepted a proof against the wrong root');
    } catch (e) {
      assert.ok(e instanceof ProofError && e instanceof DomainError);
      assert.equal(e.expected, roots[7]!.toString('hex'));
      assert.equal(e.computed, roots[8]!.toString('hex'));
    }
  });

  test('bad arguments to proof generation are refused', () => {
    assert.throws(() => inclusionProof(leaves, 8, 8), { code: 'MERKLE_ARGUMENT_INVALID' });
    assert.throws(() => inclusionProof(leaves.slice(0, 4), 0, 8), { code: 'MERKLE_ARGUMENT_INVALID' });
    assert.throws(() => consistencyProof(leaves, 0, 8), { code: 'MERKLE_ARGUMENT_INVALID' });
    assert.throws(() => consistencyProof(leaves, 9, 8), { code: 'MERKLE_ARGUMENT_INVALID' });
    assert.deepEqual(consistencyProof(leaves, 8, 8), []);
  });
});

describe('MerkleAccumulator', () => {
  test('root after every append equals MTH of the prefix; CompactRange is the same class', () => {
    const leaves = leavesOf(100);
    const acc = new CompactRange();
    for (let i = 0; i < leaves.length; i++) {
      acc.append(leaves[i]!);
      assert.deepEqual(acc.root(), merkleRoot(leaves.slice(0, i + 1)), `size ${i + 1}`);
    }
    assert.equal(acc.size, 100);
  });

  test('state/restore resumes with the same roots', () => {
    const leaves = leavesOf(77);
    const a = new MerkleAccumulator();
    leaves.slice(0, 45).forEach((l) => a.append(l));
    const { size, hashes } = a.state();
    assert.equal(hashes.length, 4); // 45 = 32 + 8 + 4 + 1: one perfect subtree per set bit
    const b = MerkleAccumulator.restore(size, hashes);
    leaves.slice(45).forEach((l) => {
      a.append(l);
      b.append(l);
    });
    assert.deepEqual(b.root(), a.root());
    assert.deepEqual(b.root(), merkleRoot(leaves));
    assert.throws(() => MerkleAccumulator.restore(45, hashes.slice(1)), { code: 'MERKLE_ARGUMENT_INVALID' });
  });

  test('onPerfectSubtree reports every completed perfect subtree with its root', () => {
    const leaves = leavesOf(40);
    const seen: string[] = [];
    const acc = new MerkleAccumulator((height, index, hash) => {
      const width = 2 ** height;
      assert.deepEqual(hash, merkleRoot(leaves.slice(index * width, (index + 1) * width)));
      seen.push(`${height}/${index}`);
    });
    leaves.forEach((l) => acc.append(l));
    // 40 leaves: 20 subtrees of height 1, 10 of 2, 5 of 3, 2 of 4, 1 of 5.
    assert.equal(seen.length, 20 + 10 + 5 + 2 + 1);
  });

  test('refuses hashes that are not 32 bytes', () => {
    assert.throws(() => new MerkleAccumulator().append(Buffer.alloc(31)), { code: 'MERKLE_ARGUMENT_INVALID' });
    assert.throws(() => new MerkleAccumulator().appendHex('zz'.repeat(32)), { code: 'MERKLE_ARGUMENT_INVALID' });
    const upper = new MerkleAccumulator();
    upper.appendHex(leafHash('x').toString('hex').toUpperCase());
    assert.equal(upper.rootHex(), leafHash('x').toString('hex'));
    assert.throws(() => new MerkleAccumulator().appendHex('ab'.repeat(31)), { code: 'MERKLE_ARGUMENT_INVALID' });
  });
});

describe('proofs through a leaf reader', () => {
  test('reader-based roots and proofs equal the in-memory ones, with and without a cache', async () => {
    const leaves = leavesOf(300);
    let reads = 0;
    const read = (s: number, e: number): Buffer[] => {
      reads++;
      return leaves.slice(s, e);
    };
    const cache = new InMemorySubtreeCache();
    const options = { cache, chunkSize: 16, minCachedHeight: 2 };
    for (const size of [1, 2, 7, 64, 100, 257, 300]) {
      assert.deepEqual(await subtreeRoot(read, 0, size, options), merkleRoot(leaves.slice(0, size)));
      assert.deepEqual(await subtreeRoot(read, 0, size), merkleRoot(leaves.slice(0, size)));
      for (const i of [0, 1, size - 1, Math.floor(size / 3)].filter((x) => x < size)) {
        assert.deepEqual(await inclusionProofFromReader(read, i, size, options), inclusionProof(leaves, i, size));
      }
      for (const m of [1, Math.ceil(size / 2), size]) {
        assert.deepEqual(await consistencyProofFromReader(read, m, size, options), consistencyProof(leaves, m, size));
      }
    }
    assert.ok(cache.size > 0, 'perfect subtrees were cached');
    const before = reads;
    await subtreeRoot(read, 0, 256, options);
    assert.equal(reads, before, 'a cached perfect subtree needs no reads');
  });

  test('a reader that returns the wrong number of leaves is refused', async () => {
    await assert.rejects(subtreeRoot(() => [], 0, 4), { code: 'MERKLE_ARGUMENT_INVALID' });
  });
});

describe('properties', () => {
  type Mutation = 'flip' | 'drop' | 'add' | 'index' | 'size' | 'leaf';
  const mutation = fc.constantFrom<Mutation>('flip', 'drop', 'add', 'index', 'size', 'leaf');

  test('any inclusion proof verifies, and any mutation of it is rejected', () => {
    const leaves = leavesOf(210);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), mutation, fc.nat(), fc.nat(255), (size, rawIndex, kind, pick, bit) => {
        const index = rawIndex % size;
        const root = merkleRoot(leaves.slice(0, size));
        const proof = inclusionProof(leaves, index, size);
        verifyInclusion(index, size, leaves[index]!, proof, root);
        let [i, n, leaf, p, r]: [number, number, Buffer, Buffer[], Buffer] = [index, size, leaves[index]!, proof.map((x) => Buffer.from(x)), root];
        switch (kind) {
          case 'flip':
            if (p.length === 0) return; // nothing to flip in a 1-leaf tree's proof
            p[pick % p.length]![bit % 32]! ^= 1 << (bit % 8);
            break;
          case 'drop':
            if (p.length === 0) return;
            p.splice(pick % p.length, 1);
            break;
          case 'add':
            p.splice(pick % (p.length + 1), 0, leafHash(`extra ${pick}`));
            break;
          case 'index':
            i = (index + 1 + (pick % size)) % (size + 1);
            if (i === index) return;
            break;
          case 'size':
            // The true root of the bigger tree: a proof for `size` must not pass for it.
            n = size + 1 + (pick % 5);
            r = merkleRoot(leaves.slice(0, n));
            break;
          case 'leaf':
            leaf = leafHash(`other ${pick}`);
            break;
        }
        assert.throws(() => verifyInclusion(i, n, leaf, p, r), ProofError);
      }),
      { numRuns: 500 },
    );
  });

  test('any consistency proof verifies, and any mutation of it is rejected', () => {
    const leaves = leavesOf(210);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.constantFrom('flip', 'drop', 'add', 'size1', 'size2', 'root1'), fc.nat(), fc.nat(255), (size2, raw, kind, pick, bit) => {
        const size1 = 1 + (raw % (size2 - 1)); // 1 <= size1 < size2
        const root1 = merkleRoot(leaves.slice(0, size1));
        const root2 = merkleRoot(leaves.slice(0, size2));
        const proof = consistencyProof(leaves, size1, size2);
        verifyConsistency(size1, size2, proof, root1, root2);
        let [m, n, r1, r2, p]: [number, number, Buffer, Buffer, Buffer[]] = [size1, size2, root1, root2, proof.map((x) => Buffer.from(x))];
        switch (kind) {
          case 'flip':
            p[pick % p.length]![bit % 32]! ^= 1 << (bit % 8);
            break;
          case 'drop':
            p.splice(pick % p.length, 1);
            break;
          case 'add':
            p.splice(pick % (p.length + 1), 0, leafHash(`extra ${pick}`));
            break;
          case 'size1':
            // Another old size with its true root: the proof is for size1 only.
            m = 1 + ((size1 + pick) % (size2 - 1));
            if (m === size1) return;
            r1 = merkleRoot(leaves.slice(0, m));
            break;
          case 'size2':
            n = size2 + 1 + (pick % 5);
            r2 = merkleRoot(leaves.slice(0, n));
            break;
          case 'root1':
            r1 = leafHash(`other ${pick}`);
            break;
        }
        assert.throws(() => verifyConsistency(m, n, p, r1, r2), ProofError);
      }),
      { numRuns: 500 },
    );
  });
});
