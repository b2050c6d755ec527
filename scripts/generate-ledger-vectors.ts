// Writes the ledger core's test vectors to libs/ledger/testdata/*.json: Merkle inclusion
// and consistency proofs, signed checkpoints and small event chains, each case with `desc`
// and `wantError`, broken cases included (flipped bit, truncated proof, reordered events,
// wrong size, foreign key). Deterministic: fixed leaves, a fixed Ed25519 seed, fixed times.
// Run: node --import @swc-node/register/esm-register scripts/generate-ledger-vectors.ts
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GENESIS_PREV_HASH,
  consistencyProof,
  encodeVerifierKey,
  inclusionProof,
  leafHash,
  merkleRoot,
  sealEnvelope,
  signCheckpoint,
  signerFromSeed,
  type Checkpoint,
  type EventEnvelope,
  type RecordedEvent,
} from '@radledger/ledger';

const OUT = join(process.cwd(), 'libs', 'ledger', 'testdata');
const ORIGIN = 'radledger.test/vectors';
const ISSUED_AT = '2026-11-25T12:00:00.000Z';
const seed = (label: string): Buffer => createHash('sha256').update(label).digest();
const signer = signerFromSeed('radledger-vectors', seed('radledger test vector key'));
const stranger = signerFromSeed('radledger-vectors', seed('some other key'));

