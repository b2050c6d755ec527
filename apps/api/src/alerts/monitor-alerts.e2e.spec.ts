/**
 * Monitors' live alerts over GraphQL subscriptions (graphql-ws): authorised and filtered as
 * lockedAlgorithmCompliance; on PostgreSQL, an alert appended through one API replica reaches a
 * client subscribed on another (LISTEN/NOTIFY); the delivery latency is printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, signCheckpoint } from '@radledger/ledger';
import { FetchWitnessClient } from '@radledger/witness';
import { freePort, startWitnessProcess, type WitnessProcess } from '../../../../libs/witness/src/testing/witness-process.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadAppConfig } from '../config/app.config.js';
import { createApiApp } from '../create-app.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { fixtureImage } from '../testing/imaging-fixtures.js';
import { startTwoTrialApi, OWN_SITE, OTHER_SITE, TRIAL, type TwoTrialApi } from '../testing/two-trial-fixture.js';

const ALERTS = /* GraphQL */ `
  subscription ($trialId: ID!, $siteId: ID) {
    monitorAlerts(trialId: $trialId, siteId: $siteId) { alertId kind trialId siteId subjectId modelId modelVersion code message eventId globalPosition at }
  }
`;
const ACQUIRE = /* GraphQL */ `
  mutation ($input: AcquireImageInput!) { acquireImage(input: $input) { streamId events { type } } }
`;

interface Alert {
  alertId: string;
  kind: string;
  trialId: string | null;
  siteId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  code: string | null;
  message: string;
  eventId: string | null;
}

/** A subscriber: every alert it gets (with the time it arrived), or the error that ended it. */
class Subscriber {
  readonly alerts: Array<{ alert: Alert; at: number }> = [];
  error: unknown;
  private waiters: Array<() => void> = [];
  private readonly client: Client;

  constructor(port: number, token: string | undefined, variables: Record<string, unknown>) {
    this.client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: false });
    this.client.subscribe<{ monitorAlerts: Alert }>(
      { query: ALERTS, variables },
      {
        next: (message) => {
          if (message.errors) this.error = message.errors;
          if (message.data) this.alerts.push({ alert: message.data.monitorAlerts, at: performance.now() });
          this.wake();
        },
        error: (error) => {
          this.error = error;
          this.wake();
        },
        complete: () => this.wake(),
      },
    );
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `predicate` holds, checked on every message; rejects if it does not within `ms`. */
  async until(predicate: () => boolean, ms: number, what: string): Promise<void> {
    if (predicate()) return;
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      deadline = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms (alerts: ${JSON.stringify(this.alerts.map((a) => a.alert.kind))}, error: ${JSON.stringify(this.error)})`)), ms);
    });
    try {
      while (!predicate()) await Promise.race([new Promise<void>((woken) => this.waiters.push(woken)), late]);
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Subscribed: the server answers nothing on subscribe, so wait until the bus has a listener. */
  close(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

function portOf(app: NestExpressApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** Subscribed on the server side (the bus counts its listeners), so nothing appended after this is missed. */
async function subscribed(app: NestExpressApplication, count: number): Promise<void> {
  const { AlertBus } = await import('./alert-bus.service.js');
  const bus = app.get(AlertBus);
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${count} subscribers not listening within 10 s (have ${bus.subscribers})`)), 10_000)));
  await Promise.race([bus.whenListening(count), gaveUp]).finally(() => clearTimeout(timer));
  assert.ok(bus.subscribers >= count, `${count} subscribers listening (have ${bus.subscribers})`);
}

