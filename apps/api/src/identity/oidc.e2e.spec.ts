import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

const ISSUER = 'https://idp.test.example';
const AUDIENCE = 'radledger-prod';

/** An OIDC provider stand-in: a JWKS document served on 127.0.0.1 by the test itself. */
describe('OIDC bearer tokens verified against the provider JWKS (SQLite)', () => {
  let api: TestApi;
  let jwks: Server;
  let key: CryptoKey;
  let otherKey: CryptoKey;
  const me = (token: string) => api.graphql<{ me: { userId: string; printedName: string; authMethod: string; grants: unknown[] } }>(token, '{ me { userId printedName authMethod grants { role trialId siteId } } }');
  const token = (claims: Record<string, unknown>, opts: { signWith?: CryptoKey; issuer?: string; audience?: string; expiresIn?: number; kid?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuer(opts.issuer ?? ISSUER)
      .setAudience(opts.audience ?? AUDIENCE)
      .setSubject('oidc-user-7')
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (opts.expiresIn ?? 600))
      .sign(opts.signWith ?? key);
  };

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    key = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    jwks = createServer((req, res) => {
      if (req.url !== '/jwks.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    api = await startTestApi('sqlite', {
      RADLEDGER_OIDC_ISSUER: ISSUER,
      RADLEDGER_OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      RADLEDGER_OIDC_AUDIENCE: AUDIENCE,
    });
  });
  after(async () => {
    await api.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  test('a provider-signed token is accepted with its name and role grants', async () => {
    const res = await me(await token({ name: 'Olga OIDC', grants: [{ role: 'monitor', trialId: 'T1' }] }));
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(res.data!.me, { userId: 'oidc-user-7', printedName: 'Olga OIDC', authMethod: 'oidc', grants: [{ role: 'monitor', trialId: 'T1', siteId: null }] });
  });

  test('a token signed by another key, for another audience, or expired is UNAUTHENTICATED', async () => {
    for (const [label, t] of [
      ['foreign key', await token({ grants: ['admin'] }, { signWith: otherKey })],
      ['unknown kid', await token({ grants: ['admin'] }, { signWith: otherKey, kid: 'k9' })],
      ['other audience', await token({ grants: ['admin'] }, { audience: 'someone-else' })],
      ['expired', await token({ grants: ['admin'] }, { expiresIn: -30 })],
    ] as const) {
      const res = await me(t);
      assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', label);
    }
  });

  test('an OIDC token cannot claim to be a RadLedger session token, nor the reverse', async () => {
    const forgedSession = await token({ grants: ['admin'] }, { issuer: 'radledger', audience: 'radledger-api' });
    assert.equal((await me(forgedSession)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const session = await api.tokenFor('u-local', [{ role: 'qa' }]);
    assert.equal((await me(session)).data?.me.authMethod, 'session');
  });
});
