import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
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
});
