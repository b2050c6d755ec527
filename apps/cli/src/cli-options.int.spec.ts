import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AesGcmFieldCipher, loadOrCreateKeyEncryptionKey, SqliteSubjectKeyStore } from '@radledger/application';
import { loadOrCreateSigningKey, openEventStore } from '@radledger/ledger';
import { buildProgram } from './program.js';

/**
 * Issue 16 (CLI): every command that opens a store takes --store, --read-store and --data-dir
 * (or their RADLEDGER_* variables) and resolves them alike; `verify` checks checkpoints with
 * the data dir's signing key; --reason is taken wherever an event is appended.
 */
const repo = process.cwd();
// The swc loader registered by absolute URL, so the CLI can run from another working directory.
const register = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(import.meta.resolve('@swc-node/register/esm'))});`;
const main = resolve(repo, 'apps/cli/src/main.ts');
const UNSET = ['RADLEDGER_STORE', 'RADLEDGER_READ_STORE', 'RADLEDGER_DATA_DIR', 'RADLEDGER_SIGNING_KEY', 'RADLEDGER_KEY_ENCRYPTION_KEY', 'RADLEDGER_AUTH_SECRET_FILE', 'RADLEDGER_ACTOR'];

let root: string;
let dataDir: string;
let elsewhere: string;

/** Spawns the CLI in `cwd` with the RADLEDGER_* variables unset unless given. */
function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'test', SWC_NODE_PROJECT: join(repo, 'tsconfig.json') };
  for (const name of UNSET) delete env[name];
  const r = spawnSync(process.execPath, ['--import', register, main, ...args], { cwd: options.cwd ?? repo, encoding: 'utf8', env: { ...env, ...options.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'radledger-cli-options-'));
  dataDir = join(root, 'site-data');
  // Another directory whose ./data holds a different signing key: where `verify` used to look.
  elsewhere = join(root, 'elsewhere');
  mkdirSync(join(elsewhere, 'data'), { recursive: true });
  loadOrCreateSigningKey(join(elsewhere, 'data', 'signing-key.pem'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a ledger written with --data-dir verifies with --data-dir or RADLEDGER_DATA_DIR, from any working directory', () => {
  // Written with the data dir only: the ledger, keys and credentials all land in it.
  const add = cli(['user', 'add', 'svc-ci', '--name', 'CI pipeline', '--service', '--trial', 'T1', '--data-dir', dataDir, '--as', 'cli-admin', '--reason', 'pipeline account']);
  assert.equal(add.code, 0, add.stderr);
  const checkpoint = cli(['checkpoint', '--data-dir', dataDir]);
  assert.equal(checkpoint.code, 0, checkpoint.stderr);
  assert.ok(existsSync(join(dataDir, 'signing-key.pem')) && existsSync(join(dataDir, 'radledger.db')), 'the key and the ledger are in the data dir');

  const byFlag = cli(['verify', '--data-dir', dataDir], { cwd: elsewhere });
  assert.equal(byFlag.code, 0, byFlag.stdout + byFlag.stderr);
  assert.match(byFlag.stdout, /^OK \d+ events, root [0-9a-f]{64}$/m);
  assert.match(byFlag.stdout, new RegExp(`1 checkpoints verified with the public key of ${join(dataDir, 'signing-key.pem')}`));
  assert.doesNotMatch(byFlag.stdout + byFlag.stderr, /FAIL|bad-signature/);

  // The reported case: RADLEDGER_DATA_DIR set, ./data/signing-key.pem another key. It used to print a false FAIL … bad-signature, exit 1.
  const byEnv = cli(['verify'], { cwd: elsewhere, env: { RADLEDGER_DATA_DIR: dataDir } });
  assert.equal(byEnv.code, 0, byEnv.stdout + byEnv.stderr);
  assert.equal(byEnv.stdout, byFlag.stdout);

  // A checkpoint that really does not match the key still fails, naming the key it was checked with.
  const wrongKey = cli(['verify', '--data-dir', dataDir, '--key', join(elsewhere, 'data', 'signing-key.pem')]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /FAIL at global position \d+: bad-signature: .*checked with the public key of .*elsewhere\/data\/signing-key\.pem/);

  // The explicit store and read store name the same database as the data dir's default.
  const explicit = cli(['verify', '--store', `sqlite:${join(dataDir, 'radledger.db')}`, '--read-store', `sqlite:${join(dataDir, 'radledger.db')}`, '--data-dir', dataDir], { cwd: elsewhere });
  assert.equal(explicit.stdout, byFlag.stdout);
  const badUrl = cli(['verify', '--data-dir', dataDir], { env: { RADLEDGER_STORE: 'mysql://x' } });
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /^error \[STORE_URL_INVALID\]: --store must be sqlite:<path>, postgres:\/\/… or kurrentdb:\/\/… \(RADLEDGER_STORE\), got "mysql:\/\/x"$/m);
});

test('user token takes --reason and records it, sealed, as the event reason', async () => {
  const role = cli(['user', 'role', 'svc-ci', 'site-operator', '--trial', 'T1', '--site', 'BER', '--reason', 'Berlin pipeline', '--as', 'cli-admin'], { env: { RADLEDGER_DATA_DIR: dataDir } });
  assert.equal(role.code, 0, role.stderr);
  const token = cli(['user', 'token', 'svc-ci', '--scope', 'site-operator:T1:BER', '--expires', '2099-01-01T00:00:00Z', '--reason', 'nightly feature extraction', '--as', 'cli-admin'], { env: { RADLEDGER_DATA_DIR: dataDir } });
  assert.equal(token.code, 0, token.stderr);
  assert.match(token.stdout, /^rlt_/);

  const store = await openEventStore(`sqlite:${join(dataDir, 'radledger.db')}`, { create: false });
  const keys = new SqliteSubjectKeyStore(join(dataDir, 'keys.db'), loadOrCreateKeyEncryptionKey(join(dataDir, 'key-encryption-key')).key);
  try {
    const events = await store.readStream('user-svc-ci');
    assert.deepEqual(events.map((e) => e.type), ['UserRegistered', 'RoleGranted', 'ApiTokenIssued']);
    const cipher = new AesGcmFieldCipher(keys);
    const issued = events[2]!;
    assert.equal(issued.meta.actor, 'cli-admin');
    assert.equal(await cipher.open(issued.meta.reason!), 'nightly feature extraction');
    assert.equal(await cipher.open(events[0]!.meta.reason!), 'pipeline account');
  } finally {
    await keys.close();
    await store.close();
  }
});

/** Every runnable command of the program by its path (`user token`), leaves only. */
function leaves(command: Command, path: string[] = []): Array<{ path: string; command: Command }> {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

// The commands that open no store: files in and out, offline verifiers, the witness server.
const STORELESS = new Set(['features', 'verify-proof', 'verify-dossier', 'witness serve']);
// The commands that append events: each takes --reason.
const APPENDING = new Set(['record-features', 'user add', 'user password', 'user unlock', 'user role-grant', 'user role-revoke', 'user token', 'user token-revoke']);

test("every command's --help lists --store, --read-store and --data-dir with their variables where it opens a store, and --reason where it appends", () => {
  const commands = leaves(buildProgram());
  assert.ok(commands.length >= 20, commands.map((c) => c.path).join(', '));
  for (const { path, command } of commands) {
    const help = command.helpInformation().replace(/\s+/g, ' ');
    const flags = command.options.map((o) => o.long);
    if (STORELESS.has(path)) {
      assert.ok(!flags.includes('--store'), `${path} opens no store`);
      continue;
    }
    for (const [flag, variable] of [['--store', 'RADLEDGER_STORE'], ['--read-store', 'RADLEDGER_READ_STORE'], ['--data-dir', 'RADLEDGER_DATA_DIR']] as const) {
      assert.match(help, new RegExp(`${flag} <[a-z]+> [^()]*(\\([^()]*\\) )?\\(env: ${variable}\\)`), `${path} --help lists ${flag} (${variable})`);
    }
    assert.equal(flags.includes('--reason'), APPENDING.has(path), `${path}: --reason ${APPENDING.has(path) ? 'missing' : 'on a command that appends nothing'}`);
  }
  // The spawned CLI prints the same help.
  const spawned = cli(['export', '--help']);
  assert.equal(spawned.code, 0);
  assert.equal(spawned.stdout, leaves(buildProgram()).find((c) => c.path === 'export')!.command.helpInformation());
});
