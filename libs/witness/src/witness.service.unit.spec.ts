import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consistencyProof, EMPTY_ROOT, generateCheckpointSigner, leafHash, merkleRoot, parseNoteSignatureLine, parseSignedNote, signCheckpoint, encodeVerifierKey } from '@radledger/ledger';
import {
  checkCosignedCheckpoint,
  cosignerFromPrivateKey,
  encodeCosignatureVerifierKey,
  formatAddCheckpointRequest,
  InMemoryWitnessStateStore,
  parseCosignatureVerifierKey,
  parseWitnessPolicy,
  quorumMet,
  TLOG_SIZE_CONTENT_TYPE,
  verifyCosignature,
  Witness,
} from '@radledger/witness';
import { generateKeyPairSync } from 'node:crypto';

const ORIGIN = 'radledger.test/trial-7';
const log = generateCheckpointSigner('radledger.test/trial-7');
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(`event ${i}`));
const forged = leaves.map((l, i) => (i === 3 ? leafHash('rewritten event 3') : l));
const at = (size: number, tree = leaves) => ({ origin: ORIGIN, treeSize: size, rootHash: (size === 0 ? EMPTY_ROOT : merkleRoot(tree.slice(0, size))).toString('hex'), issuedAt: '2026-11-25T12:00:00.000Z' });
const note = (size: number, tree = leaves, signer = log) => signCheckpoint(at(size, tree), signer);
const proof = (from: number, to: number, tree = leaves) => (from === 0 ? [] : consistencyProof(tree, from, to));
const body = (old: number, size: number, tree = leaves, signer = log) => formatAddCheckpointRequest({ oldSize: old, proof: proof(old, size, tree), note: note(size, tree, signer) });

function witness(name = 'witness.site-berlin.test/w1') {
  const { privateKey } = generateKeyPairSync('ed25519');
  const cosigner = cosignerFromPrivateKey(name, privateKey);
  const state = new InMemoryWitnessStateStore();
  const w = new Witness({ cosigner, logs: [{ origin: ORIGIN, verifier: log }], state, now: () => new Date('2026-11-25T12:00:05Z') });
  return { w, cosigner, state };
}

describe('Witness: C2SP tlog-witness add-checkpoint', () => {
  test('200: a first checkpoint (old 0) is cosigned with a cosignature/v1 line that verifies with the witness vkey', async () => {
    const { w, state } = witness();
    const res = await w.addCheckpoint(body(0, 10));
    assert.equal(res.status, 200, res.body);
    const line = parseNoteSignatureLine(res.body.slice(0, -1));
    const verifier = parseCosignatureVerifierKey(w.verifierKey);
    const checked = verifyCosignature(parseSignedNote(note(10)).text, line, verifier);
    assert.equal(checked.timestamp, Date.parse('2026-11-25T12:00:05Z') / 1000);
    assert.deepEqual({ size: (await state.get(ORIGIN))!.treeSize, root: (await state.get(ORIGIN))!.rootHash }, { size: 10, root: at(10).rootHash });
  });

  test('200 along a consistent history; 409 with text/x.tlog.size on a stale old size; 422 on a forked history', async () => {
    const { w, state } = witness();
    assert.equal((await w.addCheckpoint(body(0, 10))).status, 200);
    assert.equal((await w.addCheckpoint(body(10, 25))).status, 200);
    const stale = await w.addCheckpoint(body(10, 30));
    assert.deepEqual(stale, { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: '25\n' });
    const fresh = await w.addCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], note: note(30) }));
    assert.equal(fresh.status, 409);
    // The operator rewrites event 3 and re-signs: its proof from 25 cannot reach the witnessed root.
    const fork = await w.addCheckpoint(body(25, 30, forged));
    assert.equal(fork.status, 422, fork.body);
    assert.match(fork.body, /not consistent with the checkpoint 25/);
    // Same size, other root: 422 too.
    assert.equal((await w.addCheckpoint(formatAddCheckpointRequest({ oldSize: 25, proof: [], note: note(25, forged) }))).status, 422);
    assert.equal((await state.get(ORIGIN))!.treeSize, 25);
    assert.deepEqual((await state.listRefusals()).map((r) => r.status), [422, 422]);
    assert.equal((await w.addCheckpoint(body(25, 40))).status, 200);
  });

  test('404 unknown origin, 403 wrong or broken log signature, 400 malformed or old > size, 422 proof from 0', async () => {
    const { w } = witness();
    const other = generateCheckpointSigner('radledger.test/trial-7');
    assert.equal((await w.addCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], note: signCheckpoint({ ...at(5), origin: 'elsewhere' }, log) }))).status, 404);
    assert.equal((await w.addCheckpoint(body(0, 5, leaves, other))).status, 403);
    const tampered = body(0, 5).replace(/— (\S+) (\S)/, (_m, n, c) => `— ${n} ${c === 'A' ? 'B' : 'A'}`);
    assert.equal((await w.addCheckpoint(tampered)).status, 403);
    assert.equal((await w.addCheckpoint('old 01\n\n' + note(5))).status, 400);
    assert.equal((await w.addCheckpoint('nonsense')).status, 400);
    assert.equal((await w.addCheckpoint(formatAddCheckpointRequest({ oldSize: 9, proof: [], note: note(5) }))).status, 400);
    assert.equal((await w.addCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [leaves[0]!], note: note(5) }))).status, 422);
    assert.equal((await w.addCheckpoint(Buffer.from([0x6f, 0xff, 0xfe]))).status, 400);
  });

  test('concurrent submissions never roll the stored size back (the check and the update are one step)', async () => {
    const { w, state } = witness();
    await w.addCheckpoint(body(0, 10));
    const answers = await Promise.all([w.addCheckpoint(body(10, 30)), w.addCheckpoint(body(10, 20))]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    assert.equal((await state.get(ORIGIN))!.treeSize, answers[0]!.status === 200 ? 30 : 20);
  });

  test('GET <origin hash>/checkpoint serves the cosigned note', async () => {
    const { w } = witness();
    await w.addCheckpoint(body(0, 12));
    const { createHash } = await import('node:crypto');
    const res = await w.latestCheckpoint(createHash('sha256').update(ORIGIN).digest('hex'));
    assert.equal(res.status, 200);
    assert.equal(parseSignedNote(res.body).signatures.length, 2);
    assert.equal((await w.latestCheckpoint('00'.repeat(32))).status, 404);
  });
});

