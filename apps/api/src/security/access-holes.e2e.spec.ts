import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SignJWT } from 'jose';
import { readFileSync } from 'node:fs';
import { MAX_CONSECUTIVE_LOGIN_FAILURES } from '@radledger/domain';
import { OTHER_SITE, OTHER_TRIAL, OWN_SITE, startTwoTrialApi, TRIAL, type TwoTrialApi } from '../testing/two-trial-fixture.js';
import { setGrants } from '../testing/api-test-harness.js';
import { startTestApi } from '../testing/api-test-harness.js';

/**
 * Issue 12's holes, each as it was walked around over HTTP on the earlier main, now refused:
 * reads across trials and sites, trial admins escalating, commands naming only a record,
 * a refused lock that still signed, revoked grants that kept working, login, cost.
 */
describe('issue 12 holes, over HTTP (SQLite, demo trial + a second trial)', () => {
  let fx: TwoTrialApi;
  const code = (res: { errors?: Array<{ extensions?: { code?: string } }> }) => res.errors?.[0]?.extensions?.code;
  const size = async () => (await fx.api.application.runtime.store.head()).size;
  const op = { actor: 'test-operator', role: 'admin', correlationId: 'holes', client: 'radledger-test' };
  const password = 'a long demo passphrase 2026';

  before(async () => {
    fx = await startTwoTrialApi();
  });
  after(async () => fx?.api.close());

  test('1. reads follow trial and site scope: another trial, another site, another trial\'s token', async () => {
    const { api, records: r } = fx;
    const otherQa = await api.tokenFor('qa-other', [{ role: 'qa', trialId: OTHER_TRIAL }]);
    const audit = await api.graphql(otherQa, `{ auditTrail(filter: { trialId: "${TRIAL}" }) { edges { node { eventId } } } }`);
    assert.equal((audit.data as { auditTrail: { edges: unknown[] } } | undefined)?.auditTrail.edges.length ?? 0, 0);
    const lineage = await api.graphql(otherQa, `{ lineage(id: "${r.decisionNodeId}") { nodes { id } } }`);
    assert.equal(code(lineage), 'FORBIDDEN');
    // A site operator of SITE-BER asking for SITE-BOS's audit trail gets none of it.
    const ber = await api.tokenFor('op-ber', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }]);
    const bos = await api.graphql<{ auditTrail: { edges: Array<{ node: { siteId: string | null } }> } }>(ber, `{ auditTrail(filter: { trialId: "${TRIAL}", siteId: "${OTHER_SITE}" }, first: 500) { edges { node { siteId } } } }`);
    assert.equal(bos.errors, undefined, JSON.stringify(bos.errors));
    assert.equal(bos.data!.auditTrail.edges.length, 0);
    const own = await api.graphql<{ auditTrail: { edges: Array<{ node: { siteId: string | null } }> } }>(ber, `{ auditTrail(first: 500) { edges { node { siteId } } } }`);
    assert.ok(own.data!.auditTrail.edges.length > 0);
    assert.ok(own.data!.auditTrail.edges.every((e) => e.node.siteId === OWN_SITE));
    // A monitor of another trial downloads no image of this trial.
    const otherMonitor = await api.tokenFor('mon-other', [{ role: 'monitor', trialId: OTHER_TRIAL }]);
    const download = await request(api.app.getHttpServer()).get(`/artifacts/${r.imageArtifactSha256}`).set('authorization', `Bearer ${otherMonitor}`);
    assert.equal(download.status, 403);
    // An API token scoped to another trial reads nothing of this one, even for a globally granted owner.
    await setGrants(api.application, 'ds-both', 'DS Both', [{ role: 'data-scientist' }]);
    const issued = (await api.application.identity.issueApiToken(
      { caller: { userId: 'ds-both', printedName: 'DS Both', grants: [{ role: 'data-scientist' }], authMethod: 'session', issuedAt: new Date() }, metadata: { ...op, actor: 'ds-both', role: 'self' } },
      { userId: 'ds-both', scopes: [`data-scientist:${OTHER_TRIAL}`], expiresAt: '2099-01-01T00:00:00Z' },
    )) as { token: string };
    const viaToken = await api.graphql(issued.token, `{ decision(id: "${r.decisionId}") { decisionId } }`);
    assert.equal(code(viaToken), 'FORBIDDEN');
  });

  test('2. a trial admin administers only their trial: no global roles, no other users\' tokens or passwords', async () => {
    const { api } = fx;
    const otherAdmin = await api.tokenFor('admin-other', [{ role: 'admin', trialId: OTHER_TRIAL }]);
    await setGrants(api.application, 'victim', 'Vic Tim', [{ role: 'regulatory', trialId: TRIAL }]);
    const before = await size();
    const escalate = await api.graphql(otherAdmin, `mutation { grantRole(input: { userId: "admin-other", role: "admin", reason: "me" }) { streamId } }`);
    assert.equal(code(escalate), 'FORBIDDEN');
    const token = await api.graphql(otherAdmin, `mutation { issueApiToken(input: { userId: "victim", scopes: ["regulatory:${TRIAL}"], expiresAt: "2099-01-01T00:00:00Z" }) { token } }`);
    assert.equal(code(token), 'FORBIDDEN');
    const reset = await api.graphql(otherAdmin, `mutation { setUserPassword(input: { userId: "victim", password: "${password}" }) { streamId } }`);
    assert.equal(code(reset), 'FORBIDDEN');
    // Only the three refusals were recorded.
    const appended = (await fx.events()).slice(before);
    assert.deepEqual(appended.map((e) => e.type), ['AccessDenied', 'AccessDenied', 'AccessDenied']);
    // Even a global admin issues no token for a person, and a reset is recorded and temporary.
    const globalAdmin = await api.tokenFor('admin-global', [{ role: 'admin' }]);
    const forPerson = await api.graphql(globalAdmin, `mutation { issueApiToken(input: { userId: "victim", scopes: ["regulatory:${TRIAL}"], expiresAt: "2099-01-01T00:00:00Z" }) { token } }`);
    assert.equal(code(forPerson), 'TOKEN_FOR_ANOTHER_PERSON');
    const globalReset = await api.graphql(globalAdmin, `mutation { setUserPassword(input: { userId: "victim", password: "${password}" }) { events { type } } }`);
    assert.deepEqual((globalReset.data as { setUserPassword: { events: Array<{ type: string }> } }).setUserPassword.events.map((e) => e.type), ['PasswordSet']);
    const login = await api.graphql(undefined, `mutation { login(userId: "victim", password: "${password}") { token } }`);
    assert.equal(code(login), 'PASSWORD_CHANGE_REQUIRED');
  });

  test('4. commands that name only a record are scoped by that record', async () => {
    const { api, records: r } = fx;
    const ber = await api.tokenFor('op-ber-sign', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }]);
    const otherRegulatory = await api.tokenFor('reg-other', [{ role: 'regulatory', trialId: OTHER_TRIAL }]);
    const otherAdmin = await api.tokenFor('adm-other2', [{ role: 'admin', trialId: OTHER_TRIAL }]);
    const otherQa = await api.tokenFor('qa-other2', [{ role: 'qa', trialId: OTHER_TRIAL }]);
    const otherDs = await api.tokenFor('ds-other', [{ role: 'data-scientist', trialId: OTHER_TRIAL }]);
    const before = await size();
    const decisionEvent = (await api.application.runtime.store.readStream(`decision-${r.otherSiteDecisionId}`))[0]!;
    const sign = await api.graphql(ber, `mutation { signRecord(input: { eventId: "${decisionEvent.eventId}", meaning: "reviewed" }) { streamId } }`);
    assert.equal(code(sign), 'FORBIDDEN');
    for (const token of [otherRegulatory, otherAdmin]) {
      const redact = await api.graphql(token, `mutation { redactPayload(input: { eventId: "${r.imageEventId}", justification: "PHI" }) { streamId } }`);
      assert.equal(code(redact), 'FORBIDDEN');
    }
    const retire = await api.graphql(otherQa, `mutation { retireModel(input: { modelId: "${r.modelId}", version: "${r.modelVersion}", reason: "x" }) { streamId } }`);
    assert.equal(code(retire), 'FORBIDDEN');
    const plan = await api.graphql(otherDs, `mutation { recordChangeControlPlan(input: { modelId: "${r.modelId}", whatMayChange: "w", validationProtocol: "v", acceptanceCriteria: "a" }) { streamId } }`);
    assert.equal(code(plan), 'FORBIDDEN');
    const register = await api.graphql(
      otherDs,
      `mutation { registerModel(input: { modelId: "${r.modelId}", version: "v-other", artifactSha256: "${'a'.repeat(64)}", intendedUse: "x", featureCodes: ["Q4LE"], decisionRule: { threshold: 0.5, positiveLabel: "a", negativeLabel: "b" }, trainingLineage: { featureSetIds: [], trialIds: ["${OTHER_TRIAL}"], partitions: [] }, performance: [] }) { streamId } }`,
    );
    assert.equal(code(register), 'FORBIDDEN');
    const appended = (await fx.events()).slice(before);
    assert.ok(appended.every((e) => e.type === 'AccessDenied'), appended.map((e) => e.type).join(', '));
  });

  test('5. a refused lock appends nothing: no approval signature before every gate passed', async () => {
    const { api, records: r, demo } = fx;
    const locked = demo.example.lockedModels.find((m) => m.modelId === r.modelId)!;
    const ds = await api.tokenFor('ds-lock', [{ role: 'data-scientist', trialId: TRIAL }]);
    const registered = await api.graphql(
      ds,
      `mutation { registerModel(input: { modelId: "${r.modelId}", version: "v9-unvalidated", artifactSha256: "${locked.sha256}", intendedUse: "second version, not yet validated", featureCodes: ${JSON.stringify(
        (await api.application.runtime.store.readStream(`model-${r.modelId}`)).find((e) => e.type === 'ModelRegistered')!.data['featureCodes' as never],
      )}, decisionRule: { threshold: 0.5, positiveLabel: "a", negativeLabel: "b" }, trainingLineage: { featureSetIds: [], trialIds: ["${TRIAL}"], partitions: [] }, performance: [] }) { streamId } }`,
    );
    assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
    const regulatory = await api.tokenFor('reg-lock', [{ role: 'regulatory', trialId: TRIAL }]);
    const before = await size();
    const lock = await api.graphql(regulatory, `mutation { lockModel(input: { modelId: "${r.modelId}", version: "v9-unvalidated", trialId: "${TRIAL}" }) { streamId } }`);
    assert.equal(code(lock), 'VALIDATION_REQUIRED');
    assert.equal(await size(), before, 'a refused lock appends neither the lock nor its approval');
  });

  test('6. a revoked role and a locked account stop working at the next request', async () => {
    const { api, records: r } = fx;
    const token = await api.tokenFor('qa-revoked', [{ role: 'qa', trialId: TRIAL }]);
    const q = `{ decision(id: "${r.decisionId}") { decisionId } }`;
    assert.equal((await api.graphql(token, q)).errors, undefined);
    await api.application.runtime.commands.execute({ type: 'RevokeRole', data: { userId: 'qa-revoked', role: 'qa', trialId: TRIAL, reason: 'left the trial' } }, op);
    assert.equal(code(await api.graphql(token, q)), 'FORBIDDEN');
    const locked = await api.tokenFor('qa-locked', [{ role: 'qa', trialId: TRIAL }]);
    assert.equal((await api.graphql(locked, q)).errors, undefined);
    for (let i = 0; i < MAX_CONSECUTIVE_LOGIN_FAILURES; i++) await api.graphql(undefined, `mutation { login(userId: "qa-locked", password: "wrong wrong wrong") { token } }`);
    assert.equal(code(await api.graphql(locked, q)), 'UNAUTHENTICATED');
  });

  test('7. login: an admin lifts a lock; unknown ids answer like wrong passwords and append no event each', async () => {
    const { api } = fx;
    const admin = await api.tokenFor('admin-unlock', [{ role: 'admin', trialId: TRIAL }]);
    await setGrants(api.application, 'locked-user', 'Lock Ed', [{ role: 'monitor', trialId: TRIAL }]);
    await api.graphql(admin, `mutation { setUserPassword(input: { userId: "locked-user", password: "${password}" }) { streamId } }`);
    const changed = await api.graphql(undefined, `mutation { changePassword(userId: "locked-user", currentPassword: "${password}", newPassword: "my own passphrase for 2027") { streamId } }`);
    assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
    const wrong = `mutation { login(userId: "locked-user", password: "not my passphrase") { token } }`;
    const answers = [];
    for (let i = 0; i < MAX_CONSECUTIVE_LOGIN_FAILURES + 1; i++) answers.push(await api.graphql(undefined, wrong));
    const right = `mutation { login(userId: "locked-user", password: "my own passphrase for 2027") { token } }`;
    const whileLocked = await api.graphql(undefined, right);
    // Locked, wrong and unknown look the same from outside.
    const unknown = await api.graphql(undefined, `mutation { login(userId: "nobody-at-all", password: "whatever it is") { token } }`);
    assert.deepEqual([code(answers[0]!), code(answers.at(-1)!), code(whileLocked), code(unknown)], ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    assert.equal(answers[0]!.errors![0]!.message, unknown.errors![0]!.message);
    assert.equal(whileLocked.errors![0]!.message, unknown.errors![0]!.message);
    const unlock = await api.graphql(admin, `mutation { unlockAccount(input: { userId: "locked-user", reason: "verified by phone" }) { events { type } } }`);
    assert.deepEqual((unlock.data as { unlockAccount: { events: Array<{ type: string }> } }).unlockAccount.events.map((e) => e.type), ['AccountUnlocked']);
    assert.equal((await api.graphql(undefined, right)).errors, undefined);
    // The unknown id above opened a counting window; record it, so the next window holds only the five below.
    await api.application.identity.flushUnknownLogins();
    const before = await size();
    for (let i = 0; i < 5; i++) await api.graphql(undefined, `mutation { login(userId: "made-up-${i}", password: "whatever it is") { token } }`);
    assert.equal(await size(), before, 'no event per unknown id');
    await api.application.identity.flushUnknownLogins();
    const appended = (await fx.events()).slice(before);
    assert.deepEqual(appended.map((e) => e.type), ['UnknownUserLoginsFailed']);
    assert.equal((appended[0]!.data as { distinctIds: number }).distinctIds, 5);
  });

  test('7b. passwords: at least 12 characters, not a common one', async () => {
    const admin = await fx.api.tokenFor('admin-pw', [{ role: 'admin' }]);
    for (const weak of ['short1!', 'password1234', 'qwertyuiopasdf']) {
      const res = await fx.api.graphql(admin, `mutation { registerUser(input: { userId: "weak-${weak.length}", printedName: "W", password: "${weak}" }) { streamId } }`);
      assert.equal(code(res), 'PASSWORD_POLICY', weak);
    }
  });

  test('9. cost: a thousand verifyLedger aliases are refused with HTTP 400 before any runs; reproduce is not for every role', async () => {
    const { api, records: r } = fx;
    const qa = await api.tokenFor('qa-cost', [{ role: 'qa' }]);
    const aliases = Array.from({ length: 1000 }, (_, i) => `v${i}: verifyLedger { ok }`).join(' ');
    const res = await request(api.app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${qa}`).send({ query: `{ ${aliases} }` });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].extensions.code, 'QUERY_TOO_COMPLEX');
    const monitor = await api.tokenFor('mon-cost', [{ role: 'monitor' }]);
    assert.equal(code(await api.graphql(monitor, `{ reproduceFeatureSet(featureSetId: "${r.featureSetId}") { status } }`)), 'FORBIDDEN');
  });
});

describe('issue 12, production mode: introspection, /metrics, tokens without exp', () => {
  test('introspection needs a signed-in caller; /metrics needs its token; a token without exp is refused', async () => {
    const api = await startTestApi('sqlite', { NODE_ENV: 'production', RADLEDGER_METRICS_TOKEN: 'metrics-token-for-the-scraper-0123' });
    try {
      const anonymous = await api.graphql(undefined, '{ __schema { queryType { name } } }');
      assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      const token = await api.tokenFor('qa-prod', [{ role: 'qa' }]);
      assert.equal((await api.graphql(token, '{ __schema { queryType { name } } }')).errors, undefined);
      const server = api.app.getHttpServer();
      assert.equal((await request(server).get('/metrics')).status, 401);
      assert.equal((await request(server).get('/metrics').set('authorization', 'Bearer metrics-token-for-the-scraper-0123')).status, 200);
      const secret = Buffer.from(readFileSync(api.config.authSecretPath, 'utf8').trim(), 'base64');
      const noExp = await new SignJWT({ name: 'No Exp' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('radledger').setAudience('radledger-api').setSubject('qa-prod').setIssuedAt().sign(secret);
      assert.equal((await api.graphql(noExp, '{ me { userId } }')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    } finally {
      await api.close();
    }
  });
});
