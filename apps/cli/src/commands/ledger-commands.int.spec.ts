import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  encodeVerifierKey,
  generateCheckpointSigner,
  LedgerService,
  openEventStore,
  parseSignedCheckpoint,
  signCheckpoint,
  type InclusionProofBundle,
} from '@radledger/ledger';
import { randomUUID } from 'node:crypto';

const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args],
    { encoding: 'utf8', input, env: { ...process.env, RADLEDGER_SIGNING_KEY: '', RADLEDGER_STORE: '' } },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${stderr}`);
  return lines[0]!;
}

function newTestEvent() {
  return {
    eventId: randomUUID(),
    type: 'SegmentationReviewed',
    schemaVersion: 1,
    data: { verdict: 'accepted', maskSha256: 'cd'.repeat(32) },
    meta: {
      actor: 'user-1',
      role: 'qc-reviewer',
      correlationId: 'c-1',
      causationId: 'c-1',
      recordedAt: '2026-11-25T12:00:00.000Z',
      client: 'radledger-cli-tests/0.1.0',
    },
  };
}

async function fillLedger(url: string, appends: number): Promise<void> {
  const store = await openEventStore(url);
  try {
    for (let i = 0; i < appends; i += 1) await store.append(`segmentation-${i % 4}`, 'any', [newTestEvent(), newTestEvent()]);
  } finally {
    await store.close();
  }
}

describe('ledger CLI commands on a SQLite file', () => {
  let dir: string;
  let dbPath: string;
  let url: string;
  let keyPath: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-cli-'));
    dbPath = join(dir, 'ledger.db');
    url = `sqlite:${dbPath}`;
    keyPath = join(dir, 'keys', 'signing-key.pem');
    await fillLedger(url, 12);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('verify prints OK with the event count and the recomputed root', async () => {
    const store = await openEventStore(url);
    const root = await new LedgerService(store).rootAt(24);
    await store.close();
    const run = cli(['verify', '--store', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `OK 24 events, root ${root}\n`);
  });

  let verifierKey: string;
  it('checkpoint creates a 0600 key on first use, warns with its public key, and prints a signed note', () => {
    const run = cli(['checkpoint', '--store', url, '--key', keyPath, '--origin', 'radledger.test/cli']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const match = /^(radledger\+[0-9a-f]{8}\+\S+)$/m.exec(run.stderr);
    assert.ok(match, run.stderr);
    verifierKey = match[1]!;
    const { checkpoint } = parseSignedCheckpoint(run.stdout);
    assert.equal(checkpoint.treeSize, 24);
    assert.equal(checkpoint.origin, 'radledger.test/cli');
    const again = cli(['checkpoint', '--store', url, '--key', keyPath]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
  });

  it('verify checks stored checkpoints against a pinned public key', () => {
    const run = cli(['verify', '--store', url, '--public-key', verifierKey]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^OK 24 events, root [0-9a-f]{64}\n2 checkpoints verified\n$/);
    const other = generateCheckpointSigner('radledger');
    const wrongKey = cli(['verify', '--store', url, '--public-key', encodeVerifierKey(other)]);
    assert.equal(wrongKey.code, 1);
    assert.match(oneErrorLine(wrongKey.stderr), /^FAIL at global position 23: bad-signature/);
  });

  it('prove prints an inclusion proof that verify-proof accepts offline, from a file or stdin', () => {
    const db = new Database(dbPath, { readonly: true });
    const eventId = db.prepare('SELECT event_id FROM events WHERE global_position = 9').pluck().get() as string;
    db.close();
    const run = cli(['prove', '--store', url, '--event', eventId]);
    assert.equal(run.code, 0, run.stderr);
    const bundle = JSON.parse(run.stdout) as InclusionProofBundle;
    assert.equal(bundle.leafIndex, 9);
    assert.equal(bundle.treeSize, 24);
    assert.equal(JSON.parse(bundle.canonical).eventId, eventId);
    assert.ok(bundle.checkpoint);
    const proofPath = join(dir, 'proof.json');
    writeFileSync(proofPath, run.stdout);
    const checked = cli(['verify-proof', proofPath, '--public-key', verifierKey]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^OK event .* is leaf 9 of tree 24, root [0-9a-f]{64}; root signed by the pinned key\n$/);
    const fromStdin = cli(['verify-proof', '-'], run.stdout);
    assert.equal(fromStdin.code, 0, fromStdin.stderr);

    const smaller = cli(['prove', '--store', url, '--event', eventId, '--tree-size', '10']);
    assert.equal(smaller.code, 0, smaller.stderr);
    assert.equal((JSON.parse(smaller.stdout) as InclusionProofBundle).treeSize, 10);
    assert.equal(cli(['verify-proof', '-'], smaller.stdout).code, 0);

    const forged = { ...bundle, proof: [...bundle.proof] };
    forged.proof[1] = forged.proof[1]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const rejected = cli(['verify-proof', '-'], JSON.stringify(forged));
    assert.equal(rejected.code, 1);
    assert.match(oneErrorLine(rejected.stderr), /^FAIL: /);
    const wrongEvent = cli(['verify-proof', '-'], JSON.stringify({ ...bundle, canonical: bundle.canonical.replace('accepted', 'rejected') }));
    assert.equal(wrongEvent.code, 1);
  });

  it('prove --from/--to prints a consistency proof that verify-proof accepts', () => {
    const run = cli(['prove', '--store', url, '--from', '7', '--to', '24']);
    assert.equal(run.code, 0, run.stderr);
    const checked = cli(['verify-proof', '-', '--public-key', verifierKey], run.stdout);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^OK tree 7 is a prefix of tree 24/);
  });

  it('verify names the first tampered position and exits 1', () => {
    const copy = join(dir, 'tampered.db');
    const source = new Database(dbPath);
    source.pragma('wal_checkpoint(TRUNCATE)');
    source.close();
    writeFileSync(copy, readFileSync(dbPath));
    const db = new Database(copy);
    db.exec('DROP TRIGGER events_no_update');
    db.prepare("UPDATE events SET canonical = replace(canonical, 'accepted', 'acceptee') WHERE global_position = 13").run();
    db.close();
    const run = cli(['verify', '--store', `sqlite:${copy}`, '--public-key', verifierKey]);
    assert.equal(run.code, 1);
    assert.match(oneErrorLine(run.stderr), /^FAIL at global position 13: hash-mismatch/);
    assert.equal(run.stdout, '');
    const refused = cli(['checkpoint', '--store', `sqlite:${copy}`, '--key', keyPath]);
    assert.equal(refused.code, 1);
    assert.match(oneErrorLine(refused.stderr), /^refusing to sign: FAIL at global position 13/);
  });

  it('bad input: unknown URL, unreachable PostgreSQL, corrupt file, missing file, non-JSON proof — one line, nonzero, nothing written', () => {
    const before = readdirSync(dir).sort();
    const unknown = cli(['verify', '--store', 'mysql://localhost/x']);
    assert.equal(unknown.code, 2);
    assert.match(oneErrorLine(unknown.stderr), /STORE_URL_INVALID.*sqlite:<path>, postgres:\/\//);
    const unreachable = cli(['checkpoint', '--store', 'postgres://postgres@127.0.0.1:1/test', '--key', keyPath]);
    assert.equal(unreachable.code, 2);
    assert.match(oneErrorLine(unreachable.stderr), /STORE_UNREACHABLE/);

    const corruptPath = join(dir, 'corrupt.db');
    const garbage = Buffer.from('this is not an SQLite database, just some bytes\n'.repeat(100));
    writeFileSync(corruptPath, garbage);
    for (const args of [['verify'], ['checkpoint', '--key', keyPath], ['prove', '--event', 'x']]) {
      const run = cli([...args, '--store', `sqlite:${corruptPath}`]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(oneErrorLine(run.stderr), /STORE_CORRUPT/);
    }
    assert.deepEqual(readFileSync(corruptPath), garbage);
    assert.ok(!existsSync(`${corruptPath}-wal`));

    const missing = cli(['verify', '--store', `sqlite:${join(dir, 'typo', 'ledger.db')}`]);
    assert.equal(missing.code, 2);
    assert.match(oneErrorLine(missing.stderr), /STORE_NOT_FOUND/);
    assert.ok(!existsSync(join(dir, 'typo')));

    const notJson = cli(['verify-proof', '-'], '{"kind": "radledger.inclusion-proof.v1",\n oops');
    assert.equal(notJson.code, 2);
    assert.match(oneErrorLine(notJson.stderr), /is not JSON/);
    const wrongShape = cli(['verify-proof', '-'], '{"kind":"something-else"}');
    assert.equal(wrongShape.code, 2);
    assert.match(oneErrorLine(wrongShape.stderr), /PROOF_MALFORMED/);
    assert.deepEqual(readdirSync(dir).sort(), [...before, 'corrupt.db'].sort());
  });
});

describe('ledger CLI commands on PostgreSQL', () => {
  const schema = `ledger_cli_${Date.now().toString(36)}_${process.pid}`;
  const url = `${TEST_POSTGRES_URL}?schema=${schema}`;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-cli-pg-'));
    await fillLedger(url, 5);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('verifies, checkpoints and detects a re-signed checkpoint', async () => {
    const keyPath = join(dir, 'key.pem');
    const issued = cli(['checkpoint', '--store', url, '--key', keyPath]);
    assert.equal(issued.code, 0, issued.stderr);
    const verifierKey = /^(radledger\+\S+)$/m.exec(issued.stderr)![1]!;
    const ok = cli(['verify', '--store', url, '--public-key', verifierKey]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^OK 10 events, root [0-9a-f]{64}\n1 checkpoints verified\n$/);

    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT id, note FROM "${schema}".checkpoints`);
      const forged = signCheckpoint(parseSignedCheckpoint(rows[0].note).checkpoint, generateCheckpointSigner('radledger'));
      await client.query(`UPDATE "${schema}".checkpoints SET note = $1 WHERE id = $2`, [forged, rows[0].id]);
    } finally {
      await client.end();
    }
    const bad = cli(['verify', '--store', url, '--public-key', verifierKey]);
    assert.equal(bad.code, 1);
    assert.match(oneErrorLine(bad.stderr), /^FAIL at global position 9: bad-signature/);
  });
});
