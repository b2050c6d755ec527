import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LedgerService, loadOrCreateSigningKey, SqliteEventStore, type LoadedSigningKey, type StoredCheckpoint } from '@radledger/ledger';
import { Checkpointer, formatAddCheckpointRequest, InMemoryCosignatureStore, SqliteCosignatureStore, TLOG_SIZE_CONTENT_TYPE, type WitnessOutcome } from '@radledger/witness';
import { newTestEvent } from '../../../../libs/ledger/src/testing/ledger-fixtures.js';
import { buildDossierFixture, type DossierFixture } from '../../../../libs/dossier/src/testing/dossier-fixture.js';
import { freePort, startWitnessProcess, type WitnessProcess } from '../../../../libs/witness/src/testing/witness-process.js';

/** One POST on a fresh connection (the test process blocks in spawnSync for long stretches, so pooled sockets may be stale). */
function postOnce(url: string, body: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, RADLEDGER_SIGNING_KEY: '', RADLEDGER_STORE: '', RADLEDGER_DATA_DIR: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The rewrite attack of issue 14. Two site witnesses cosign the ledger's checkpoints. The
 * operator, who holds the one signing key, then rewrites an early event (an acquisition's
 * field strength), re-hashes and re-chains everything after it, re-signs every checkpoint at
 * the same sizes and even copies the stored cosignatures over. Without a policy, `verify`
 * passes: that is the limit of a single key. With the policy, `verify` and `verify-dossier`
 * fail naming the witnesses, and each witness refuses the forged checkpoint (409, then 422).
 */
describe('rewrite attack: a single key can forge history, two witnesses catch it', () => {
  let fx: DossierFixture;
  let work: string;
  let key: LoadedSigningKey;
  let keyFile: string;
  let policyFile: string;
  let forgedDb: string;
  let head = 0;
  const witnesses: WitnessProcess[] = [];

  before(async () => {
    fx = await buildDossierFixture();
    work = mkdtempSync(join(tmpdir(), 'radledger-rewrite-'));
    keyFile = join(work, 'signing-key.pem');
    key = loadOrCreateSigningKey(keyFile);
    for (const site of ['berlin', 'boston']) {
      mkdirSync(join(work, site));
      witnesses.push(await startWitnessProcess({ dir: join(work, site), name: `witness.${site}.test/w1`, port: await freePort(), logs: [`radledger=${key.verifierKey}`] }));
    }
    policyFile = join(work, 'policy.txt');
    writeFileSync(
      policyFile,
      ['# GLIO-RAD-01 audit policy: both site witnesses must cosign', `log ${key.verifierKey}`, `witness berlin ${witnesses[0]!.vkey}`, `witness boston ${witnesses[1]!.vkey}`, 'group sites all berlin boston', 'quorum sites', ''].join('\n'),
    );

    // The honest ledger: two checkpoints, each cosigned by both witnesses.
    const cosignatures = new SqliteCosignatureStore(join(fx.dir, 'ledger.db'));
    const checkpointer = new Checkpointer({ ledger: new LedgerService(fx.store), signer: key.signer, store: cosignatures, witnesses: witnesses.map((w) => ({ url: w.url, verifier: w.verifier })) });
    const first = await checkpointer.checkpointNow();
    assert.deepEqual([...first.outcomes.values()], ['cosigned', 'cosigned']);
    // Two more events (through a second connection without the schema validator: their content does not matter here).
    const raw = new SqliteEventStore({ path: join(fx.dir, 'ledger.db') });
    await raw.append('site-notes', 'any', [newTestEvent(), newTestEvent()]);
    await raw.close();
    const second = await checkpointer.checkpointNow();
    assert.deepEqual([...second.outcomes.values()], ['cosigned', 'cosigned']);
    head = second.checkpoint.treeSize;
    await cosignatures.close();

    // The forgery: replay every event into a new file with one early event changed, re-sign
    // the checkpoints at the same sizes with the same key, copy the cosignature rows.
    forgedDb = join(work, 'forged.db');
    const forged = new SqliteEventStore({ path: forgedDb });
    const forgedLedger = new LedgerService(forged);
    const events = await fx.store.readAll(0, 1_000_000);
    const checkpoints = (await fx.store.listCheckpoints()).sort((a: StoredCheckpoint, b: StoredCheckpoint) => a.treeSize - b.treeSize);
    const rewritten = events.findIndex((e) => e.type === 'ImageAcquired');
    assert.ok(rewritten >= 0 && rewritten < 20, 'an early acquisition to rewrite');
    // A thorough forger also re-binds the e-signatures (RecordSigned carries the signed event's hash, 21 CFR 11.70).
    const rehashed = new Map<string, string>();
    const rebind = (value: unknown): unknown =>
      typeof value === 'string' ? (rehashed.get(value) ?? value) : Array.isArray(value) ? value.map(rebind) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebind(v)])) : value;
    for (const [i, e] of events.entries()) {
      const data = i === rewritten ? { ...(e.data as Record<string, unknown>), fieldStrengthT: 1.5 } : (rebind(e.data) as Record<string, unknown>);
      const appended = await forged.append(e.streamId, 'any', [{ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data, meta: e.meta }]);
      rehashed.set(e.hash, appended.events[0]!.hash);
      for (const c of checkpoints) if (c.treeSize === i + 1) await forgedLedger.issueCheckpoint(key.signer);
    }
    const copied = new SqliteCosignatureStore(forgedDb);
    const honest = new SqliteCosignatureStore(join(fx.dir, 'ledger.db'), { readOnly: true });
    for (const r of await honest.listCosignatures()) await copied.addCosignature(r);
    await honest.close();
    await copied.close();
    await forged.close();
  });

  after(async () => {
    await Promise.all(witnesses.map((w) => w.stop()));
    await fx.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the honest ledger and its dossier satisfy the policy', () => {
    const v = cli(['verify', '--store', `sqlite:${join(fx.dir, 'ledger.db')}`, '--policy', policyFile]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, new RegExp(`newest checkpoint size ${head} .* has quorum 2 of \\(berlin, boston\\): cosigned by berlin, boston`));
    const out = join(work, 'honest.zip');
    const exported = cli(['dossier', '--trial', fx.trialId, '--out', out, '--store', `sqlite:${join(fx.dir, 'ledger.db')}`, '--key', keyFile, '--no-reproduce', '--policy', policyFile]);
    assert.equal(exported.code, 0, exported.stderr);
    const verified = cli(['verify-dossier', out, '--policy', policyFile]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^PASS +witness-quorum +checkpoint size \d+: cosigned by berlin, boston; quorum 2 of \(berlin, boston\) met/m);
  });

  test('without a policy, verify passes the forged ledger: the limit of a single key, said on stderr', () => {
    const v = cli(['verify', '--store', `sqlite:${forgedDb}`, '--public-key', key.verifierKey]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /^OK \d+ events/);
    assert.match(v.stderr, /rest on one signing key; whoever holds it can rewrite history/);
  });

  test('with the policy, verify fails and names both witnesses', () => {
    const v = cli(['verify', '--store', `sqlite:${forgedDb}`, '--policy', policyFile]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    for (const w of ['berlin', 'boston']) assert.match(v.stdout, new RegExp(`FAIL witness ${w} cosigned size ${head} with root [0-9a-f]{64} at .*, but the ledger's root at size ${head} is [0-9a-f]{64}: the history was rewritten after ${w} saw it`));
    assert.match(v.stdout, /LACKS quorum/);
    assert.match(v.stderr, /FAIL witnesses contradict the ledger: berlin, boston/);
  });

  test('with the policy, verify-dossier fails the forged dossier and names both witnesses', () => {
    const out = join(work, 'forged.zip');
    // The operator exports without naming a policy (none travels in the bundle).
    const exported = cli(['dossier', '--trial', fx.trialId, '--out', out, '--store', `sqlite:${forgedDb}`, '--key', keyFile, '--no-reproduce']);
    assert.equal(exported.code, 0, exported.stderr);
    const unpinned = cli(['verify-dossier', out, '--public-key', key.verifierKey]);
    assert.equal(unpinned.code, 0, `without the auditor's policy the forgery passes: one key is all there is ${unpinned.stdout}`);
    const v = cli(['verify-dossier', out, '--policy', policyFile]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout, /^FAIL +witness-quorum .*quorum 2 of \(berlin, boston\) NOT met/m);
    assert.match(v.stdout, /- witness berlin \(witness\.berlin\.test\/w1\+[0-9a-f]{8}\): no cosignature/);
    assert.match(v.stdout, /- witness boston \(witness\.boston\.test\/w1\+[0-9a-f]{8}\): no cosignature/);
  });

  test('each witness refuses the forged checkpoint: 409 with its size to a stale client, 422 to the consistency proof', async () => {
    const forged = new SqliteEventStore({ path: forgedDb });
    try {
      const ledger = new LedgerService(forged);
      const note = (await forged.latestCheckpoint())!.note;
      for (const w of witnesses) {
        const res = await postOnce(`${w.url}/add-checkpoint`, formatAddCheckpointRequest({ oldSize: 0, proof: [], note }));
        assert.equal(res.status, 409);
        assert.equal(res.contentType, TLOG_SIZE_CONTENT_TYPE);
        assert.equal(res.body, `${head}\n`);
      }
      // The operator's own checkpointer, knowing nothing: learns each size from the 409, sends the proof, is refused.
      const alarms = new InMemoryCosignatureStore();
      const errors: string[] = [];
      await forged.append('more', 'any', [newTestEvent()]);
      const checkpointer = new Checkpointer({
        ledger,
        signer: key.signer,
        store: alarms,
        witnesses: witnesses.map((w) => ({ url: w.url, verifier: w.verifier })),
        log: { info: () => undefined, warn: () => undefined, error: (_o, msg) => errors.push(msg) },
      });
      const result = await checkpointer.checkpointNow();
      assert.deepEqual([...result.outcomes.values()], ['fork', 'fork'] satisfies WitnessOutcome[]);
      assert.deepEqual(alarms.alarms.map((a) => `${a.witness} ${a.status}`).sort(), ['witness.berlin.test/w1 422', 'witness.boston.test/w1 422']);
      assert.ok(alarms.alarms.every((a) => /not consistent with the checkpoint/.test(a.reason)), JSON.stringify(alarms.alarms));
      assert.equal(errors.filter((m) => m.startsWith('FORK ALARM')).length, 2);
      assert.equal(alarms.cosignatures.length, 0);
    } finally {
      await forged.close();
    }
  });
});
