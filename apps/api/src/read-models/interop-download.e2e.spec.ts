import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { EXPORT_DOWNLOAD_TTL_MS } from '@radledger/application';
import type { Clock } from '@radledger/platform';
import { appendInOrder, syntheticTrial } from '@radledger/projections';
import { startTwoTrialApi, TRIAL, type TwoTrialApi } from '../testing/two-trial-fixture.js';

const BLINDED_TRIAL = 'TRIAL-DL-BLIND';
const SUBJECT = 'SUBJ-000002';
const FILES = 'exportId format trialId siteId subjectId asOfPosition complete countsJson downloadExpiresAt files { path mediaType sha256 bytes downloadUrl }';
const EXPORT_INTEROP = `mutation ($input: ExportInteropInput!) { exportInterop(input: $input) { ${FILES} } }`;
const EXPORT_SR = `mutation ($input: ExportDicomSrInput!) { exportDicomSr(input: $input) { ${FILES} } }`;
const INLINE = `query ($trialId: String!, $format: InteropFormat!, $subjectId: String) {
  interopExport(trialId: $trialId, format: $format, subjectId: $subjectId) { complete countsJson files { path mediaType content sha256 } }
}`;

interface ExportFile { path: string; mediaType: string; sha256: string; bytes: number; downloadUrl: string }
interface Download { exportId: string; format: string; complete: boolean; countsJson: string; downloadExpiresAt: string; siteId: string | null; subjectId: string | null; files: ExportFile[] }
interface Inline { complete: boolean; countsJson: string; files: Array<{ path: string; mediaType: string; content: string; sha256: string }> }

