import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { ledgerOf } from './security-test-kit.js';

describe('hardening: login rate limit, security headers, CORS off (SQLite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_LOGIN_RATE_LIMIT: '3', RADLEDGER_LOGIN_RATE_WINDOW_SECONDS: '600' });
  });
  after(async () => api.close());

  test('the 4th login attempt in the window is refused with RATE_LIMITED before any password check (nothing recorded)', async () => {
    const login = () => api.graphql(undefined, 'mutation { login(userId: "u-x", password: "guess-guess-1") { token } }');
    for (let i = 0; i < 3; i++) assert.equal((await login()).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const size = await ledgerOf(api).size();
    const limited = await login();
    assert.equal(limited.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(await ledgerOf(api).size(), size);
    // Other operations are not limited by the login budget.
    const token = await api.tokenFor('u-qa', [{ role: 'qa' }]);
    assert.equal((await api.graphql(token, '{ me { userId } }')).errors, undefined);
  });

  test('security headers are set and CORS is off unless origins are configured', async () => {
    const res = await request(api.app.getHttpServer()).get('/health').set('origin', 'https://evil.example');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['content-security-policy']);
    assert.ok(res.headers['strict-transport-security']);
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const preflight = await request(api.app.getHttpServer()).options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });
});

describe('hardening: CORS for configured origins only (SQLite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_CORS_ORIGINS: 'https://viewer.example.org' });
  });
  after(async () => api.close());

  test('a configured origin is allowed, any other is not', async () => {
    const server = api.app.getHttpServer();
    const ok = await request(server).options('/graphql').set('origin', 'https://viewer.example.org').set('access-control-request-method', 'POST');
    assert.equal(ok.headers['access-control-allow-origin'], 'https://viewer.example.org');
    const other = await request(server).options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    assert.notEqual(other.headers['access-control-allow-origin'], 'https://evil.example');
  });
});
