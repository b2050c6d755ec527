import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { encodeVerifierKey, loadOrCreateSigningKey, type LedgerStore } from '@radledger/ledger';
import { Checkpointer, cosignerFromPrivateKey, encodeCosignatureVerifierKey, InMemoryWitnessStateStore, Witness } from '@radledger/witness';
import { WitnessHttpModule } from '../../../cli/src/witness/witness-http.module.js';
import { appendInOrder, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { CHECKPOINTER } from './witnessing.module.js';

const sample = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

/**
 * The API with RADLEDGER_WITNESSES pointing at a witness served by WitnessHttpModule (the
 * witness as a Nest module, on loopback): the checkpointer cosigns, /metrics shows each
 * witness's lag, ledgerStatus shows the newest cosigned checkpoint meeting the policy.
 */
describe('witnessing in the API (RADLEDGER_WITNESSES, RADLEDGER_WITNESS_POLICY)', () => {
  let dir: string;
  let witnessApp: INestApplication;
  let api: TestApi;
  let admin: string;
  const cosigner = cosignerFromPrivateKey('witness.cro.test/w1', generateKeyPairSync('ed25519').privateKey);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-witnessing-e2e-'));
    // The API's signing key is made here first so the witness can trust it.
    const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));
    const witness = new Witness({ cosigner, logs: [{ origin: 'radledger', verifier: key.signer }], state: new InMemoryWitnessStateStore() });
    witnessApp = await NestFactory.create(WitnessHttpModule.forWitness(witness), { bodyParser: false, logger: false });
    await witnessApp.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(witnessApp.getHttpServer().address() as { port: number }).port}`;
    const policy = join(dir, 'policy.txt');
    writeFileSync(policy, `log ${encodeVerifierKey(key.signer)}\nwitness cro ${encodeCosignatureVerifierKey(cosigner)} ${url}\nquorum cro\n`);
    api = await startTestApi('sqlite', {
      RADLEDGER_SIGNING_KEY: join(dir, 'signing-key.pem'),
      RADLEDGER_WITNESSES: `${url}=${encodeCosignatureVerifierKey(cosigner)}`,
      RADLEDGER_CHECKPOINT_EVERY: '10',
      RADLEDGER_WITNESS_POLICY: policy,
    });
    admin = await api.tokenFor('adm-witness', [{ role: 'admin' }], 'Ada Witness');
  });

  after(async () => {
    await api.close();
    await witnessApp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the checkpointer cosigns; /metrics shows the lag; ledgerStatus shows the newest cosigned checkpoint', async () => {
    const store = api.app.get<LedgerStore>(EVENT_STORE);
    const checkpointer = api.app.get<Checkpointer>(CHECKPOINTER);
    // The background loop (started at boot, every 10 events) is stopped so this test decides when checkpoints happen.
    await checkpointer.stop();
    // The size after the append, not the count appended: signing in the admin recorded its account first.
    await appendInOrder(store, syntheticTrial({ trialId: 'T-WIT', sites: 1, subjectsPerSite: 1, modalities: ['T1c'] }), 40);
    const appended = (await store.head()).size;
    const { checkpoint, outcomes } = await checkpointer.checkpointNow();
    assert.equal(checkpoint.treeSize, appended);
    assert.deepEqual([...outcomes.values()], ['cosigned']);

    let metrics = (await request(api.app.getHttpServer()).get('/metrics')).text;
    assert.equal(sample(metrics, 'radledger_witness_lag_events', '{witness="witness.cro.test/w1"}'), 0);
    assert.ok(sample(metrics, 'radledger_witness_submissions_total', '{witness="witness.cro.test/w1",outcome="cosigned"}')! >= 1);
    await appendInOrder(store, syntheticTrial({ trialId: 'T-WIT-2', sites: 1, subjectsPerSite: 1, modalities: ['T1c'] }), 40);
    const head = (await store.head()).size;
    metrics = (await request(api.app.getHttpServer()).get('/metrics')).text;
    assert.equal(sample(metrics, 'radledger_witness_lag_events', '{witness="witness.cro.test/w1"}'), head - appended);
    assert.equal(sample(metrics, 'radledger_witness_cosigned_tree_size', '{witness="witness.cro.test/w1"}'), appended);

    const res = await api.graphql<{ ledgerStatus: { size: number; latestCosignedCheckpoint: { treeSize: number; witnesses: string[]; quorumMet: boolean; note: string } | null } }>(
      admin,
      '{ ledgerStatus { size latestCosignedCheckpoint { treeSize witnesses quorumMet note } } }',
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const cosigned = res.data!.ledgerStatus.latestCosignedCheckpoint!;
    assert.equal(cosigned.treeSize, appended);
    assert.deepEqual(cosigned.witnesses, ['witness.cro.test/w1']);
    assert.equal(cosigned.quorumMet, true);
    assert.match(cosigned.note, /\n— witness\.cro\.test\/w1 \S+\n$/);
  });
});