describe('tlog-policy and quorum', () => {
  const ws = ['a', 'b', 'c'].map((n) => witness(`witness.${n}.test/w`));
  const policyText = (k: string) =>
    [`# three sites, ${k} of them`, `log ${encodeVerifierKey(log)}`, ...ws.map((x, i) => `witness site-${'abc'[i]} ${x.w.verifierKey} http://127.0.0.1:${7000 + i}`), `group sites ${k} site-a site-b site-c`, 'quorum sites', ''].join('\n');

  test('k of n, any, all, nested groups and none', () => {
    const p = parseWitnessPolicy(policyText('2'));
    assert.equal(p.witnesses.length, 3);
    assert.equal(p.witnesses[0]!.url, 'http://127.0.0.1:7000');
    assert.equal(quorumMet(p.quorum, new Set(['site-a'])), false);
    assert.equal(quorumMet(p.quorum, new Set(['site-a', 'site-c'])), true);
    assert.equal(quorumMet(parseWitnessPolicy(policyText('any')).quorum, new Set(['site-b'])), true);
    assert.equal(quorumMet(parseWitnessPolicy(policyText('all')).quorum, new Set(['site-a', 'site-b'])), false);
    const nested = parseWitnessPolicy(`${policyText('2').replace('quorum sites\n', '')}witness cro ${witness('cro.test/w').w.verifierKey}\ngroup sites-and-cro all sites cro\nquorum sites-and-cro\n`);
    assert.equal(quorumMet(nested.quorum, new Set(['site-a', 'site-b'])), false);
    assert.equal(quorumMet(nested.quorum, new Set(['site-a', 'site-b', 'cro'])), true);
    assert.equal(quorumMet(parseWitnessPolicy('quorum none\n').quorum, new Set()), true);
  });

  test('invalid policies are refused with POLICY_INVALID naming the line', () => {
    const bad = [
      'witness x not-a-key\nquorum x\n',
      `witness x ${ws[0]!.w.verifierKey}\nwitness y ${ws[0]!.w.verifierKey}\nquorum x\n`, // duplicate key
      `witness x ${ws[0]!.w.verifierKey}\ngroup g 2 x\nquorum g\n`, // k > n
      `group g any x\nquorum g\n`, // undefined member
      `witness x ${ws[0]!.w.verifierKey}\n`, // no quorum
      `witness x ${ws[0]!.w.verifierKey}\nquorum x\nquorum x\n`,
      `witness x ${encodeVerifierKey(log)}\nquorum x\n`, // a log key (type 0x01) is not a cosigner key
      'frobnicate\nquorum none\n',
    ];
    for (const text of bad) assert.throws(() => parseWitnessPolicy(text), { code: 'POLICY_INVALID' }, text);
  });

  test('a cosigned note is checked against the policy: quorum, unknown lines ignored, a bad line names its witness', async () => {
    const p = parseWitnessPolicy(policyText('2'));
    const n = note(10);
    const lines: string[] = [];
    for (const x of ws.slice(0, 2)) lines.push((await x.w.addCheckpoint(body(0, 10))).body);
    const stranger = witness('stranger.test/w');
    lines.push((await stranger.w.addCheckpoint(body(0, 10))).body);
    const ok = checkCosignedCheckpoint(n + lines.join(''), p);
    assert.equal(ok.ok, true, ok.summary);
    assert.deepEqual(ok.witnesses.map((v) => v.status), ['cosigned', 'cosigned', 'missing']);
    const one = checkCosignedCheckpoint(n + lines[0], p);
    assert.equal(one.quorumMet, false);
    assert.match(one.summary, /no cosignature from site-b, site-c/);
    // site-b's line moved onto another checkpoint does not verify there.
    const other = checkCosignedCheckpoint(note(11) + lines[0] + lines[1], p);
    assert.equal(other.ok, false);
    assert.match(other.summary, /cosignature does not verify: site-a, site-b/);
    assert.equal(parseCosignatureVerifierKey(encodeCosignatureVerifierKey(ws[0]!.cosigner)).keyId, ws[0]!.cosigner.keyId);
  });
});