function acquisition(trialId: string, siteId: string, subjectId: string, artifactSha256: string, trMs: number): Record<string, unknown> {
  return { trialId, siteId, subjectId, modality: 'T1c', scanner: { vendor: 'GE', model: 'SIGNA Premier' }, fieldStrengthT: 3, trMs, teMs: 10, sliceThicknessMm: 2, contrast: { agent: 'gadobutrol 0.1 mmol/kg', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256 };
}

describe('monitorAlerts on SQLite (the demo trial): access policy, site filtering, refusals', () => {
  let fx: TwoTrialApi;
  let port: number;
  before(async () => {
    fx = await startTwoTrialApi();
    await fx.api.app.listen(0, '127.0.0.1');
    port = portOf(fx.api.app);
  });
  after(async () => fx?.api.close());

  test('no credentials: UNAUTHENTICATED; a monitor of another trial: FORBIDDEN (recorded as AccessDenied)', async () => {
    const anonymous = new Subscriber(port, undefined, { trialId: TRIAL });
    await anonymous.until(() => anonymous.error !== undefined, 15_000, 'anonymous refused');
    assert.match(JSON.stringify(anonymous.error), /UNAUTHENTICATED/);
    await anonymous.close();
    const outsider = new Subscriber(port, await fx.api.tokenFor('alert-outsider', [{ role: 'monitor', trialId: 'OTHER-01' }]), { trialId: TRIAL });
    await outsider.until(() => outsider.error !== undefined, 15_000, 'outsider refused');
    assert.match(JSON.stringify(outsider.error), /FORBIDDEN/);
    await outsider.close();
    const denied = (await fx.events()).filter((e) => e.type === 'AccessDenied' && e.meta.actor === 'alert-outsider');
    assert.equal(denied.length, 1, 'the refusal is recorded once, as for the query');
  });

  test('a deviation at one site reaches the trial monitor and not a monitor of another site; a refused decision reaches the monitors of its site', async () => {
    const monitor = new Subscriber(port, await fx.api.tokenFor('alert-monitor', [{ role: 'monitor', trialId: TRIAL }]), { trialId: TRIAL });
    const otherSite = new Subscriber(port, await fx.api.tokenFor('alert-monitor-bos', [{ role: 'monitor', trialId: TRIAL, siteId: OTHER_SITE }]), { trialId: TRIAL });
    await subscribed(fx.api.app, 2);
    const operator = await fx.api.tokenFor('alert-operator', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }]);
    const r = fx.records;
    const acquired = await fx.api.graphql(operator, ACQUIRE, { input: acquisition(TRIAL, OWN_SITE, r.subjectId, r.imageArtifactSha256, 2500) });
    assert.equal(acquired.errors, undefined, JSON.stringify(acquired.errors));
    await monitor.until(() => monitor.alerts.some((a) => a.alert.kind === 'PROTOCOL_DEVIATION'), 15_000, 'deviation alert');
    const deviation = monitor.alerts.find((a) => a.alert.kind === 'PROTOCOL_DEVIATION')!.alert;
    assert.equal(deviation.trialId, TRIAL);
    assert.equal(deviation.siteId, OWN_SITE);
    assert.match(deviation.message, /trMs 2500 ms \(expected 400–800 ms\)/);
    assert.ok(deviation.eventId);

    // A decision with a version that is not the locked one: refused, nothing recorded, the monitors told.
    const scientist = await fx.api.tokenFor('alert-scientist', [{ role: 'data-scientist', trialId: TRIAL }]);
    const refused = await fx.api.graphql(scientist, `mutation ($input: MakeDecisionInput!) { makeDecision(input: $input) { streamId } }`, {
      input: { featureSetId: r.featureSetId, modelId: r.modelId, modelVersion: '999' },
    });
    assert.ok(refused.errors?.[0], 'the decision is refused');
    const code = refused.errors![0]!.extensions?.code;
    await monitor.until(() => monitor.alerts.some((a) => a.alert.kind === 'DECISION_REFUSED'), 15_000, 'refusal alert');
    const refusal = monitor.alerts.find((a) => a.alert.kind === 'DECISION_REFUSED')!.alert;
    assert.equal(refusal.code, code);
    assert.equal(refusal.modelId, r.modelId);
    assert.equal(refusal.eventId, null);

    // The other site's monitor saw neither (both were at SITE-BER); a deviation at its own site reaches it.
    const bos = await fx.api.tokenFor('alert-operator-bos', [{ role: 'site-operator', trialId: TRIAL, siteId: OTHER_SITE }]);
    const events = await fx.events();
    const bosSubject = (events.find((e) => e.type === 'SubjectEnrolled' && (e.data as { siteId: string }).siteId === OTHER_SITE)!.data as { subjectId: string }).subjectId;
    // Other bytes: the same bytes for another subject are refused (IMAGE_BYTES_OF_OTHER_SUBJECT, issue 15).
    const bosBytes = (await fx.api.application.runtime.artifacts.put(fixtureImage(8))).sha256;
    const own = await fx.api.graphql(bos, ACQUIRE, { input: acquisition(TRIAL, OTHER_SITE, bosSubject, bosBytes, 3000) });
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    await otherSite.until(() => otherSite.alerts.length > 0, 15_000, 'own-site alert');
    assert.deepEqual(otherSite.alerts.map((a) => [a.alert.kind, a.alert.siteId]), [['PROTOCOL_DEVIATION', OTHER_SITE]]);
    await monitor.close();
    await otherSite.close();
  });

  test('a revoked grant ends the subscription at the next alert', async () => {
    const token = await fx.api.tokenFor('alert-revoked', [{ role: 'monitor', trialId: TRIAL }]);
    const sub = new Subscriber(port, token, { trialId: TRIAL });
    await subscribed(fx.api.app, 1);
    await fx.api.tokenFor('alert-revoked', []);
    const operator = await fx.api.tokenFor('alert-operator', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }]);
    await fx.api.graphql(operator, ACQUIRE, { input: acquisition(TRIAL, OWN_SITE, fx.records.subjectId, fx.records.imageArtifactSha256, 2600) });
    await sub.until(() => sub.error !== undefined, 15_000, 'subscription ended');
    assert.equal(sub.alerts.length, 0);
    assert.match(JSON.stringify(sub.error), /FORBIDDEN/);
    await sub.close();
  });

  // Last in this suite: it tampers with the fixture's ledger file.
  test('a verifyLedger that finds a tampered event alerts the monitors with VERIFICATION_FAILED', async () => {
    const monitor = new Subscriber(port, await fx.api.tokenFor('alert-monitor-verify', [{ role: 'monitor', trialId: TRIAL }]), { trialId: TRIAL });
    await subscribed(fx.api.app, 1);
    // Someone with the file rewrites one byte of an early event, past the append-only trigger.
    const db = new Database(fx.api.config.store.replace(/^sqlite:/, ''));
    try {
      db.exec('DROP TRIGGER events_no_update');
      assert.equal(db.prepare("UPDATE events SET canonical = canonical || ' ' WHERE global_position = 3").run().changes, 1);
    } finally {
      db.close();
    }
    const qa = await fx.api.tokenFor('alert-qa-verify', [{ role: 'qa', trialId: TRIAL }]);
    const verified = await fx.api.graphql<{ verifyLedger: { ok: boolean } }>(qa, '{ verifyLedger { ok } }');
    assert.equal(verified.data?.verifyLedger.ok, false, JSON.stringify(verified));
    await monitor.until(() => monitor.alerts.some((a) => a.alert.kind === 'VERIFICATION_FAILED'), 15_000, 'verification alert');
    const alert = monitor.alerts.find((a) => a.alert.kind === 'VERIFICATION_FAILED')!.alert;
    assert.equal(alert.code, 'LEDGER_VERIFICATION_FAILED');
    await monitor.close();
  });
});

