import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@radledger/ledger';
import { appendInOrder, syntheticTrial } from '@radledger/projections';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, RADLEDGER_STORE: '', RADLEDGER_READ_STORE: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli rebuild (SQLite)', () => {
  let dir: string;
  let ledgerPath: string;
  let size: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-rebuild-'));
    ledgerPath = join(dir, 'ledger.db');
    const ledger = new SqliteEventStore({ path: ledgerPath });
    size = await appendInOrder(ledger, syntheticTrial({ trialId: 'T-CLI', sites: 1, subjectsPerSite: 2 }));
    await ledger.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drops and replays every read model, twice to the same rows', () => {
    const readPath = join(dir, 'read.db');
    const first = cli(['rebuild', '--store', `sqlite:${ledgerPath}`, '--read-store', `sqlite:${readPath}`, '--batch', '7']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`from ${size} events`));
    assert.match(first.stdout, new RegExp(`lineage@3: checkpoint ${size - 1}, lag 0`));
    const dump = () => {
      const db = new Database(readPath, { readonly: true });
      const rows = db.prepare('SELECT * FROM rm_lineage_edge ORDER BY global_position, ordinal').all();
      const audit = db.prepare('SELECT COUNT(*) AS n FROM rm_audit_entry').get() as { n: number };
      db.close();
      return { rows, audit: audit.n };
    };
    const before = dump();
    assert.equal(before.audit, size);
    const second = cli(['rebuild', '--store', `sqlite:${ledgerPath}`, '--read-store', `sqlite:${readPath}`]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(dump(), before);
  });

  it('refuses a bad read-store URL or batch size with one line and exit code 2', () => {
    const badUrl = cli(['rebuild', '--store', `sqlite:${ledgerPath}`, '--read-store', 'mysql://x']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--read-store must be sqlite:<path> or postgres/);
    const badBatch = cli(['rebuild', '--store', `sqlite:${ledgerPath}`, '--batch', '0']);
    assert.equal(badBatch.code, 2);
    assert.match(badBatch.stderr, /--batch must be an integer/);
  });
});
