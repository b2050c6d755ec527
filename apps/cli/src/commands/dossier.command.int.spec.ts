import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSigningKey } from '@radledger/ledger';
import { buildDossierFixture, type DossierFixture } from '../../../../libs/dossier/src/testing/dossier-fixture.js';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, RADLEDGER_SIGNING_KEY: '', RADLEDGER_STORE: '', RADLEDGER_DATA_DIR: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let fx: DossierFixture;
let work: string;
let keyFile: string;

before(async () => {
  fx = await buildDossierFixture();
  work = mkdtempSync(join(tmpdir(), 'radledger-dossier-cli-'));
  keyFile = join(work, 'signing-key.pem');
  writeFileSync(keyFile, fx.signer.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
});

after(async () => {
  await fx.close();
  rmSync(work, { recursive: true, force: true });
});

test('cli dossier exports a zip with re-computation from the data dir; verify-dossier prints a verdict per check and exits 0, or 1 when tampered', () => {
  const out = join(work, 'dossier.zip');
  const store = `sqlite:${join(fx.dir, 'ledger.db')}`;
  const exported = cli(['dossier', '--trial', fx.trialId, '--out', out, '--store', store, '--key', keyFile, '--data-dir', fx.dir]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /^dossier written to .*dossier\.zip/);
  assert.match(exported.stdout, /3 decisions/);
  const vkey = loadSigningKey(keyFile).verifierKey;
  assert.ok(exported.stdout.includes(`--public-key ${vkey}`));

  const ok = cli(['verify-dossier', out, '--public-key', vkey]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  for (const check of ['manifest', 'public-key', 'manifest-signature', 'file-hashes', 'checkpoint-signature', 'event-hashes', 'inclusion-proofs', 'chain-links', 'lineage-complete', 'event-count']) {
    assert.match(ok.stdout, new RegExp(`^PASS  ${check} `, 'm'));
  }
  assert.match(ok.stdout, /dossier VERIFIED\n$/);

  const json = JSON.parse(cli(['verify-dossier', out, '--public-key', vkey, '--json']).stdout) as { ok: boolean };
  assert.equal(json.ok, true);

  const other = cli(['verify-dossier', out, '--public-key', 'radledger+00000000+AQ' + 'A'.repeat(42) + '=']);
  assert.equal(other.code, 2, 'an unparseable pinned key is a usage error');

  const bytes = readFileSync(out);
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  const damaged = join(work, 'damaged.zip');
  writeFileSync(damaged, bytes);
  const bad = cli(['verify-dossier', damaged, '--public-key', vkey]);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
});

test('cli dossier refuses a trial without decisions with one line and exit 1', () => {
  const r = cli(['dossier', '--trial', 'NOPE', '--out', join(work, 'nope'), '--store', `sqlite:${join(fx.dir, 'ledger.db')}`, '--key', keyFile]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DOSSIER_EMPTY: trial NOPE has no decisions/);
});
