import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { checkBidsProv, fhirValidator, openLineageValidator } from '../../../../libs/interop/src/testing/interop-validators.js';

const BLINDED_TRIAL = 'TRIAL-IOP-BLIND';
const OTHER_TRIAL = 'TRIAL-IOP-OTHER';
const SUBJECT = 'SUBJ-000002';
const EXPORT = `query Export($trialId: String!, $format: InteropFormat!, $siteId: String, $subjectId: String) {
  interopExport(trialId: $trialId, format: $format, siteId: $siteId, subjectId: $subjectId) {
    format trialId siteId subjectId asOfPosition complete countsJson files { path mediaType content sha256 }
  }
}`;

interface ExportAnswer {
  interopExport: { format: string; complete: boolean; asOfPosition: number; countsJson: string; files: Array<{ path: string; mediaType: string; content: string; sha256: string }> };
}
type Entity = { decision?: string; blinded?: boolean; entityType?: string; label?: string | null };

describe('interopExport over GraphQL: schema-valid documents within the caller\'s trial, blinded for a blinded trial\'s monitor (SQLite)', () => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const validateOpenLineage = openLineageValidator();
  const validateFhir = fhirValidator();
  const run = async (who: string, variables: Record<string, unknown>) => api.graphql<ExportAnswer>(tokens[who], EXPORT, variables);
  const ok = async (who: string, variables: Record<string, unknown>) => {
    const res = await run(who, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!.interopExport;
  };
  const entities = (content: string): Entity[] =>
    (JSON.parse(content) as Array<{ inputs: Array<{ facets?: Record<string, Entity> }>; outputs: Array<{ facets?: Record<string, Entity> }> }>).flatMap((e) =>
      [...e.inputs, ...e.outputs].flatMap((d) => (d.facets?.['radledger_entity'] ? [d.facets['radledger_entity']] : [])),
    );

  before(async () => {
    api = await startTestApi('sqlite');
    const store = api.app.get<LedgerStore>(EVENT_STORE);
    // The synthetic trial is registered with blinded: true.
    await appendInOrder(store, syntheticTrial({ trialId: BLINDED_TRIAL, sites: 2, subjectsPerSite: 2, modalities: ['T1c'], editsPerSegmentation: 1, trainingSubjects: 1 }), 50);
    await appendInOrder(store, syntheticTrial({ trialId: OTHER_TRIAL, sites: 1, subjectsPerSite: 1, modalities: ['T1c'], editsPerSegmentation: 0, trainingSubjects: 1, start: new Date('2026-02-01T06:00:00.000Z') }), 50);
    await api.app.get(ProjectionRunner).caughtUp();
    tokens.qa = await api.tokenFor('u-iop-qa', [{ role: 'qa', trialId: BLINDED_TRIAL }], 'Quinn QA');
    tokens.monitor = await api.tokenFor('u-iop-mon', [{ role: 'monitor', trialId: BLINDED_TRIAL }], 'Mo Monitor');
    tokens.other = await api.tokenFor('u-iop-other', [{ role: 'qa', trialId: OTHER_TRIAL }], 'Otto Other');
    tokens.site = await api.tokenFor('u-iop-site', [{ role: 'data-scientist', trialId: BLINDED_TRIAL, siteId: 'SITE-1' }], 'Sita Site');
  });
  after(async () => api.close());

  test('QA of the trial gets OpenLineage RunEvents valid against the OpenLineage schema, with decision values and content-hash dataset names', async () => {
    const doc = await ok('qa', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    assert.equal(doc.complete, true);
    const events = JSON.parse(doc.files[0]!.content) as unknown[];
    assert.ok(events.length > 20);
    assert.deepEqual(validateOpenLineage(events), []);
    const names = (events as Array<{ inputs: Array<{ name: string }>; outputs: Array<{ name: string }> }>).flatMap((e) => [...e.inputs, ...e.outputs].map((d) => d.name));
    assert.ok(names.every((n) => /^sha256:[0-9a-f]{64}$/.test(n)));
    assert.ok(entities(doc.files[0]!.content).some((e) => e.entityType === 'decision' && typeof e.decision === 'string'));
  });

  test('FHIR Bundle and BIDS-Prov files are valid; BIDS-Prov without a subject is SUBJECT_REQUIRED and appends nothing', async () => {
    const fhir = await ok('qa', { trialId: BLINDED_TRIAL, format: 'FHIR' });
    assert.equal(fhir.files[0]!.mediaType, 'application/fhir+json');
    assert.deepEqual(validateFhir(JSON.parse(fhir.files[0]!.content)), []);
    const counts = JSON.parse(fhir.countsJson) as { provenances: number; auditEvents: number };
    assert.ok(counts.provenances > 0 && counts.auditEvents > 0);
    const bids = await ok('qa', { trialId: BLINDED_TRIAL, format: 'BIDS_PROV', subjectId: SUBJECT });
    assert.deepEqual(checkBidsProv(bids.files.map((f) => ({ ...f }))), []);
    const head = await api.app.get<LedgerStore>(EVENT_STORE).head();
    const refused = await run('qa', { trialId: BLINDED_TRIAL, format: 'BIDS_PROV' });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'SUBJECT_REQUIRED');
    assert.match(refused.errors![0]!.message, /subjectId/);
    assert.equal((await api.app.get<LedgerStore>(EVENT_STORE).head()).size, head.size);
  });

  test('a user of another trial is refused (FORBIDDEN), whatever the format', async () => {
    for (const format of ['OPENLINEAGE', 'FHIR', 'BIDS_PROV']) {
      const res = await run('other', { trialId: BLINDED_TRIAL, format, subjectId: SUBJECT });
      assert.equal(res.data?.interopExport ?? null, null);
      assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(res.errors));
    }
    // Their own trial is theirs.
    await ok('other', { trialId: OTHER_TRIAL, format: 'FHIR' });
  });

  test("a monitor of the blinded trial gets the same runs and resources, with no decision value anywhere", async () => {
    for (const format of ['OPENLINEAGE', 'FHIR', 'BIDS_PROV']) {
      const args = { trialId: BLINDED_TRIAL, format, ...(format === 'BIDS_PROV' ? { subjectId: SUBJECT } : {}) };
      const qa = await ok('qa', args);
      const monitor = await ok('monitor', args);
      assert.deepEqual(monitor.countsJson, qa.countsJson, format);
      const qaText = qa.files.map((f) => f.content).join('\n');
      const monitorText = monitor.files.map((f) => f.content).join('\n');
      // Every decision label QA sees ("decision DEC-…: <label>") and every decision value is absent for the monitor.
      const shown = [...qaText.matchAll(/decision DEC-[A-Za-z0-9-]+: ([A-Za-z][A-Za-z -]*[A-Za-z])/g)].map((m) => m[1]!);
      assert.ok(shown.length > 0, `${format}: QA sees decision values`);
      for (const value of new Set(shown)) assert.ok(!monitorText.includes(`: ${value}`), `${format}: the monitor's export shows ${value}`);
      assert.ok(!/"decision":\s*"/.test(monitorText), `${format}: a decision field`);
      if (format === 'OPENLINEAGE') {
        const decisions = entities(monitor.files[0]!.content).filter((e) => e.entityType === 'decision');
        assert.ok(decisions.length > 0 && decisions.every((e) => e.blinded === true && e.decision === undefined));
        assert.deepEqual(validateOpenLineage(JSON.parse(monitor.files[0]!.content) as unknown[]), []);
      }
      if (format === 'FHIR') {
        assert.match(monitorText, /ModelDecisionMade: \[blinded\]/);
        assert.deepEqual(validateFhir(JSON.parse(monitor.files[0]!.content)), []);
      }
    }
  });

  test("a site-scoped caller's export holds only their site's records and says it is not complete", async () => {
    const doc = await ok('site', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    assert.equal(doc.complete, false);
    const sites = new Set(entities(doc.files[0]!.content).flatMap((e) => ((e as { siteId?: string | null }).siteId ? [(e as { siteId: string }).siteId] : [])));
    assert.deepEqual([...sites], ['SITE-1']);
    const other = await run('site', { trialId: BLINDED_TRIAL, format: 'FHIR', siteId: 'SITE-2' });
    assert.equal(other.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
