import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

/** The value of one sample line `name{labels} value` in Prometheus text format. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics: appends, projection lag read at scrape time, verify duration (SQLite)', () => {
  let api: TestApi;
  let admin: string;
  const scrape = async () => {
    const res = await request(api.app.getHttpServer()).get('/metrics');
    assert.equal(res.status, 200);
    return res.text;
  };

  before(async () => {
    api = await startTestApi('sqlite');
    admin = await api.tokenFor('adm-metrics', [{ role: 'admin' }], 'Ada Metrics');
  });
  after(async () => api.close());

  test('radledger_appended_events_total counts the events this process appended, by type', async () => {
    const res = await api.graphql(admin, 'mutation { registerTrial(input: { trialId: "T-MET", title: "Metrics", sponsor: "S" }) { events { eventId } } }');
    assert.equal(res.errors, undefined);
    assert.equal(sample(await scrape(), 'radledger_appended_events_total', '{type="TrialRegistered"}'), 1);
  });

  test('radledger_projection_lag_events is head minus checkpoint per projection, 0 once caught up', async () => {
    const runner = api.app.get(ProjectionRunner);
    await runner.caughtUp();
    let text = await scrape();
    for (const p of ['lineage', 'audit-trail', 'monitoring']) assert.equal(sample(text, 'radledger_projection_lag_events', `{projection="${p}"}`), 0, p);

    // With the live subscription stopped, appended events are not applied: the lag is exactly their count.
    await runner.stop();
    const appended = await appendInOrder(api.app.get<LedgerStore>(EVENT_STORE), syntheticTrial({ trialId: 'T-LAG', sites: 1, subjectsPerSite: 1, modalities: ['T1c'] }), 50);
    text = await scrape();
    for (const p of ['lineage', 'audit-trail', 'monitoring']) assert.equal(sample(text, 'radledger_projection_lag_events', `{projection="${p}"}`), appended, p);

    await runner.catchUp();
    text = await scrape();
    for (const p of ['lineage', 'audit-trail', 'monitoring']) assert.equal(sample(text, 'radledger_projection_lag_events', `{projection="${p}"}`), 0, p);
  });

  test('radledger_verify_duration_seconds observes each verifyLedger', async () => {
    assert.equal(sample(await scrape(), 'radledger_verify_duration_seconds_count'), 0);
    const verify = await api.graphql<{ verifyLedger: { ok: boolean } }>(admin, '{ verifyLedger { ok } }');
    assert.equal(verify.data?.verifyLedger.ok, true);
    const text = await scrape();
    assert.equal(sample(text, 'radledger_verify_duration_seconds_count'), 1);
    assert.ok(sample(text, 'radledger_verify_duration_seconds_sum')! > 0);
  });
});
