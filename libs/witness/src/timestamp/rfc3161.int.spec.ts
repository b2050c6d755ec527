import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerService, loadOrCreateSigningKey, parseSignedCheckpoint, SqliteEventStore } from '@radledger/ledger';
import { Checkpointer, createTimestampRequest, HttpTimestamper, SqliteCosignatureStore, TimestampError, verifyTimestampToken } from '@radledger/witness';
import { newTestEvent } from '../../../ledger/src/testing/ledger-fixtures.js';
import { makeTestPki, resignToken, startLocalTsa, type LocalTsa, type TestPki } from '../testing/local-tsa.js';

/**
 * RFC 3161 against a TSA started here (Debian's `openssl ts -reply`, over HTTP on loopback)
 * with a test CA made here: a good token verifies offline; other bytes, a wrong nonce, a
 * certificate without the timeStamping EKU, an expired chain and an unrelated root each
 * fail with their own TimestampError code.
 */
describe('RFC 3161 timestamps of checkpoints (local openssl TSA)', () => {
  let dir: string;
  let pki: TestPki;
  let tsa: LocalTsa;
  const checkpointText = Buffer.from('radledger\n42\nq2v0ZbXqv0VtE8cWc9c0Xz2m0vC8fJj8rQ8yZ8V5m3A=\nissued-at 2026-11-25T12:00:00.000Z\n');

  before(async () => {
    assert.equal(spawnSync('openssl', ['version']).status, 0, 'openssl must be installed (apt-get install openssl)');
    dir = mkdtempSync(join(tmpdir(), 'radledger-tsa-'));
    pki = await makeTestPki(dir);
    tsa = await startLocalTsa(dir, { cert: pki.files.good, key: pki.files.goodKey });
  });
  after(async () => {
    await tsa.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof TimestampError, String(error));
      return error.code;
    }
    return 'VERIFIED';
  };

  test('a good token verifies: imprint, nonce, CMS signature, critical timeStamping EKU, chain to the pinned root', async () => {
    const { token, nonce } = await new HttpTimestamper(tsa.url).stamp(checkpointText);
    const check = verifyTimestampToken(token, checkpointText, { trustedRoots: [pki.rootPem], nonce });
    assert.equal(check.tsa, 'CN=Test TSA');
    assert.equal(check.policy, '1.3.6.1.4.1.99999.1');
    assert.ok(Math.abs(check.genTime.getTime() - Date.now()) < 120_000, check.genTime.toISOString());
  });

  test('each failure has its typed error', async () => {
    const { token, nonce } = await new HttpTimestamper(tsa.url).stamp(checkpointText);
    const roots = { trustedRoots: [pki.rootPem] };
    assert.equal(code(() => verifyTimestampToken(token, Buffer.from('radledger\n43\n'), { ...roots, nonce })), 'TSA_IMPRINT_MISMATCH');
    assert.equal(code(() => verifyTimestampToken(token, checkpointText, { ...roots, nonce: nonce + 1n })), 'TSA_NONCE_MISMATCH');
    assert.equal(code(() => verifyTimestampToken(token, checkpointText, { trustedRoots: [pki.otherRootPem], nonce })), 'TSA_CHAIN_UNTRUSTED');
    const flipped = Buffer.from(token);
    flipped[flipped.length - 10]! ^= 0x01;
    assert.ok(['TSA_SIGNATURE_INVALID', 'TSA_TOKEN_MALFORMED'].includes(code(() => verifyTimestampToken(flipped, checkpointText, { ...roots, nonce }))));
    assert.equal(code(() => verifyTimestampToken(Buffer.from('not a token'), checkpointText, roots)), 'TSA_TOKEN_MALFORMED');

    // openssl refuses to sign with a certificate lacking the EKU, so that token is the good one re-signed with the ASN.1 libraries.
    const noEku = resignToken(token, readFileSync(pki.files.noEku, 'utf8'), readFileSync(pki.files.noEkuKey, 'utf8'));
    assert.equal(code(() => verifyTimestampToken(noEku, checkpointText, { ...roots, nonce })), 'TSA_EKU_INVALID');
    // Re-signed by the good certificate the same way, it verifies: the re-signing itself is sound.
    const again = resignToken(token, readFileSync(pki.files.good, 'utf8'), readFileSync(pki.files.goodKey, 'utf8'));
    assert.equal(code(() => verifyTimestampToken(again, checkpointText, { ...roots, nonce })), 'VERIFIED');
  });

  test('a TSA certificate that expired before the token was made fails TSA_CERT_EXPIRED', async () => {
    const expired = await startLocalTsa(dir, { cert: pki.files.expired, key: pki.files.expiredKey });
    try {
      const { token, nonce } = await new HttpTimestamper(expired.url).stamp(checkpointText);
      assert.equal(code(() => verifyTimestampToken(token, checkpointText, { trustedRoots: [pki.rootPem], nonce })), 'TSA_CERT_EXPIRED');
    } finally {
      await expired.close();
    }
  });

  test('the request is a DER TimeStampReq openssl reads back with our imprint and nonce', () => {
    const { request, nonce } = createTimestampRequest(checkpointText, 0xfedcba9876543210n);
    assert.equal(nonce, 0xfedcba9876543210n);
    const file = join(dir, 'req.tsq');
    writeFileSync(file, request);
    const text = spawnSync('openssl', ['ts', '-query', '-in', file, '-text'], { encoding: 'utf8' }).stdout;
    assert.match(text, /Hash Algorithm: sha256/);
    assert.match(text, /Nonce: 0xFEDCBA9876543210/i);
    assert.match(text, /Certificate required: yes/);
  });

  test('the checkpointer timestamps each checkpoint; verify --tsa-root checks the stored tokens offline', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'ledger.db') });
    const cosignatures = new SqliteCosignatureStore(join(dir, 'ledger.db'));
    const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));
    try {
      await store.append('s', 'any', [newTestEvent(), newTestEvent()]);
      const checkpointer = new Checkpointer({ ledger: new LedgerService(store), signer: key.signer, store: cosignatures, witnesses: [], timestamper: new HttpTimestamper(tsa.url) });
      const { note } = await checkpointer.checkpointNow();
      const [stored] = await cosignatures.listTimestamps();
      assert.equal(stored!.note, note);
      verifyTimestampToken(Buffer.from(stored!.token, 'base64'), Buffer.from(parseSignedCheckpoint(note).body), { trustedRoots: [pki.rootPem], nonce: BigInt(stored!.nonce) });
    } finally {
      await cosignatures.close();
      await store.close();
    }
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, RADLEDGER_SIGNING_KEY: '', RADLEDGER_STORE: '' } });
    const ok = cli(['verify', '--store', `sqlite:${join(dir, 'ledger.db')}`, '--key', join(dir, 'signing-key.pem'), '--tsa-root', pki.files.root]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /timestamp of checkpoint 2: \S+ by CN=Test TSA/);
    const untrusted = join(dir, 'other-root.pem');
    writeFileSync(untrusted, pki.otherRootPem);
    const bad = cli(['verify', '--store', `sqlite:${join(dir, 'ledger.db')}`, '--key', join(dir, 'signing-key.pem'), '--tsa-root', untrusted]);
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /timestamp of checkpoint 2 \[TSA_CHAIN_UNTRUSTED\]/);
  });
});