const binary = (r: NodeJS.ReadableStream & { on: (e: string, f: (c?: Buffer) => void) => void }, done: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c) => chunks.push(c!));
  r.on('end', () => done(null, Buffer.concat(chunks)));
};
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('exportInterop and exportDicomSr over HTTP: stored once, downloaded through a link signed for one user that re-checks trial, sites, blinding and redaction (SQLite)', () => {
  let fx: TwoTrialApi;
  const tokens: Record<string, string> = {};
  const get = (url: string, bearer?: string) => {
    const req = request(fx.api.app.getHttpServer()).get(url).buffer(true).parse(binary as never);
    return bearer ? req.set('authorization', `Bearer ${bearer}`) : req;
  };
  const exportInterop = async (who: string, input: Record<string, unknown>): Promise<Download> => {
    const res = await fx.api.graphql<{ exportInterop: Download }>(tokens[who], EXPORT_INTEROP, { input });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!.exportInterop;
  };
  const inline = async (who: string, variables: Record<string, unknown>): Promise<Inline> => {
    const res = await fx.api.graphql<{ interopExport: Inline }>(tokens[who], INLINE, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!.interopExport;
  };
  const downloaded = async (url: string, bearer?: string): Promise<{ status: number; body: Buffer; type: string; disposition: string }> => {
    const r = await get(url, bearer);
    return { status: r.status, body: r.body as Buffer, type: String(r.headers['content-type']), disposition: String(r.headers['content-disposition']) };
  };
  const notFound = async (url: string, bearer?: string) => {
    const r = await downloaded(url, bearer);
    assert.equal(r.status, 404, url);
    assert.equal(JSON.parse(r.body.toString('utf8')).error.code, 'NOT_FOUND');
    assert.match(JSON.parse(r.body.toString('utf8')).error.message, /no such download \(the link is wrong, expired, or not yours\)/);
  };
  const deniedFor = async (userId: string) => (await fx.events()).filter((e) => e.type === 'AccessDenied' && e.meta.actor === userId).length;

  before(async () => {
    fx = await startTwoTrialApi();
    // The synthetic trial is registered with blinded: true.
    await appendInOrder(fx.api.application.runtime.store, syntheticTrial({ trialId: BLINDED_TRIAL, sites: 2, subjectsPerSite: 2, modalities: ['T1c'], editsPerSegmentation: 1, trainingSubjects: 1 }), 50);
    const grants = {
      qa: [{ role: 'qa' as const, trialId: BLINDED_TRIAL }],
      qa2: [{ role: 'qa' as const, trialId: BLINDED_TRIAL }],
      monitor: [{ role: 'monitor' as const, trialId: BLINDED_TRIAL }],
      other: [{ role: 'qa' as const, trialId: 'OTHER-01' }],
      site: [{ role: 'data-scientist' as const, trialId: BLINDED_TRIAL, siteId: 'SITE-1' }],
      scientist: [{ role: 'data-scientist' as const, trialId: TRIAL }],
    };
    for (const [who, g] of Object.entries(grants)) tokens[who] = await fx.api.tokenFor(`u-dl-${who}`, g);
    await fx.caughtUp();
  });
  after(async () => fx?.api.close());

  test('QA: each format is stored once and its links serve exactly the inline export (same bytes, same hash), for the caller only', async () => {
    for (const format of ['OPENLINEAGE', 'BIDS_PROV', 'FHIR']) {
      const args = { trialId: BLINDED_TRIAL, format, ...(format === 'BIDS_PROV' ? { subjectId: SUBJECT } : {}) };
      const shown = await inline('qa', args);
      const stored = await exportInterop('qa', args);
      assert.equal(stored.format, format);
      assert.equal(stored.complete, shown.complete);
      assert.equal(stored.countsJson, shown.countsJson);
      assert.deepEqual(stored.files.map((f) => [f.path, f.mediaType]), shown.files.map((f) => [f.path, f.mediaType]), format);
      const left = Date.parse(stored.downloadExpiresAt) - Date.now();
      assert.ok(left > 0 && left <= EXPORT_DOWNLOAD_TTL_MS, `expires within ${EXPORT_DOWNLOAD_TTL_MS} ms: ${left}`);
      for (const [i, file] of stored.files.entries()) {
        const r = await downloaded(file.downloadUrl);
        assert.equal(r.status, 200, `${format} ${file.path}`);
        assert.equal(sha256(r.body), file.sha256);
        assert.equal(r.body.length, file.bytes);
        assert.ok(r.type.startsWith(file.mediaType), `${r.type} for ${file.mediaType}`);
        assert.match(r.disposition, /attachment/);
        const text = r.body.toString('utf8');
        if (format === 'FHIR') {
          // The Bundle dates itself and records the export as an AuditEvent of its own: equal but for that.
          assert.deepEqual(withoutExportStamp(text), withoutExportStamp(shown.files[i]!.content));
        } else {
          assert.equal(text, shown.files[i]!.content, `${format} ${file.path}`);
          assert.equal(file.sha256, shown.files[i]!.sha256);
        }
      }
      assert.equal((await downloaded(stored.files[0]!.downloadUrl, tokens.qa)).status, 200, "with the same user's bearer token");
    }
  });

  test('an expired link, a tampered one, another user of the trial and a user of another trial all get the same 404', async () => {
    const stored = await exportInterop('qa', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    const url = new URL(stored.files[0]!.downloadUrl, 'http://x');
    const variant = (key: string, value: string) => {
      const v = new URL(url);
      v.searchParams.set(key, value);
      return `${v.pathname}${v.search}`;
    };
    await notFound(variant('expires', String(Date.now() + 2 * EXPORT_DOWNLOAD_TTL_MS)));
    await notFound(variant('user', 'u-dl-qa2'));
    await notFound(variant('sig', 'A'.repeat(43)));
    await notFound(`${url.pathname.replace(/[0-9a-f]{64}$/, 'f'.repeat(64))}${url.search}`);
    await notFound(stored.files[0]!.downloadUrl, tokens.qa2);
    await notFound(stored.files[0]!.downloadUrl, tokens.other);
    // The other trial's user may not export this trial at all.
    const refused = await fx.api.graphql(tokens.other, EXPORT_INTEROP, { input: { trialId: BLINDED_TRIAL, format: 'FHIR' } });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    // Expired: the same genuine link, read after its expiry (the runtime's clock moved past it).
    const runtime = fx.api.application.runtime as { clock: Clock };
    const clock = runtime.clock;
    runtime.clock = { now: () => new Date(Date.parse(stored.downloadExpiresAt) + 1) };
    try {
      await notFound(stored.files[0]!.downloadUrl);
    } finally {
      runtime.clock = clock;
    }
    assert.equal((await downloaded(stored.files[0]!.downloadUrl)).status, 200, 'still valid before its expiry');
  });

  test("a blinded trial's monitor downloads the same runs and resources with no decision value; a QA link stops when its user becomes a monitor", async () => {
    for (const format of ['OPENLINEAGE', 'FHIR']) {
      const qa = await exportInterop('qa', { trialId: BLINDED_TRIAL, format });
      const monitor = await exportInterop('monitor', { trialId: BLINDED_TRIAL, format });
      assert.equal(monitor.countsJson, qa.countsJson);
      const qaText = (await downloaded(qa.files[0]!.downloadUrl)).body.toString('utf8');
      const monitorFile = await downloaded(monitor.files[0]!.downloadUrl);
      assert.equal(monitorFile.status, 200);
      const monitorText = monitorFile.body.toString('utf8');
      const shown = [...qaText.matchAll(/decision DEC-[A-Za-z0-9-]+: ([A-Za-z][A-Za-z -]*[A-Za-z])/g)].map((m) => m[1]!);
      assert.ok(shown.length > 0, `${format}: QA's file has decision values`);
      for (const value of new Set(shown)) assert.ok(!monitorText.includes(`: ${value}`), `${format}: the monitor's file shows ${value}`);
      assert.ok(!/"decision":\s*"/.test(monitorText), `${format}: a decision field`);
      assert.match(monitorText, /blinded/);
    }
    // QA's unblinded file, once QA holds only a monitor grant: the link no longer serves it (and the refusal is recorded).
    const unblinded = await exportInterop('qa2', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    const blindedOne = await exportInterop('monitor', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    const before = await deniedFor('u-dl-qa2');
    await fx.api.tokenFor('u-dl-qa2', [{ role: 'monitor', trialId: BLINDED_TRIAL }]);
    await notFound(unblinded.files[0]!.downloadUrl);
    assert.equal(await deniedFor('u-dl-qa2'), before + 1);
    assert.equal((await downloaded(blindedOne.files[0]!.downloadUrl)).status, 200, "the monitor's own blinded file still serves");
  });

  test("a site-scoped caller's file keeps working at their site and stops when their grant moves to another site or trial", async () => {
    const stored = await exportInterop('site', { trialId: BLINDED_TRIAL, format: 'OPENLINEAGE' });
    assert.equal(stored.complete, false);
    assert.equal((await downloaded(stored.files[0]!.downloadUrl)).status, 200);
    await fx.api.tokenFor('u-dl-site', [{ role: 'data-scientist', trialId: BLINDED_TRIAL, siteId: 'SITE-2' }]);
    await notFound(stored.files[0]!.downloadUrl);
    await fx.api.tokenFor('u-dl-site', [{ role: 'data-scientist', trialId: 'OTHER-01' }]);
    await notFound(stored.files[0]!.downloadUrl);
  });

  test('exportDicomSr: a recorded feature set as DICOM SR TID 1500 with the SEG of its label-image mask; a redacted subject is SUBJECT_REDACTED, nothing appended, and its earlier link stops', async () => {
    const { featureSetId } = fx.records;
    const res = await fx.api.graphql<{ exportDicomSr: Download }>(tokens.scientist, EXPORT_SR, { input: { featureSetIds: [featureSetId] } });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const sr = res.data!.exportDicomSr;
    assert.equal(sr.format, 'DICOM_SR');
    assert.deepEqual(sr.files.map((f) => f.mediaType), ['application/dicom', 'application/dicom']);
    assert.match(sr.files[0]!.path, /^dicom-sr-.*\.dcm$/);
    assert.match(sr.files[1]!.path, new RegExp(`^dicom-seg-${featureSetId}\\.dcm$`));
    for (const file of sr.files) {
      const r = await downloaded(file.downloadUrl);
      assert.equal(r.status, 200);
      assert.equal(r.body.subarray(128, 132).toString('latin1'), 'DICM');
      assert.equal(sha256(r.body), file.sha256);
    }
    const report = (await downloaded(sr.files[0]!.downloadUrl)).body.toString('latin1');
    assert.ok(report.includes('1.2.840.10008.5.1.4.1.1.88.22'), 'Enhanced SR SOP class');
    // The same feature set gives the same report (stored once, content-addressed).
    const again = await fx.api.graphql<{ exportDicomSr: Download }>(tokens.scientist, EXPORT_SR, { input: { featureSetIds: [featureSetId] } });
    assert.equal(again.data!.exportDicomSr.files[0]!.sha256, sr.files[0]!.sha256);
    // A user of the other trial may neither export it nor use the link.
    const foreign = await fx.api.graphql(tokens.other, EXPORT_SR, { input: { featureSetIds: [featureSetId] } });
    assert.equal(foreign.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await notFound(sr.files[0]!.downloadUrl, tokens.other);

    // The subject is crypto-shredded by two people (ADR 0007).
    const commands = fx.api.application.runtime.commands;
    const operator = { correlationId: 'dl-redact', client: 'radledger-test' };
    const target = { eventId: fx.records.imageEventId, justification: 'PHI in a free-text field' };
    await commands.execute({ type: 'RedactPayload', data: target } as never, { ...operator, actor: 'reg-dl', role: 'regulatory' });
    await commands.execute({ type: 'RedactPayload', data: target } as never, { ...operator, actor: 'adm-dl', role: 'admin' });
    const head = (await fx.api.application.runtime.store.head()).size;
    const refused = await fx.api.graphql(tokens.scientist, EXPORT_SR, { input: { featureSetIds: [featureSetId] } });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'SUBJECT_REDACTED', JSON.stringify(refused.errors));
    assert.match(refused.errors![0]!.message, /^featureSetIds\[0\]: subject .* was redacted/);
    assert.equal((await fx.api.application.runtime.store.head()).size, head, 'nothing appended');
    await notFound(sr.files[0]!.downloadUrl);
  });
});

/** A FHIR Bundle without what depends on when it was made: its own AuditEvent of the export and the time stamps. */
function withoutExportStamp(text: string): unknown {
  const bundle = JSON.parse(text) as { timestamp?: string; meta?: { lastUpdated?: string }; entry: Array<{ fullUrl?: string; resource: { resourceType: string; type?: { code?: string }; recorded?: string } }> };
  const stamp = bundle.meta?.lastUpdated ?? bundle.timestamp;
  const entries = bundle.entry.filter((e) => !(e.resource.resourceType === 'AuditEvent' && e.resource.recorded === stamp));
  assert.equal(bundle.entry.length - entries.length, 1, 'one AuditEvent of the export itself');
  return { ...bundle, timestamp: null, meta: null, id: null, entry: entries };
}