// More leaves than the largest tree used, so "size + 1" cases get the real bigger root.
const leaves = Array.from({ length: 48 }, (_, i) => leafHash(`radledger vector leaf ${i}`));
const root = (n: number): Buffer => merkleRoot(leaves.slice(0, n));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const flipBit = (h: Buffer, bit: number): Buffer => {
  const c = Buffer.from(h);
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

function inclusionVectors() {
  const out = [];
  for (const [index, size] of [[0, 1], [0, 2], [1, 2], [2, 3], [5, 8], [6, 7], [12, 13], [0, 40], [31, 40], [39, 40]] as const) {
    const proof = inclusionProof(leaves, index, size);
    const base = { leafIndex: index, treeSize: size, leafHash: hex(leaves[index]!), proof: proof.map(hex), root: hex(root(size)) };
    out.push({ desc: `leaf ${index} of ${size}`, ...base, wantError: false });
    if (proof.length > 0) {
      out.push({ desc: `leaf ${index} of ${size}, bit flipped in the first proof hash`, ...base, proof: [hex(flipBit(proof[0]!, 7)), ...proof.slice(1).map(hex)], wantError: true });
      out.push({ desc: `leaf ${index} of ${size}, truncated proof`, ...base, proof: proof.slice(0, -1).map(hex), wantError: true });
    }
    if (proof.length > 1) {
      out.push({ desc: `leaf ${index} of ${size}, proof hashes reordered`, ...base, proof: [...proof].reverse().map(hex), wantError: true });
    }
    out.push({ desc: `leaf ${index} of ${size}, extra proof hash`, ...base, proof: [...proof, leaves[0]!].map(hex), wantError: true });
    out.push({ desc: `leaf ${index} of ${size}, wrong tree size`, ...base, treeSize: size + 1, root: hex(root(size + 1)), wantError: true });
    out.push({ desc: `leaf ${index} of ${size}, index out of range`, ...base, leafIndex: size, wantError: true });
    out.push({ desc: `leaf ${index} of ${size}, bit flipped in the root`, ...base, root: hex(flipBit(root(size), 255)), wantError: true });
    out.push({ desc: `leaf ${index} of ${size}, another leaf`, ...base, leafHash: hex(leafHash('not in the tree')), wantError: true });
  }
  return out;
}

function consistencyVectors() {
  const out = [];
  for (const [m, n] of [[1, 1], [1, 2], [1, 8], [3, 7], [4, 8], [5, 13], [7, 8], [8, 40], [21, 40], [39, 40]] as const) {
    const proof = consistencyProof(leaves, m, n);
    const base = { size1: m, size2: n, root1: hex(root(m)), root2: hex(root(n)), proof: proof.map(hex) };
    out.push({ desc: `${m} to ${n}`, ...base, wantError: false });
    if (m === n) {
      out.push({ desc: `${m} to ${n}, different roots`, ...base, root2: hex(root(n + 1)), wantError: true });
      continue;
    }
    out.push({ desc: `${m} to ${n}, bit flipped in the last proof hash`, ...base, proof: [...proof.slice(0, -1).map(hex), hex(flipBit(proof.at(-1)!, 3))], wantError: true });
    out.push({ desc: `${m} to ${n}, truncated proof`, ...base, proof: proof.slice(0, -1).map(hex), wantError: true });
    out.push({ desc: `${m} to ${n}, empty proof`, ...base, proof: [], wantError: true });
    out.push({ desc: `${m} to ${n}, roots swapped`, ...base, root1: base.root2, root2: base.root1, wantError: true });
    out.push({ desc: `${m} to ${n}, wrong old size`, ...base, size1: m + 1, root1: hex(root(m + 1)), wantError: true });
    out.push({ desc: `${m} to ${n}, wrong new size`, ...base, size2: n + 1, root2: hex(root(n + 1)), wantError: true });
    out.push({ desc: `${m} to ${n}, sizes reversed`, ...base, size1: n, size2: m, wantError: true });
  }
  out.push({ desc: 'from the empty tree (not defined)', size1: 0, size2: 5, root1: hex(root(0)), root2: hex(root(5)), proof: [], wantError: true });
  return out;
}

function checkpointVectors() {
  const cp: Checkpoint = { origin: ORIGIN, treeSize: 40, rootHash: hex(root(40)), issuedAt: ISSUED_AT };
  const note = signCheckpoint(cp, signer);
  const verifierKey = encodeVerifierKey(signer);
  return [
    { desc: 'signed by the pinned key', verifierKey, note, checkpoint: cp, wantError: false },
    { desc: 'empty tree', verifierKey, note: signCheckpoint({ ...cp, treeSize: 0, rootHash: hex(root(0)) }, signer), checkpoint: { ...cp, treeSize: 0, rootHash: hex(root(0)) }, wantError: false },
    { desc: 'signed by another key with the same name', verifierKey, note: signCheckpoint(cp, stranger), wantError: true, errorCode: 'CHECKPOINT_SIGNATURE_MISSING' },
    { desc: 'tree size changed after signing', verifierKey, note: note.replace('\n40\n', '\n41\n'), wantError: true, errorCode: 'CHECKPOINT_SIGNATURE_INVALID' },
    { desc: 'issued-at changed after signing', verifierKey, note: note.replace(ISSUED_AT, '2027-01-01T00:00:00.000Z'), wantError: true, errorCode: 'CHECKPOINT_SIGNATURE_INVALID' },
    { desc: 'root changed after signing', verifierKey, note: note.replace(Buffer.from(cp.rootHash, 'hex').toString('base64'), root(39).toString('base64')), wantError: true, errorCode: 'CHECKPOINT_SIGNATURE_INVALID' },
    { desc: 'signature line removed', verifierKey, note: note.split('\n\n')[0] + '\n', wantError: true, errorCode: 'CHECKPOINT_MALFORMED' },
    { desc: 'no blank line before the signature', verifierKey, note: note.replace('\n\n', '\n'), wantError: true, errorCode: 'CHECKPOINT_MALFORMED' },
  ];
}

function envelope(position: number, prevHash: string): EventEnvelope {
  return {
    eventId: `0190c1f2-0000-7000-8000-${String(position).padStart(12, '0')}`,
    streamId: `segmentation-${position % 2}`,
    streamRevision: String(Math.floor(position / 2)),
    globalPosition: String(position),
    type: 'SegmentationEdited',
    schemaVersion: 1,
    data: { maskSha256: hex(leafHash(`mask ${position}`)), dice: 0.875, volumeChangeMl: -1.25 },
    meta: { actor: 'user-7', role: 'radiologist', reason: 'boundary fix', correlationId: 'corr-1', causationId: 'cause-1', recordedAt: ISSUED_AT, client: 'radledger-vectors 0.1.0' },
    prevHash,
  };
}

function chainVectors() {
  const events: RecordedEvent[] = [];
  let prev = GENESIS_PREV_HASH;
  for (let i = 0; i < 6; i++) {
    const e = sealEnvelope(envelope(i, prev));
    events.push(e);
    prev = e.hash;
  }
  const stored = (list: RecordedEvent[]) => list.map(({ canonical, hash }) => ({ canonical, hash }));
  const rootHex = hex(merkleRoot(events.map((e) => Buffer.from(e.hash, 'hex'))));
  const cp = (size: number, by = signer, rootHash = hex(merkleRoot(events.slice(0, size).map((e) => Buffer.from(e.hash, 'hex'))))) =>
    signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash, issuedAt: ISSUED_AT }, by);
  const verifierKey = encodeVerifierKey(signer);
  const with3 = (fn: (e: RecordedEvent) => RecordedEvent) => events.map((e, i) => (i === 3 ? fn(e) : e));
  const resealed = (canonical: string): RecordedEvent => ({ ...events[3]!, canonical, hash: hex(leafHash(canonical)) });
  const swapped = [...events];
  [swapped[2], swapped[4]] = [swapped[4]!, swapped[2]!];
  const pretty = JSON.stringify(JSON.parse(events[3]!.canonical), null, 1);
  return [
    { desc: 'intact chain of 6 with checkpoints at 3 and 6', events: stored(events), checkpoints: [cp(3), cp(6)], verifierKey, wantError: false, size: 6, rootHash: rootHex },
    { desc: 'byte changed in stored text', events: stored(with3((e) => ({ ...e, canonical: e.canonical.replace('"dice":0.875', '"dice":0.876') }))), wantError: true, kind: 'hash-mismatch', position: 3 },
    { desc: 'bit flipped in stored hash', events: stored(with3((e) => ({ ...e, hash: hex(flipBit(Buffer.from(e.hash, 'hex'), 0)) }))), wantError: true, kind: 'hash-mismatch', position: 3 },
    { desc: 'event changed and re-hashed', events: stored(with3(() => resealed(events[3]!.canonical.replace('"dice":0.875', '"dice":0.5')))), wantError: true, kind: 'broken-link', position: 4 },
    { desc: 'event deleted', events: stored(events.filter((_, i) => i !== 2)), wantError: true, kind: 'gap', position: 2 },
    { desc: 'events reordered', events: stored(swapped), wantError: true, kind: 'gap', position: 2 },
    { desc: 'last events deleted below a signed checkpoint', events: stored(events.slice(0, 4)), checkpoints: [cp(6)], verifierKey, wantError: true, kind: 'gap', position: 4 },
    { desc: 'checkpoint re-signed with another key', events: stored(events), checkpoints: [cp(6, stranger)], verifierKey, wantError: true, kind: 'bad-signature', position: 5 },
    { desc: 'signed checkpoint of another history', events: stored(events), checkpoints: [cp(5, signer, hex(root(5)))], verifierKey, wantError: true, kind: 'root-mismatch', position: 4 },
    { desc: 'stored text not canonical (re-hashed)', events: stored(events.slice(0, 3).concat(resealed(pretty))), wantError: true, kind: 'bad-canonical', position: 3 },
  ];
}

mkdirSync(OUT, { recursive: true });
const files = {
  'merkle-inclusion.json': inclusionVectors(),
  'merkle-consistency.json': consistencyVectors(),
  'checkpoints.json': checkpointVectors(),
  'chains.json': chainVectors(),
};
for (const [name, cases] of Object.entries(files)) {
  writeFileSync(join(OUT, name), JSON.stringify(cases, null, 2) + '\n');
  console.log(`${name}: ${cases.length} cases (${cases.filter((c) => c.wantError).length} negative)`);
}
