import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerService, loadOrCreateSigningKey, SqliteEventStore, type LoadedSigningKey } from '@radledger/ledger';
import { newTestEvent } from '../../ledger/src/testing/ledger-fixtures.js';
import { Checkpointer, SqliteCosignatureStore, type WitnessOutcome } from '@radledger/witness';
import { freePort, startWitnessProcess, type WitnessProcess } from './testing/witness-process.js';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, RADLEDGER_SIGNING_KEY: '', RADLEDGER_STORE: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Three witness processes (the real `witness serve` CLI) on loopback, quorum 2 of 3: one
 * stopped still leaves a quorum; two stopped, appends go on, the lag shows, and
 * `verify --policy` says the newest checkpoint lacks quorum and which older one has it; a
 * witness restarted on its own data resumes from its last size.
 */
describe('three witnesses on loopback, k = 2', () => {
  let dir: string;
  let store: SqliteEventStore;
  let cosignatures: SqliteCosignatureStore;
  let key: LoadedSigningKey;
  let ledger: LedgerService;
  let checkpointer: Checkpointer;
  const witnesses: WitnessProcess[] = [];
  const ports: number[] = [];
  let policyFile: string;
  const storeUrl = () => `sqlite:${join(dir, 'ledger.db')}`;
  const eventIds: string[] = [];
  const append = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const event = newTestEvent();
      eventIds.push(event.eventId);
      await store.append(`stream-${i % 5}`, 'any', [event]);
    }
  };
  /** `prove --event` (which attaches the stored cosignatures) and `verify-proof --policy`, both through the CLI. */
  const proveAndVerify = (eventId: string) => {
    const proof = cli(['prove', '--store', storeUrl(), '--event', eventId]);
    assert.equal(proof.code, 0, proof.stderr);
    const file = join(dir, `proof-${eventId}.json`);
    writeFileSync(file, proof.stdout);
    return cli(['verify-proof', file, '--policy', policyFile]);
  };
  const start = (i: number) => startWitnessProcess({ dir: join(dir, `w${i}`), name: `witness.site-${i}.test/w`, port: ports[i]!, logs: [`radledger=${key.verifierKey}`] });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-witness-quorum-'));
    store = new SqliteEventStore({ path: join(dir, 'ledger.db') });
    cosignatures = new SqliteCosignatureStore(join(dir, 'ledger.db'));
    key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));
    ledger = new LedgerService(store);
    for (let i = 0; i < 3; i++) {
      mkdirSync(join(dir, `w${i}`));
      ports.push(await freePort());
    }
    witnesses.push(...(await Promise.all([0, 1, 2].map(start))));
    checkpointer = new Checkpointer({
      ledger,
      signer: key.signer,
      store: cosignatures,
      witnesses: witnesses.map((w) => ({ url: w.url, verifier: w.verifier })),
      retry: { attempts: 2, baseMs: 5, maxMs: 20 },
      // Checkpoints happen when the tests call checkpointNow; tick() then only resubmits (a slow machine must not cross the interval).
      every: 1_000_000,
      intervalMs: 3_600_000,
    });
    policyFile = join(dir, 'policy.txt');
    writeFileSync(policyFile, [`log ${key.verifierKey}`, ...witnesses.map((w, i) => `witness site-${i} ${w.vkey} ${w.url}`), 'group sites 2 site-0 site-1 site-2', 'quorum sites', ''].join('\n'));
  });

  after(async () => {
    await checkpointer.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
    await cosignatures.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outcomes = (m: Map<string, WitnessOutcome>) => witnesses.map((w) => m.get(w.verifier.name));

  test('all three up: each cosigns; verify --policy is satisfied', async () => {
    await append(12);
    const first = await checkpointer.checkpointNow();
    assert.deepEqual(outcomes(first.outcomes), ['cosigned', 'cosigned', 'cosigned']);
    await append(8);
    const second = await checkpointer.checkpointNow();
    assert.equal(second.checkpoint.treeSize, 20);
    assert.deepEqual(outcomes(second.outcomes), ['cosigned', 'cosigned', 'cosigned']);
    const v = cli(['verify', '--store', storeUrl(), '--policy', policyFile]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /newest checkpoint size 20 .* has quorum 2 of \(site-0, site-1, site-2\): cosigned by site-0, site-1, site-2/);
    assert.match(v.stdout, /witness policy satisfied/);
    const proof = proveAndVerify(eventIds[3]!);
    assert.equal(proof.code, 0, proof.stdout + proof.stderr);
    assert.match(proof.stdout, /checkpoint size 20: cosigned by site-0, site-1, site-2; quorum 2 of \(site-0, site-1, site-2\) met\nwitness policy satisfied/);
  });

  test('one stopped: still a quorum', async () => {
    await witnesses[2]!.stop();
    await append(5);
    const r = await checkpointer.checkpointNow();
    assert.deepEqual(outcomes(r.outcomes), ['cosigned', 'cosigned', 'unreachable']);
    const v = cli(['verify', '--store', storeUrl(), '--policy', policyFile]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /newest checkpoint size 25 .* has quorum .*cosigned by site-0, site-1\n/);
  });

  test('two stopped: appends go on, the lag is reported, verify --policy names the newest checkpoint with quorum', async () => {
    await witnesses[1]!.stop();
    await append(7);
    const r = await checkpointer.checkpointNow();
    assert.equal(r.checkpoint.treeSize, 32);
    assert.deepEqual(outcomes(r.outcomes), ['cosigned', 'unreachable', 'unreachable']);
    await append(3);
    assert.equal((await store.head()).size, 35, 'appends do not wait for witnesses');
    const lag = Object.fromEntries((await checkpointer.status()).map((s) => [s.witness, s.lag]));
    assert.deepEqual(lag, { 'witness.site-0.test/w': 3, 'witness.site-1.test/w': 10, 'witness.site-2.test/w': 15 });
    const failing = (await checkpointer.status()).find((s) => s.witness === 'witness.site-1.test/w')!;
    assert.ok(failing.consecutiveFailures >= 1 && /ECONNREFUSED/.test(failing.lastError ?? ''), JSON.stringify(failing));

    const v = cli(['verify', '--store', storeUrl(), '--policy', policyFile]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout, /newest checkpoint size 32 .* LACKS quorum 2 of \(site-0, site-1, site-2\): cosigned by site-0; missing site-1, site-2/);
    assert.match(v.stdout, /newest checkpoint with quorum: size 25 .*cosigned by site-0, site-1: events 0\.\.24 are witnessed/);
    assert.match(v.stderr, /FAIL newest checkpoint lacks quorum/);
    // An inclusion proof against the newest checkpoint (size 32) is not vouched for by a quorum.
    const proof = proveAndVerify(eventIds[30]!);
    assert.equal(proof.code, 1, proof.stdout + proof.stderr);
    assert.match(proof.stderr, /FAIL witness policy: checkpoint size 32: cosigned by site-0; no cosignature from site-1, site-2; quorum 2 of \(site-0, site-1, site-2\) NOT met/);
  });

  test('a witness restarted on its data resumes from its last size with a consistency proof', async () => {
    witnesses[1] = await start(1);
    await checkpointer.tick();
    const status = Object.fromEntries((await checkpointer.status()).map((s) => [s.witness, s.cosignedSize]));
    assert.equal(status['witness.site-1.test/w'], 32, 'the latest checkpoint was resubmitted to the witness that is back');
    const v = cli(['verify', '--store', storeUrl(), '--policy', policyFile]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });
});