describe('monitorAlerts with two API replicas on PostgreSQL', () => {
  let a: TestApi;
  let b: NestExpressApplication;
  const trialId = 'PG-ALERT-01';
  const OPERATOR = { actor: 'test-operator', role: 'admin', correlationId: 'alerts-fixture', client: 'radledger-test' };
  let artifact: string;

  before(async () => {
    a = await startTestApi('postgres', { RADLEDGER_MODE: 'all' });
    // Replica B: the same database schema and data dir (keys, session secret), no read-model writer of its own.
    b = await createApiApp(loadAppConfig({ RADLEDGER_DATA_DIR: a.dataDir, RADLEDGER_STORE: a.config.store, RADLEDGER_DEMO: 'false', NODE_ENV: 'test', RADLEDGER_MODE: 'api' }));
    await a.app.listen(0, '127.0.0.1');
    await b.listen(0, '127.0.0.1');
    const commands = a.application.runtime.commands;
    await commands.execute({ type: 'RegisterTrial', data: { trialId, title: 'Alerts across replicas', sponsor: 'test' } }, OPERATOR);
    await commands.execute({ type: 'EnrollSite', data: { trialId, siteId: 'SITE-A', name: 'Site A' } }, OPERATOR);
    await commands.execute({ type: 'EnrollSubject', data: { trialId, siteId: 'SITE-A', subjectId: 'PGA-001' } }, OPERATOR);
    await commands.execute({ type: 'DefineImagingProtocol', data: { trialId, protocolId: 'PGA-T1C', modality: 'T1c', trMs: { min: 400, max: 800 }, teMs: { min: 5, max: 20 } } } as never, OPERATOR);
    artifact = (await a.application.runtime.artifacts.put(fixtureImage(7))).sha256;
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('a client subscribed on replica A receives a deviation appended through replica B (latency printed)', async () => {
    const monitorToken = await a.tokenFor('pg-monitor', [{ role: 'monitor', trialId }]);
    const operatorToken = await a.tokenFor('pg-operator', [{ role: 'site-operator', trialId, siteId: 'SITE-A' }]);
    const sub = new Subscriber(portOf(a.app), monitorToken, { trialId });
    await subscribed(a.app, 1);
    const res = await fetch(`http://127.0.0.1:${portOf(b)}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify({ query: ACQUIRE, variables: { input: acquisition(trialId, 'SITE-A', 'PGA-001', artifact, 2000) } }),
    });
    const appended = performance.now();
    const body = (await res.json()) as { data?: { acquireImage: { events: Array<{ type: string }> } }; errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual(body.data!.acquireImage.events.map((e) => e.type), ['ImageAcquired', 'ProtocolDeviationDetected', 'ImageBytesClaimed']);
    // Delivered on the other replica. The latency is printed, not asserted (timings belong to
    // benchmarks: a loaded CI machine must not turn a slow delivery into a failure); the bound
    // only keeps a lost notification from hanging the test.
    await sub.until(() => sub.alerts.some((x) => x.alert.kind === 'PROTOCOL_DEVIATION'), 15_000, 'deviation appended through B, delivered on A');
    const got = sub.alerts.find((x) => x.alert.kind === 'PROTOCOL_DEVIATION')!;
    console.log(`alert across replicas (PostgreSQL LISTEN/NOTIFY): delivered on A ${Math.max(0, got.at - appended).toFixed(0)} ms after B answered the mutation`);
    assert.equal(got.alert.trialId, trialId);
    assert.equal(got.alert.siteId, 'SITE-A');
    await sub.close();
  });
});

describe('monitorAlerts: a witness fork alarm (issue 14)', () => {
  const OPERATOR = { actor: 'test-operator', role: 'admin', correlationId: 'fork-alarm', client: 'radledger-test' };
  let dir: string;
  let witness: WitnessProcess;
  let api: TestApi;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-fork-alert-'));
    mkdirSync(join(dir, 'witness'));
    // The ledger's key, made before the API starts so the witness can be told it.
    const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));
    witness = await startWitnessProcess({ dir: join(dir, 'witness'), name: 'witness.site-a.test/w', port: await freePort(), logs: [`radledger=${key.verifierKey}`] });
    // The history the witness cosigned: size 1 with a root this ledger never had (what a site saw before a rewrite).
    const forged = signCheckpoint({ origin: 'radledger', treeSize: 1, rootHash: 'ab'.repeat(32), issuedAt: new Date().toISOString() }, key.signer);
    const seen = await new FetchWitnessClient().addCheckpoint(witness.url, { oldSize: 0, proof: [], note: forged });
    assert.equal(seen.status, 200, seen.body);
    api = await startTestApi('sqlite', { RADLEDGER_DATA_DIR: dir, RADLEDGER_WITNESSES: `${witness.url}=${witness.vkey}`, RADLEDGER_CHECKPOINT_EVERY: '1' });
    await api.app.listen(0, '127.0.0.1');
  });
  after(async () => {
    await api?.close();
    await witness?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the witness refuses the ledger\'s checkpoint as inconsistent: monitors get WITNESS_FORK', async () => {
    const commands = api.application.runtime.commands;
    await commands.execute({ type: 'RegisterTrial', data: { trialId: 'FORK-01', title: 'Fork alarm', sponsor: 'test' } }, OPERATOR);
    const monitor = new Subscriber(portOf(api.app), await api.tokenFor('fork-monitor', [{ role: 'monitor', trialId: 'FORK-01' }]), { trialId: 'FORK-01' });
    await subscribed(api.app, 1);
    // More events: the checkpointer (every event) submits checkpoints of this ledger to the witness.
    for (const siteId of ['SITE-A', 'SITE-B']) await commands.execute({ type: 'EnrollSite', data: { trialId: 'FORK-01', siteId, name: siteId } }, OPERATOR);
    await monitor.until(() => monitor.alerts.some((a) => a.alert.kind === 'WITNESS_FORK'), 30_000, 'fork alert');
    const alert = monitor.alerts.find((a) => a.alert.kind === 'WITNESS_FORK')!.alert;
    assert.equal(alert.code, 'WITNESS_FORK_ALARM');
    assert.match(alert.message, /witness witness\.site-a\.test\/w refuses checkpoint \d+/);
    await monitor.close();
  });
});
