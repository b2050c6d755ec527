import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { LedgerService } from '@radledger/ledger';
import { startTestApi, type TestApi } from './testing/api-test-harness.js';

describe('API boot, health and authentication (SQLite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('sqlite');
  });
  after(async () => api.close());

  test('/health and /ready answer without credentials', async () => {
    const health = await request(api.app.getHttpServer()).get('/health');
    assert.equal(health.status, 200);
    const ready = await request(api.app.getHttpServer()).get('/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.info.ledger.status, 'up');
  });

  test('a query without a token is refused with UNAUTHENTICATED', async () => {
    const res = await api.graphql(undefined, '{ me { userId } }');
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('a forged token is refused', async () => {
    const res = await api.graphql('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '{ me { userId } }');
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('me answers the token holder', async () => {
    const token = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
    const res = await api.graphql<{ me: { userId: string; printedName: string } }>(token, '{ me { userId printedName } }');
    assert.deepEqual(res.data?.me, { userId: 'u-qa', printedName: 'Quinn QA' });
  });

  test('a correlation id is echoed and recorded in the metadata of the events the request appends', async () => {
    const token = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
    const res = await request(api.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('x-correlation-id', 'corr-test-42')
      .send({ query: 'mutation { registerTrial(input: { trialId: "T-CORR", title: "t", sponsor: "s" }) { events { eventId } } }' });
    assert.equal(res.headers['x-correlation-id'], 'corr-test-42');
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const [event] = await api.app.get(LedgerService).store.readStream('trial-T-CORR');
    assert.equal(event!.meta.correlationId, 'corr-test-42');
    const injected = await request(api.app.getHttpServer()).get('/health').set('x-correlation-id', 'bad id; with spaces');
    assert.notEqual(injected.headers['x-correlation-id'], 'bad id; with spaces');
  });

  test('/metrics serves Prometheus text without credentials', async () => {
    const res = await request(api.app.getHttpServer()).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.text, /radledger_appended_events_total/);
  });
});
