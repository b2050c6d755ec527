import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, LedgerService } from '@radledger/ledger';
import { AesGcmFieldCipher, apiTokenSha256, loadOrCreateKeyEncryptionKey, openCredentialStore, SqliteSubjectKeyStore, verifyPassword } from '@radledger/application';

let dir: string;
let store: string;

function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', 'user', ...args, '--store', store, '--data-dir', dir, '--as', 'cli-admin'], {
    encoding: 'utf8',
    input,
    env: { ...process.env, NODE_ENV: 'test', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'radledger-user-cli-'));
  store = `sqlite:${join(dir, 'ledger.db')}`;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('user add | role | token | token-revoke write ledger events attributed to the operator; secrets only as hashes', async () => {
  const add = cli(['add', 'u-cli', '--name', 'Cleo Cli', '--password-env', 'RL_PW', '--reason', 'New site operator'], { RL_PW: 'cli-password-123' });
  assert.equal(add.code, 0, add.stderr);
  const role = cli(['role', 'u-cli', 'site-operator', '--trial', 'T1', '--site', 'BER', '--reason', 'Berlin operator']);
  assert.equal(role.code, 0, role.stderr);
  // Tokens from the console are for service accounts: a person issues their own through the API.
  const forPerson = cli(['token', 'u-cli', '--scope', 'site-operator:T1:BER', '--expires', '2099-01-01T00:00:00Z']);
  assert.equal(forPerson.code, 1);
  assert.match(forPerson.stderr, /TOKEN_FOR_ANOTHER_PERSON/);
  assert.equal(cli(['add', 'svc-cli', '--name', 'Berlin pipeline', '--service', '--trial', 'T1', '--reason', 'Pipeline']).code, 0);
  assert.equal(cli(['role', 'svc-cli', 'site-operator', '--trial', 'T1', '--site', 'BER', '--reason', 'Berlin pipeline']).code, 0);
  const token = cli(['token', 'svc-cli', '--scope', 'site-operator:T1:BER', '--expires', '2099-01-01T00:00:00Z']);
  assert.equal(token.code, 0, token.stderr);
  const issued = token.stdout.trim();
  assert.match(issued, /^rlt_[A-Za-z0-9_-]{43}$/);
  const tokenId = /token (tok-[0-9a-f-]+)/.exec(token.stderr)![1]!;

  const bad = cli(['role', 'u-cli', 'wizard', '--reason', 'x']);
  assert.equal(bad.code, 2);
  const noReason = cli(['token-revoke', tokenId, '--reason', ' ']);
  assert.equal(noReason.code, 1);
  assert.match(noReason.stderr, /REASON_REQUIRED/);
  assert.equal(cli(['token-revoke', tokenId, '--reason', 'Rotated']).code, 0);

  const events = await openEventStore(store);
  try {
    const stream = await events.readStream('user-u-cli');
    assert.deepEqual(stream.map((e) => e.type), ['UserRegistered', 'PasswordSet', 'RoleGranted']);
    const service = await events.readStream('user-svc-cli');
    assert.deepEqual(service.map((e) => e.type), ['UserRegistered', 'RoleGranted', 'ApiTokenIssued', 'ApiTokenRevoked']);
    assert.ok(stream.every((e) => e.meta.actor === 'cli-admin' && e.meta.client.startsWith('radledger-cli/')));
    // Free text is sealed (ADR 0007); the CLI's data dir holds the keys that open it.
    const keys = new SqliteSubjectKeyStore(join(dir, 'keys.db'), loadOrCreateKeyEncryptionKey(join(dir, 'key-encryption-key')).key);
    try {
      assert.match(stream[0]!.meta.reason!, /^enc:v1:/);
      assert.equal(await new AesGcmFieldCipher(keys).open(stream[0]!.meta.reason!), 'New site operator');
    } finally {
      await keys.close();
    }
    const text = [...stream, ...service].map((e) => e.canonical).join('\n');
    assert.ok(!text.includes(issued) && !text.includes('cli-password-123'));
    assert.ok(text.includes(apiTokenSha256(issued)));
    await new LedgerService(events).verifyLedger();
  } finally {
    await events.close();
  }
  const credentials = await openCredentialStore(store);
  try {
    assert.ok(await verifyPassword('cli-password-123', (await credentials.passwordHash('u-cli'))!));
    assert.ok((await credentials.apiTokenById(tokenId))?.revokedAt);
  } finally {
    await credentials.close();
  }
});
