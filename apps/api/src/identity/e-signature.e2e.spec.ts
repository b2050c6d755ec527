import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIGNING_FRESHNESS_MS } from '@radledger/application';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { ledgerOf } from '../security/security-test-kit.js';

const SIGN = 'mutation($input: SignRecordInput!, $credentials: SignerCredentialsInput) { signRecord(input: $input, credentials: $credentials) { events { eventId type } } }';

describe('e-signatures: re-entered password or a fresh session, manifestation in RecordSigned (21 CFR 11.50, 11.200) (SQLite)', () => {
  let api: TestApi;
  let admin: string;
  let staleToken: string;
  let target: { eventId: string; hash: string };
  const sign = (token: string, meaning: string, password?: string) =>
    api.graphql<{ signRecord: { events: Array<{ eventId: string; type: string }> } }>(token, SIGN, { input: { eventId: target.eventId, meaning }, credentials: password === undefined ? null : { password } });

  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_LOGIN_RATE_LIMIT: '1000' });
    admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
    const reg = await api.graphql(admin, 'mutation($i: RegisterUserInput!) { registerUser(input: $i) { streamId } }', { i: { userId: 'u-sig', printedName: 'Sigrid Signer', password: 'temporary-from-the-admin-1' } });
    assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
    // A password set by an administrator is temporary: the signer chooses their own before anything else.
    const own = await api.graphql(undefined, 'mutation { changePassword(userId: "u-sig", currentPassword: "temporary-from-the-admin-1", newPassword: "sign-me-please-1") { streamId } }');
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.equal((await api.graphql(admin, 'mutation($i: GrantRoleInput!) { grantRole(input: $i) { streamId } }', { i: { userId: 'u-sig', role: 'qa', reason: 'QA lead' } })).errors, undefined);
    const trial = await api.graphql<{ registerTrial: { events: Array<{ eventId: string; hash: string }> } }>(admin, 'mutation { registerTrial(input: { trialId: "T-SIG", title: "Signed trial", sponsor: "ACME" }) { events { eventId hash } } }');
    target = trial.data!.registerTrial.events[0]!;
    // A session token issued longer ago than the signing window, with the same server secret.
    staleToken = await api.application.tokens.issueSessionToken({ userId: 'u-sig', printedName: 'Sigrid Signer' }, new Date(Date.now() - SIGNING_FRESHNESS_MS - 60_000));
  });
  after(async () => api.close());

  test('a session older than 5 minutes without the password cannot sign; nothing is appended', async () => {
    const before = await ledgerOf(api).size();
    const res = await sign(staleToken, 'reviewed');
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(res.errors![0]!.message, /credentials\.password/);
    assert.equal(await ledgerOf(api).size(), before);
  });

  test('a wrong password is refused with a typed error and audited as a failed login (no signature recorded)', async () => {
    const before = await ledgerOf(api).size();
    const res = await sign(staleToken, 'reviewed', 'wrong-password-77');
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const appended = (await ledgerOf(api).all()).slice(before);
    assert.deepEqual(appended.map((e) => e.type), ['LoginFailed']);
    assert.equal((appended[0]!.data as { failureReason: string }).failureReason, 'signature-bad-password');
    assert.doesNotMatch(appended[0]!.canonical, /wrong-password-77/);
  });

  test('the re-entered password signs; RecordSigned shows printed name, UTC time and meaning, bound to the record hash', async () => {
    const started = Date.now();
    const res = await sign(staleToken, 'reviewed', 'sign-me-please-1');
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const [signed] = await ledgerOf(api).stream(`signatures-${target.eventId}`);
    assert.equal(signed!.type, 'RecordSigned');
    const d = signed!.data as { printedName: string; signedAt: string; meaning: string; signerId: string; eventHash: string };
    assert.equal(d.printedName, 'Sigrid Signer');
    assert.equal(d.meaning, 'reviewed');
    assert.equal(d.signerId, 'u-sig');
    assert.equal(d.eventHash, target.hash);
    assert.match(d.signedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(d.signedAt) >= started - 1000);
    assert.equal(signed!.meta.actor, 'u-sig');
  });

  test('a replayed signature (same person, same meaning) is refused with SIGNATURE_DUPLICATE and appends nothing', async () => {
    const before = await ledgerOf(api).size();
    const res = await sign(staleToken, 'reviewed', 'sign-me-please-1');
    assert.equal(res.errors?.[0]?.extensions?.code, 'SIGNATURE_DUPLICATE');
    assert.equal(await ledgerOf(api).size(), before);
  });

  test('a session from a login within the last 5 minutes signs without re-entering the password', async () => {
    const login = await api.graphql<{ login: { token: string } }>(undefined, 'mutation { login(userId: "u-sig", password: "sign-me-please-1") { token } }');
    assert.equal(login.errors, undefined);
    const res = await sign(login.data!.login.token, 'approved');
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const meanings = (await ledgerOf(api).stream(`signatures-${target.eventId}`)).map((e) => (e.data as { meaning: string }).meaning);
    assert.deepEqual(meanings, ['reviewed', 'approved']);
  });

  test('an API token never signs, even for a user who could (signing needs a person)', async () => {
    const login = await api.graphql<{ login: { token: string } }>(undefined, 'mutation { login(userId: "u-sig", password: "sign-me-please-1") { token } }');
    // A person issues their own tokens (nobody else can: no path to act as another person).
    const issued = await api.graphql<{ issueApiToken: { token: string } }>(login.data!.login.token, 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }', {
      i: { userId: 'u-sig', scopes: ['qa'], expiresAt: '2099-01-01T00:00:00Z' },
    });
    assert.equal(issued.errors, undefined, JSON.stringify(issued.errors));
    const res = await sign(issued.data!.issueApiToken.token, 'responsible', 'sign-me-please-1');
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    await ledgerOf(api).verify();
  });
});
