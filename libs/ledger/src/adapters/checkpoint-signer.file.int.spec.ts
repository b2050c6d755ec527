import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '@radledger/platform';
import { parseVerifierKey, signCheckpoint, verifySignedCheckpoint } from '../core/checkpoint.js';
import { loadOrCreateSigningKey, loadSigningKey } from './checkpoint-signer.file.js';

describe('signing key file', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'radledger-key-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 Ed25519 PEM key once, then loads the same key', () => {
    const path = join(dir, 'keys', 'signing-key.pem');
    const created = loadOrCreateSigningKey(path);
    assert.equal(created.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const loaded = loadOrCreateSigningKey(path);
    assert.equal(loaded.created, false);
    assert.equal(loaded.verifierKey, created.verifierKey);
    assert.equal(loadSigningKey(path).verifierKey, created.verifierKey);
    const note = signCheckpoint(
      { origin: 'radledger.test/key', treeSize: 1, rootHash: 'ab'.repeat(32), issuedAt: '2026-11-25T13:00:00.000Z' },
      loaded.signer,
    );
    assert.equal(verifySignedCheckpoint(note, parseVerifierKey(created.verifierKey)).treeSize, 1);
  });

  it('refuses a file that is not an Ed25519 private key', () => {
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const rsa = join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    for (const path of [notPem, rsa]) {
      assert.throws(() => loadOrCreateSigningKey(path), (e: unknown) => (e as DomainError).code === 'SIGNING_KEY_INVALID');
    }
    assert.throws(() => loadSigningKey(join(dir, 'missing.pem')), (e: unknown) => (e as DomainError).code === 'SIGNING_KEY_INVALID');
  });
});
