import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createEventValidator } from '@radledger/domain';
import { PostgresEventStore, SqliteEventStore, verifyInclusion, type RecordedEvent } from '@radledger/ledger';
import { appendInOrder, PostgresReadModelStore, ProjectionRunner, readModelProjections, SqliteReadModelStore, syntheticTrial, type ReadModelStore } from '@radledger/projections';
import { collectInteropRecords, proveActivities, pushOpenLineageEvents, renderInterop, toOpenLineageEvents, type InteropSource, type LeafSource, type OpenLineageRunEvent } from '@radledger/interop';
import { checkBidsProv, fhirValidator, openLineageValidator } from './testing/interop-validators.js';

const TRIAL = 'TRIAL-IOP';
const POSTGRES_URL = process.env['RADLEDGER_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const trial = () => syntheticTrial({ trialId: TRIAL, sites: 2, subjectsPerSite: 2, modalities: ['T1c'], editsPerSegmentation: 1, trainingSubjects: 1 });
const GENERATED_AT = '2026-03-01T12:00:00.000Z';
const SOFTWARE = { name: 'RadLedger', version: '0.1.0-test' };

async function sourceFrom(readModels: ReadModelStore, ledger: LeafSource, scope: { trialId: string; siteId?: string; subjectId?: string }): Promise<InteropSource> {
  const records = await collectInteropRecords(readModels, scope);
  return { ...records, proofs: await proveActivities(ledger, records), generatedAt: GENERATED_AT, software: SOFTWARE };
}

describe('interoperability exports of a synthetic trial on a real SQLite ledger and read store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readModels: SqliteReadModelStore;
  let events: RecordedEvent[];
  let trialSource: InteropSource;
  let subjectSource: InteropSource;
  const validateOpenLineage = openLineageValidator();
  const validateFhir = fhirValidator();

  const sourceOf = (scope: { trialId: string; siteId?: string; subjectId?: string }) => sourceFrom(readModels, store, scope);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-interop-'));
    store = new SqliteEventStore({ path: join(dir, 'ledger.db'), validator: createEventValidator() });
    await appendInOrder(store, trial(), 50);
    readModels = new SqliteReadModelStore(join(dir, 'ledger.db'));
    const runner = new ProjectionRunner(store, readModels, readModelProjections);
    await runner.rebuild();
    events = await store.readAll(0, 10_000);
    trialSource = await sourceOf({ trialId: TRIAL });
    const subjectId = String((events.find((e) => e.type === 'ModelDecisionMade')!.data as { subjectId: string }).subjectId);
    subjectSource = await sourceOf({ trialId: TRIAL, subjectId });
  });
  after(async () => {
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('OpenLineage: a START and a COMPLETE per preprocessing, segmentation, feature computation and decision, valid against the OpenLineage 2.0.2 schema and the facet schemas', () => {
    const doc = renderInterop('OPENLINEAGE', trialSource);
    const runEvents = JSON.parse(doc.files[0]!.content) as OpenLineageRunEvent[];
    assert.deepEqual(validateOpenLineage(runEvents), []);
    const recorded = (type: string) => events.filter((e) => e.type === type).length;
    const expectedRuns = recorded('PreprocessingApplied') + recorded('SegmentationCreated') + recorded('SegmentationEdited') + recorded('FeaturesComputed') + recorded('ModelDecisionMade');
    assert.ok(expectedRuns > 10);
    assert.equal(runEvents.length, 2 * expectedRuns);
    const byRun = new Map<string, string[]>();
    for (const e of runEvents) byRun.set(e.run.runId, [...(byRun.get(e.run.runId) ?? []), e.eventType]);
    for (const [runId, types] of byRun) {
      assert.deepEqual(types, ['START', 'COMPLETE'], runId);
      assert.ok(events.some((e) => e.eventId === runId), `run ${runId} is a ledger event id`);
    }
    const jobs = new Set(runEvents.map((e) => e.job.name.split('.')[0]));
    assert.deepEqual([...jobs].sort(), ['feature-computation', 'model-decision', 'preprocessing', 'segmentation', 'segmentation-edit']);
  });

  test('OpenLineage datasets are named by content hash: images, masks, feature sets and models by their bytes, decisions by their ledger leaf', () => {
    const runEvents = toOpenLineageEvents(trialSource, { namespace: 'radledger://test' });
    const names = new Set(runEvents.flatMap((e) => [...e.inputs, ...e.outputs]).map((d) => `${String(d['namespace'])}|${String(d['name'])}`));
    for (const name of names) assert.match(name, /^radledger:\/\/test\|sha256:[0-9a-f]{64}$/);
    const hashes = (type: string, field: string) => events.filter((e) => e.type === type).map((e) => String((e.data as Record<string, unknown>)[field]));
    for (const sha of [...hashes('SegmentationCreated', 'maskSha256'), ...hashes('FeaturesComputed', 'resultSha256'), ...hashes('PreprocessingApplied', 'outputSha256')]) {
      assert.ok(names.has(`radledger://test|sha256:${sha}`), `dataset sha256:${sha}`);
    }
    const decision = events.find((e) => e.type === 'ModelDecisionMade')!;
    const run = runEvents.find((e) => e.eventType === 'COMPLETE' && e.run.runId === decision.eventId)!;
    assert.equal(run.outputs[0]!['name'], `sha256:${decision.hash}`);
    const model = events.find((e) => e.type === 'ModelRegistered')!;
    assert.ok(run.inputs.some((d) => d['name'] === `sha256:${String((model.data as { artifactSha256: string }).artifactSha256)}`));
  });

  test('the inclusion-proof facet verifies against its root, and a decision carries the lock of its model version', () => {
    const runEvents = toOpenLineageEvents(trialSource);
    const complete = runEvents.filter((e) => e.eventType === 'COMPLETE');
    for (const e of complete) {
      const p = e.run.facets['radledger_inclusionProof'] as { leafIndex: number; treeSize: number; leafHash: string; auditPath: string[]; rootHash: string; eventId: string };
      assert.equal(p.eventId, e.run.runId);
      verifyInclusion(p.leafIndex, p.treeSize, Buffer.from(p.leafHash, 'hex'), p.auditPath.map((h) => Buffer.from(h, 'hex')), Buffer.from(p.rootHash, 'hex'));
    }
    const lock = events.find((e) => e.type === 'ModelLocked')!;
    const decisions = complete.filter((e) => e.job.name.startsWith('model-decision.'));
    assert.ok(decisions.length > 0);
    for (const e of decisions) {
      const facet = e.run.facets['radledger_modelLock'] as Record<string, unknown>;
      assert.equal(facet['locked'], true);
      assert.equal(facet['lockEventId'], lock.eventId);
      assert.equal(typeof facet['hashMatches'], 'boolean');
    }
    // A proof whose path was tampered with does not verify.
    const p = complete[0]!.run.facets['radledger_inclusionProof'] as { leafIndex: number; treeSize: number; leafHash: string; auditPath: string[]; rootHash: string };
    const bad = p.auditPath.map((h, i) => (i === 0 ? `${h[0] === '0' ? '1' : '0'}${h.slice(1)}` : h));
    assert.throws(() => verifyInclusion(p.leafIndex, p.treeSize, Buffer.from(p.leafHash, 'hex'), bad.map((h) => Buffer.from(h, 'hex')), Buffer.from(p.rootHash, 'hex')));
  });

  test('FHIR: a Bundle of one Provenance per derived artefact and one AuditEvent per change plus the export, valid against the FHIR R4 JSON Schema', () => {
    const doc = renderInterop('FHIR', trialSource);
    const bundle = JSON.parse(doc.files[0]!.content) as { resourceType: string; type: string; entry: Array<{ fullUrl: string; resource: Record<string, unknown> }> };
    assert.deepEqual(validateFhir(bundle), []);
    assert.equal(bundle.type, 'collection');
    const of = (t: string) => bundle.entry.filter((e) => e.resource['resourceType'] === t).map((e) => e.resource);
    const derived = events.filter((e) => ['PreprocessingApplied', 'SegmentationCreated', 'SegmentationEdited', 'FeaturesComputed', 'ModelDecisionMade'].includes(e.type)).length;
    assert.equal(of('Provenance').length, derived);
    assert.equal(of('AuditEvent').length, trialSource.audit.length + 1);
    assert.equal(doc.counts['auditEvents'], trialSource.audit.length + 1);
    const featureEvent = events.find((e) => e.type === 'FeaturesComputed')!;
    const sha = String((featureEvent.data as { resultSha256: string }).resultSha256);
    const provenance = of('Provenance').find((p) => JSON.stringify(p['target']).includes(sha))!;
    assert.ok(provenance, 'the feature set Provenance targets its result hash');
    assert.ok(JSON.stringify(provenance['entity']).includes('derivation'));
    // A broken resource is refused by the same schema (the validator is not vacuous).
    const broken = structuredClone(bundle);
    delete (broken.entry[0]!.resource as Record<string, unknown>)['recorded'];
    (broken.entry[0]!.resource as Record<string, unknown>)['unknownElement'] = 1;
    assert.notDeepEqual(validateFhir(broken), []);
  });

  test('the OpenLineage schema refuses a RunEvent without a run id or with a bad event type (the validator is not vacuous)', () => {
    const runEvents = toOpenLineageEvents(trialSource).slice(0, 2) as unknown as Array<Record<string, unknown>>;
    const bad = structuredClone(runEvents);
    (bad[0]!['run'] as Record<string, unknown>)['runId'] = 'not-a-uuid';
    bad[1]!['eventType'] = 'FINISHED';
    assert.equal(validateOpenLineage(bad).filter((p) => !p.where.includes('facet')).length, 2);
  });

  test('BIDS-Prov: files for one subject with the structure of the BEP028 examples; a whole trial is SUBJECT_REQUIRED', () => {
    const doc = renderInterop('BIDS_PROV', subjectSource);
    assert.deepEqual(checkBidsProv(doc.files), []);
    assert.deepEqual(
      doc.files.map((f) => f.path),
      ['prov/prov-radledger/prov-radledger_act.json', 'prov/prov-radledger/prov-radledger_soft.json', 'prov/prov-radledger/prov-radledger_ent.json', 'prov/provenance.tsv', 'prov/prov-radledger/prov-radledger.prov.jsonld'],
    );
    const merged = JSON.parse(doc.files[4]!.content) as { Records: { Activities: Array<{ Label: string }>; Entities: Array<{ Digest?: Record<string, string> }> } };
    const subjectEvents = events.filter((e) => (e.data as { subjectId?: string }).subjectId === subjectSource.scope.subjectId);
    const mask = subjectEvents.find((e) => e.type === 'SegmentationCreated')!;
    assert.ok(merged.Records.Entities.some((e) => e.Digest?.['SHA-256'] === (mask.data as { maskSha256: string }).maskSha256));
    assert.ok(merged.Records.Activities.length >= 4);
    assert.throws(() => renderInterop('BIDS_PROV', trialSource), (e: Error & { code?: string }) => e.code === 'SUBJECT_REQUIRED' && /subjectId/.test(e.message));
  });

  test('PostgreSQL (ledger and read models) gives byte-identical documents', async () => {
    const suffix = randomBytes(5).toString('hex');
    const schemas = [`rl_iol_${suffix}`, `rl_ior_${suffix}`];
    const pgStore = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema: schemas[0]!, validator: createEventValidator() });
    const pgRead = new PostgresReadModelStore(`${POSTGRES_URL}?schema=${schemas[1]}`);
    try {
      await appendInOrder(pgStore, trial(), 50);
      await new ProjectionRunner(pgStore, pgRead, readModelProjections).rebuild();
      for (const scope of [trialSource.scope, subjectSource.scope]) {
        const fromPg = await sourceFrom(pgRead, pgStore, scope);
        for (const format of scope.subjectId ? (['OPENLINEAGE', 'FHIR', 'BIDS_PROV'] as const) : (['OPENLINEAGE', 'FHIR'] as const)) {
          const sqlite = renderInterop(format, scope.subjectId ? subjectSource : trialSource);
          assert.deepEqual(renderInterop(format, fromPg).files.map((f) => f.sha256), sqlite.files.map((f) => f.sha256), `${format} ${JSON.stringify(scope)}`);
        }
      }
    } finally {
      await pgRead.close();
      await pgStore.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  test('the same source renders the same bytes', () => {
    for (const format of ['OPENLINEAGE', 'FHIR', 'BIDS_PROV'] as const) {
      assert.deepEqual(renderInterop(format, subjectSource).files.map((f) => f.sha256), renderInterop(format, subjectSource).files.map((f) => f.sha256));
    }
  });

  describe('push to an OpenLineage HTTP endpoint', () => {
    let server: Server;
    let received: Array<{ path: string; auth: string | undefined; body: OpenLineageRunEvent }>;
    let failAfter = Infinity;
    let base: string;
    before(async () => {
      received = [];
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          if (received.length >= failAfter) {
            res.writeHead(503).end('busy');
            return;
          }
          received.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) as OpenLineageRunEvent });
          res.writeHead(201).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    test('every event is POSTed in order to /api/v1/lineage; a refusal is OPENLINEAGE_PUSH_FAILED naming the run', async () => {
      const runEvents = toOpenLineageEvents(subjectSource);
      const result = await pushOpenLineageEvents(runEvents, { url: base, apiKey: 'k-1' });
      assert.equal(result.sent, runEvents.length);
      assert.equal(result.endpoint, `${base}/api/v1/lineage`);
      assert.deepEqual(received.map((r) => r.body), runEvents);
      assert.ok(received.every((r) => r.path === '/api/v1/lineage' && r.auth === 'Bearer k-1'));
      received = [];
      failAfter = 3;
      await assert.rejects(pushOpenLineageEvents(runEvents, { url: base }), (e: Error & { code?: string }) => e.code === 'OPENLINEAGE_PUSH_FAILED' && e.message.includes('503') && e.message.includes(runEvents[3]!.run.runId));
      await assert.rejects(pushOpenLineageEvents(runEvents, { url: 'ftp://example.org' }), (e: Error & { code?: string }) => e.code === 'ENDPOINT_INVALID');
    });
  });
});
