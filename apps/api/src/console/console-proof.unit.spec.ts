import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inclusionProof, leafHash as ledgerLeafHash, merkleRoot } from '@radledger/ledger';
import { checkInclusion, leafHashOf, rootFromInclusionProof, sameRoot } from '../../../console/src/proof.js';

/**
 * The console checks inclusion proofs again in the browser (apps/console/src/proof.ts, WebCrypto).
 * Checked here against the RFC 6962 vectors of transparency-dev/merkle (every case, accepted or
 * rejected as its wantErr says) and against the ledger's own proofs.
 */
const VECTORS = join(process.cwd(), 'libs', 'ledger', 'testdata', 'rfc6962', 'inclusion');
const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.json') ? [join(dir, name)] : []));
}

describe('console: in-browser inclusion-proof check', () => {
  it('accepts and rejects every RFC 6962 inclusion vector as its wantErr says', async () => {
    const cases = files(VECTORS);
    assert.ok(cases.length > 20, `${cases.length} vectors`);
    for (const file of cases) {
      const v = JSON.parse(readFileSync(file, 'utf8')) as { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean };
      let accepted: boolean;
      try {
        accepted = sameRoot(await rootFromInclusionProof(v.leafIdx, v.treeSize, hex(v.leafHash), (v.proof ?? []).map(hex)), hex(v.root));
      } catch {
        accepted = false;
      }
      assert.equal(accepted, !v.wantErr, file);
    }
  });

  it("agrees with the ledger: leaf hashes of canonical text and proofs of every leaf of a 13-leaf tree", async () => {
    const texts = Array.from({ length: 13 }, (_, i) => JSON.stringify({ n: i, note: `event ${i}` }));
    const leaves = texts.map((t) => ledgerLeafHash(new TextEncoder().encode(t)));
    const root = Buffer.from(merkleRoot(leaves)).toString('hex');
    for (let i = 0; i < texts.length; i++) {
      assert.equal(await leafHashOf(texts[i]!), Buffer.from(leaves[i]!).toString('hex'));
      const proof = inclusionProof(leaves, i).map((h) => Buffer.from(h).toString('hex'));
      const check = await checkInclusion({ leafIndex: i, treeSize: texts.length, leafHash: Buffer.from(leaves[i]!).toString('hex'), rootHash: root, proof, canonical: texts[i]! });
      assert.deepEqual([check.leafHashMatches, check.rootMatches], [true, true], `leaf ${i}`);
      const tampered = await checkInclusion({ leafIndex: i, treeSize: texts.length, leafHash: Buffer.from(leaves[i]!).toString('hex'), rootHash: root, proof, canonical: `${texts[i]!} ` });
      assert.equal(tampered.leafHashMatches, false);
    }
  });
});
