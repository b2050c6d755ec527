/**
 * Closing a site to enrolment over HTTP: the trial's admin closes it with a reason, enrolment
 * there is refused with nothing appended while another site still enrols, and `trialSites`
 * shows the closure; another trial's admin and site staff cannot close it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProjectionRunner } from '@radledger/projections';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

const TRIAL = 'SITES-01';
const OPERATOR = { actor: 'test-operator', role: 'admin', correlationId: 'sites-setup', client: 'radledger-test' };
const CLOSE = 'mutation ($input: CloseSiteEnrolmentInput!) { closeSiteEnrolment(input: $input) { streamId events { type eventId } } }';
const ENROL = 'mutation ($input: EnrollSubjectInput!) { enrollSubject(input: $input) { events { type } } }';
const SITES = 'query ($trialId: ID!, $siteId: ID) { trialSites(trialId: $trialId, siteId: $siteId) { siteId name enrolmentClosed closedReason closedAt closedEventId } }';

describe('closing a site to enrolment', () => {
  let api: TestApi;
  const size = async () => (await api.application.runtime.store.head()).size;
  /** Types appended since position `from`, leaving out the AccessDenied record each refusal by policy appends. */
  const appendedSince = async (from: number) => (await api.application.runtime.store.readAll(from, 1000)).map((e) => e.type).filter((t) => t !== 'AccessDenied');
  const code = (res: { errors?: Array<{ extensions?: { code?: string } }> }) => res.errors?.[0]?.extensions?.code;

  before(async () => {
    api = await startTestApi('sqlite');
    const commands = api.application.runtime.commands;
    await commands.execute({ type: 'RegisterTrial', data: { trialId: TRIAL, title: 'Sites', sponsor: 'test' } }, OPERATOR);
    await commands.execute({ type: 'RegisterTrial', data: { trialId: 'SITES-02', title: 'Another', sponsor: 'test' } }, OPERATOR);
    for (const siteId of ['SITE-A', 'SITE-B']) await commands.execute({ type: 'EnrollSite', data: { trialId: TRIAL, siteId, name: `Site ${siteId.slice(-1)}` } }, OPERATOR);
    // The same site id in another trial is another site.
    await commands.execute({ type: 'EnrollSite', data: { trialId: 'SITES-02', siteId: 'SITE-A', name: 'Other trial, site A' } }, OPERATOR);
  });
  after(async () => api?.close());

  test('only the trial admin closes, with a reason; enrolment there is then refused and appends nothing; the other site enrols', async () => {
    const admin = await api.tokenFor('sites-admin', [{ role: 'admin', trialId: TRIAL }]);
    const otherAdmin = await api.tokenFor('sites-other-admin', [{ role: 'admin', trialId: 'SITES-02' }]);
    const operatorA = await api.tokenFor('sites-op-a', [{ role: 'site-operator', trialId: TRIAL, siteId: 'SITE-A' }]);
    const before = await size();
    assert.equal(code(await api.graphql(otherAdmin, CLOSE, { input: { trialId: TRIAL, siteId: 'SITE-A', reason: 'not mine to close' } })), 'FORBIDDEN');
    assert.equal(code(await api.graphql(operatorA, CLOSE, { input: { trialId: TRIAL, siteId: 'SITE-A', reason: 'site staff cannot close' } })), 'FORBIDDEN');
    const noReason = await api.graphql(admin, CLOSE, { input: { trialId: TRIAL, siteId: 'SITE-A' } });
    assert.equal(code(noReason), 'REASON_REQUIRED', JSON.stringify(noReason.errors));
    assert.deepEqual(await appendedSince(before), []);

    const closed = await api.graphql<{ closeSiteEnrolment: { events: Array<{ type: string }> } }>(admin, CLOSE, { input: { trialId: TRIAL, siteId: 'SITE-A', reason: 'Recruitment target reached' } });
    assert.equal(closed.errors, undefined, JSON.stringify(closed.errors));
    assert.deepEqual(closed.data!.closeSiteEnrolment.events.map((e) => e.type), ['SiteEnrolmentClosed']);
    assert.equal(code(await api.graphql(admin, CLOSE, { input: { trialId: TRIAL, siteId: 'SITE-A', reason: 'twice' } })), 'SITE_ENROLMENT_CLOSED');

    const afterClose = await size();
    const refused = await api.graphql(operatorA, ENROL, { input: { trialId: TRIAL, siteId: 'SITE-A', subjectId: 'SITES-A-001' } });
    assert.equal(code(refused), 'SITE_ENROLMENT_CLOSED', JSON.stringify(refused.errors));
    assert.match(refused.errors![0]!.message, /siteId/);
    assert.deepEqual(await appendedSince(afterClose), []);
    const operatorB = await api.tokenFor('sites-op-b', [{ role: 'site-operator', trialId: TRIAL, siteId: 'SITE-B' }]);
    const atB = await api.graphql(operatorB, ENROL, { input: { trialId: TRIAL, siteId: 'SITE-B', subjectId: 'SITES-B-001' } });
    assert.equal(atB.errors, undefined, JSON.stringify(atB.errors));
  });

  test('trialSites shows each site of the trial and the closure; site staff see their own site; the same id in another trial is untouched', async () => {
    await api.app.get(ProjectionRunner).caughtUp();
    const qa = await api.tokenFor('sites-qa', [{ role: 'qa', trialId: TRIAL }]);
    const res = await api.graphql<{ trialSites: Array<Record<string, unknown>> }>(qa, SITES, { trialId: TRIAL });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const [a, b] = res.data!.trialSites;
    assert.deepEqual(res.data!.trialSites.map((s) => s['siteId']), ['SITE-A', 'SITE-B']);
    assert.equal(a!['enrolmentClosed'], true);
    assert.equal(a!['closedReason'], 'Recruitment target reached');
    assert.match(String(a!['closedAt']), /^\d{4}-\d\d-\d\dT/);
    const closure = (await api.application.runtime.store.readStream(`trial-${TRIAL}`)).find((e) => e.type === 'SiteEnrolmentClosed')!;
    assert.equal(a!['closedEventId'], closure.eventId);
    assert.deepEqual({ closed: b!['enrolmentClosed'], reason: b!['closedReason'] }, { closed: false, reason: null });

    const operatorB = await api.tokenFor('sites-op-b2', [{ role: 'site-operator', trialId: TRIAL, siteId: 'SITE-B' }]);
    // Site staff see their own site's row only, whether or not they name it; another site is refused.
    for (const variables of [{ trialId: TRIAL }, { trialId: TRIAL, siteId: 'SITE-B' }]) {
      const own = await api.graphql<{ trialSites: Array<{ siteId: string }> }>(operatorB, SITES, variables);
      assert.deepEqual(own.data?.trialSites.map((s) => s.siteId), ['SITE-B'], JSON.stringify(own.errors));
    }
    assert.equal(code(await api.graphql(operatorB, SITES, { trialId: TRIAL, siteId: 'SITE-A' })), 'FORBIDDEN');
    const otherQa = await api.tokenFor('sites-qa-2', [{ role: 'qa', trialId: 'SITES-02' }]);
    assert.equal(code(await api.graphql(otherQa, SITES, { trialId: TRIAL })), 'FORBIDDEN');
    const other = await api.graphql<{ trialSites: Array<{ siteId: string; name: string; enrolmentClosed: boolean }> }>(otherQa, SITES, { trialId: 'SITES-02' });
    assert.deepEqual(other.data!.trialSites, [{ siteId: 'SITE-A', name: 'Other trial, site A', enrolmentClosed: false }].map((s) => ({ ...s, closedReason: null, closedAt: null, closedEventId: null })));
  });
});
