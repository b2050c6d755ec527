import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CONSECUTIVE_LOGIN_FAILURES } from '@radledger/domain';
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';
import { ledgerOf } from '../security/security-test-kit.js';
import { apiTokenSha256 } from '@radledger/application';

const RESULT = 'streamId events { eventId type }';
const LOGIN = 'mutation($u: String!, $p: String!) { login(userId: $u, password: $p) { token expiresAt actor { userId printedName authMethod grants { role trialId siteId } } } }';

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`identity: users, login, lock-out, API tokens (${backend})`, () => {
    let api: TestApi;
    let admin: string;
    const login = (userId: string, password: string) => api.graphql<{ login: { token: string; actor: { userId: string; printedName: string; authMethod: string; grants: unknown[] } } }>(undefined, LOGIN, { u: userId, p: password });
    const registerUser = (userId: string, printedName: string, password?: string, kind?: string) =>
      api.graphql(admin, `mutation($i: RegisterUserInput!) { registerUser(input: $i) { ${RESULT} } }`, { i: { userId, printedName, password, kind } });
    const grantRole = (input: Record<string, unknown>) => api.graphql(admin, `mutation($i: GrantRoleInput!) { grantRole(input: $i) { ${RESULT} } }`, { i: input });
    /** An administrator's password is temporary: the person replaces it before anything else. */
    const choosePassword = (userId: string, current: string, next: string) =>
      api.graphql(undefined, 'mutation($u: String!, $c: String!, $n: String!) { changePassword(userId: $u, currentPassword: $c, newPassword: $n) { streamId } }', { u: userId, c: current, n: next });

    before(async () => {
      api = await startTestApi(backend, { RADLEDGER_LOGIN_RATE_LIMIT: '1000' });
      admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
    });
    after(async () => api.close());

    test('an admin registers a user and grants a scoped role; both are ledger events with who and why', async () => {
      assert.equal((await registerUser('u-ann', 'Ann Operator', 'temporary: change me 1')).errors, undefined);
      const grant = await grantRole({ userId: 'u-ann', role: 'site-operator', trialId: 'T1', siteId: 'BER', reason: 'Onboarding at Berlin' });
      assert.equal(grant.errors, undefined);
      const events = await ledgerOf(api).stream('user-u-ann');
      assert.deepEqual(events.map((e) => e.type), ['UserRegistered', 'PasswordSet', 'RoleGranted']);
      assert.deepEqual(events[1]!.data, { userId: 'u-ann', temporary: true });
      assert.equal(events[2]!.meta.actor, 'u-admin');
      assert.equal(events[2]!.meta.role, 'admin');
      // Free text is sealed in the ledger (ADR 0007) and opens with this deployment's keys.
      const sealedReason = (events[2]!.data as { reason: string }).reason;
      assert.match(sealedReason, /^enc:v1:/);
      assert.equal(await api.application.runtime.fieldCipher.open(sealedReason), 'Onboarding at Berlin');
      assert.ok(events.every((e) => !e.canonical.includes('change me')));
    });

    test('a temporary password opens no session: the person must choose their own first (PasswordSet by self)', async () => {
      assert.equal((await login('u-ann', 'temporary: change me 1')).errors?.[0]?.extensions?.code, 'PASSWORD_CHANGE_REQUIRED');
      const changed = await choosePassword('u-ann', 'temporary: change me 1', 'zebra lantern orbit 42');
      assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
      const last = (await ledgerOf(api).stream('user-u-ann')).at(-1)!;
      assert.deepEqual([last.type, last.data, last.meta.actor], ['PasswordSet', { userId: 'u-ann', temporary: false }, 'u-ann']);
    });

    test('login with the right password answers a session token; the grants shown are the current ones; LoginSucceeded is recorded', async () => {
      const res = await login('u-ann', 'zebra lantern orbit 42');
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      assert.deepEqual(res.data!.login.actor.grants, [{ role: 'site-operator', trialId: 'T1', siteId: 'BER' }]);
      const me = await api.graphql<{ me: { userId: string; authMethod: string; printedName: string } }>(res.data!.login.token, '{ me { userId authMethod printedName } }');
      assert.deepEqual(me.data?.me, { userId: 'u-ann', authMethod: 'session', printedName: 'Ann Operator' });
      const types = (await ledgerOf(api).stream('user-u-ann')).map((e) => e.type);
      assert.equal(types.at(-1), 'LoginSucceeded');
    });

    test('a wrong password and an unknown user get the same UNAUTHENTICATED answer; failures are recorded without the secret', async () => {
      const wrong = await login('u-ann', 'not-the-password-1');
      const unknown = await login('u-nobody', 'not-the-password-1');
      assert.equal(wrong.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.equal(unknown.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.equal(wrong.errors?.[0]?.message, unknown.errors?.[0]?.message);
      const failed = (await ledgerOf(api).stream('user-u-ann')).at(-1)!;
      assert.equal(failed.type, 'LoginFailed');
      assert.equal((failed.data as { failureReason: string }).failureReason, 'bad-password');
      const all = await ledgerOf(api).all();
      assert.ok(all.every((e) => !e.canonical.includes('not-the-password-1')), 'an attempted password reached the ledger');
    });

    test(`${MAX_CONSECUTIVE_LOGIN_FAILURES} consecutive failures lock the account (AccountLocked); the right password is then refused too, with the same answer`, async () => {
      assert.equal((await registerUser('u-lou', 'Lou Locked', 'temporary for lou 1')).errors, undefined);
      assert.equal((await choosePassword('u-lou', 'temporary for lou 1', 'violet harbour stone 9')).errors, undefined);
      const codes: string[] = [];
      for (let i = 0; i < MAX_CONSECUTIVE_LOGIN_FAILURES; i++) codes.push(String((await login('u-lou', `guess-${i}-wrong`)).errors?.[0]?.extensions?.code));
      assert.deepEqual(codes, Array(MAX_CONSECUTIVE_LOGIN_FAILURES).fill('UNAUTHENTICATED'));
      const types = (await ledgerOf(api).stream('user-u-lou')).map((e) => e.type);
      assert.deepEqual(types.slice(-2), ['LoginFailed', 'AccountLocked']);
      const locked = await login('u-lou', 'violet harbour stone 9');
      assert.equal(locked.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.equal(locked.errors?.[0]?.message, (await login('u-nobody', 'violet harbour stone 9')).errors?.[0]?.message);
    });

    test('a password shorter than 12 characters is refused (PASSWORD_POLICY) and nothing is appended', async () => {
      const before = await ledgerOf(api).size();
      const res = await registerUser('u-short', 'Sho Rt', 'short-pw-11');
      assert.equal(res.errors?.[0]?.extensions?.code, 'PASSWORD_POLICY');
      assert.equal(await ledgerOf(api).size(), before);
    });

    test('API tokens: scoped, hashed at rest, usable as Bearer rlt_…, revocable; never for scopes the user lacks', async () => {
      assert.equal((await registerUser('u-pipe', 'Berlin pipeline', undefined, 'service')).errors, undefined);
      assert.equal((await grantRole({ userId: 'u-pipe', role: 'site-operator', trialId: 'T1', siteId: 'BER', reason: 'Pipeline account' })).errors, undefined);
      const tooWide = await api.graphql(admin, 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }', {
        i: { userId: 'u-pipe', scopes: ['site-operator:T1'], expiresAt: '2099-01-01T00:00:00Z' },
      });
      assert.equal(tooWide.errors?.[0]?.extensions?.code, 'SCOPE_NOT_HELD');

      const issued = await api.graphql<{ issueApiToken: { tokenId: string; token: string; scopes: string[] } }>(admin, 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { tokenId token scopes expiresAt } }', {
        i: { userId: 'u-pipe', scopes: ['site-operator:T1:BER'], expiresAt: '2099-01-01T00:00:00Z' },
      });
      assert.equal(issued.errors, undefined, JSON.stringify(issued.errors));
      const { token, tokenId } = issued.data!.issueApiToken;
      assert.match(token, /^rlt_[A-Za-z0-9_-]{43}$/);

      const credentials = api.application.credentials;
      const stored = await credentials.apiTokenById(tokenId);
      assert.equal(stored?.tokenSha256, apiTokenSha256(token));
      assert.ok(!JSON.stringify(stored).includes(token), 'the token itself was stored');
      const ledgerText = (await ledgerOf(api).all()).map((e) => e.canonical).join('\n');
      assert.ok(!ledgerText.includes(token), 'the token itself reached the ledger');
      assert.ok(ledgerText.includes(apiTokenSha256(token)));

      const me = await api.graphql<{ me: { userId: string; authMethod: string; grants: unknown[] } }>(token, '{ me { userId authMethod grants { role trialId siteId } } }');
      assert.deepEqual(me.data?.me, { userId: 'u-pipe', authMethod: 'api-token', grants: [{ role: 'site-operator', trialId: 'T1', siteId: 'BER' }] });

      const revoke = await api.graphql(admin, `mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { ${RESULT} } }`, { i: { tokenId, reason: 'Pipeline decommissioned' } });
      assert.equal(revoke.errors, undefined, JSON.stringify(revoke.errors));
      assert.equal((await api.graphql(token, '{ me { userId } }')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.equal((await ledgerOf(api).stream('user-u-pipe')).at(-1)!.type, 'ApiTokenRevoked');
      assert.equal((await api.graphql(`rlt_${'A'.repeat(43)}`, '{ me { userId } }')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    });

    test('user administration is admin-only; the denial is recorded as AccessDenied without the input', async () => {
      const qa = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
      const res = await api.graphql(qa, `mutation($i: RegisterUserInput!) { registerUser(input: $i) { ${RESULT} } }`, { i: { userId: 'u-evil', printedName: 'Eve', password: 'secret-password-9' } });
      assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      const denied = (await ledgerOf(api).stream('user-u-qa')).at(-1)!;
      assert.equal(denied.type, 'AccessDenied');
      assert.deepEqual(denied.data, { userId: 'u-qa', operation: 'registerUser', reasonCode: 'ROLE_MISSING' });
      assert.doesNotMatch(denied.canonical, /secret-password-9/);
      await ledgerOf(api).verify();
    });
  });
}
