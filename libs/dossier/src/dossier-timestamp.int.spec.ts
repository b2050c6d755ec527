/**
 * An RFC 3161 timestamp of the dossier's checkpoint travels in the bundle (issue 14): exported
 * when the checkpointer obtained one for the checkpoint the dossier leads to, and checked by
 * verifyDossier offline against the auditor's pinned TSA root (a local `openssl ts` TSA here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeVerifierKey, LedgerService, parseSignedCheckpoint } from '@radledger/ledger';
import { HttpTimestamper, type TimestampRecord } from '@radledger/witness';
import { exportDossier, verifyDossier, type DossierVerification } from '@radledger/dossier';
import { makeTestPki, startLocalTsa, type LocalTsa, type TestPki } from '../../witness/src/testing/local-tsa.js';
import { buildDossierFixture, type DossierFixture } from './testing/dossier-fixture.js';

describe('dossier: the RFC 3161 timestamp of its checkpoint', () => {
  let fx: DossierFixture;
  let dir: string;
  let pki: TestPki;
  let tsa: LocalTsa;
  let stamped: string;
  let plain: string;
  const check = (v: DossierVerification) => v.checks.find((c) => c.check === 'checkpoint-timestamp');

  before(async () => {
    fx = await buildDossierFixture();
    dir = mkdtempSync(join(tmpdir(), 'radledger-dossier-tsa-'));
    pki = await makeTestPki(dir);
    tsa = await startLocalTsa(dir, { cert: pki.files.good, key: pki.files.goodKey });
    // What the checkpointer does with RADLEDGER_TSA_URL: a checkpoint, then a token over its text.
    const { checkpoint, note } = await new LedgerService(fx.store).issueCheckpoint(fx.signer);
    const { token, nonce } = await new HttpTimestamper(tsa.url).stamp(Buffer.from(parseSignedCheckpoint(note).body, 'utf8'));
    const record: TimestampRecord = { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, note, token: Buffer.from(token).toString('base64'), nonce: nonce.toString(), tsaUrl: tsa.url, receivedAt: new Date().toISOString() };
    stamped = join(dir, 'stamped');
    const withToken = await exportDossier(
      { store: fx.store, signer: fx.signer, radledgerVersion: 'test', reproducibility: fx.reproducibility, witnessing: { cosignatures: async () => [], timestamps: async () => [record] } },
      { trialId: fx.trialId, out: stamped },
    );
    assert.equal(withToken.manifest.checkpoint.treeSize, checkpoint.treeSize, 'the dossier reuses the timestamped checkpoint');
    assert.equal(withToken.manifest.checkpointTimestamp?.nonce, record.nonce);
    plain = join(dir, 'plain');
    await exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: 'test', reproducibility: fx.reproducibility }, { trialId: fx.trialId, out: plain });
  });
  after(async () => {
    await tsa?.close();
    await fx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('with the TSA root pinned the token verifies over the checkpoint; without it the bundle only warns', async () => {
    const pinned = await verifyDossier(stamped, { pinnedPublicKey: encodeVerifierKey(fx.signer), tsaRoot: pki.rootPem });
    assert.equal(pinned.ok, true, JSON.stringify(pinned.checks, null, 1));
    assert.equal(check(pinned)?.status, 'PASS');
    assert.match(check(pinned)!.detail, /existed by \d{4}-\d\d-\d\dT.* \(RFC 3161 token by CN=Test TSA/);
    const unpinned = await verifyDossier(stamped, { pinnedPublicKey: encodeVerifierKey(fx.signer) });
    assert.equal(unpinned.ok, true);
    assert.equal(check(unpinned)?.status, 'WARN');
  });

  test('another root fails TSA_CHAIN_UNTRUSTED; a bundle without a token fails when a root is pinned, and lists no such check otherwise', async () => {
    const untrusted = await verifyDossier(stamped, { pinnedPublicKey: encodeVerifierKey(fx.signer), tsaRoot: pki.otherRootPem });
    assert.equal(untrusted.ok, false);
    assert.equal(check(untrusted)?.status, 'FAIL');
    assert.match(check(untrusted)!.detail, /\[TSA_CHAIN_UNTRUSTED\]/);
    const missing = await verifyDossier(plain, { pinnedPublicKey: encodeVerifierKey(fx.signer), tsaRoot: pki.rootPem });
    assert.equal(missing.ok, false);
    assert.match(check(missing)!.detail, /carries no RFC 3161 timestamp/);
    assert.equal(check(await verifyDossier(plain, { pinnedPublicKey: encodeVerifierKey(fx.signer) })), undefined);
  });
});
