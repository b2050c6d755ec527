import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { DomainError, FixedClock, NotFoundError, uuidV7IdGenerator } from '@radledger/platform';
import { PostgresEventStore, SqliteEventStore, verifyChain, type EventStore, type RecordedEvent } from '@radledger/ledger';
import { CommandService, type CommandMetadata } from './command.service.js';
import type { WorkflowCommand } from '../registry.js';
import type { Mask, MaskSource } from '../segmentation/mask-source.port.js';
import { createEventValidator } from '../schemas/schema-registry.adapter.js';
import { streamIds } from '../shared/stream-ids.js';

/** A real MaskSource adapter over memory: masks keyed by the sha256 of their voxels. */
class InMemoryMaskSource implements MaskSource {
  private readonly masks = new Map<string, Mask>();
  put(mask: Mask): string {
    const sha = createHash('sha256').update(JSON.stringify({ dims: mask.dims, spacing: mask.spacing })).update(mask.data).digest('hex');
    this.masks.set(sha, mask);
    return sha;
  }
  async loadMask(sha256: string): Promise<Mask> {
    const m = this.masks.get(sha256);
    if (!m) throw new NotFoundError(`maskSha256: no mask artifact ${sha256}`, { field: 'maskSha256' });
    return m;
  }
}

/** The machine's PostgreSQL for *.int.spec.ts (trust auth). */
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function cube(dims: [number, number, number], from: number, to: number): Uint8Array {
  const d = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let z = from; z < to; z++) for (let y = from; y < to; y++) for (let x = from; x < to; x++) d[x + dims[0] * (y + dims[1] * z)] = 1;
  return d;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected DomainError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, nothing thrown`);
}

/** The whole workflow, ≥ 20 successful commands plus every refusal on the way; returns nothing, asserts everything. */
async function runWholeTrial(store: EventStore): Promise<void> {
  {
    const masks = new InMemoryMaskSource();
    const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
    const svc = new CommandService({ store, clock, ids: uuidV7IdGenerator, masks, validator: createEventValidator() });
    const operator: CommandMetadata = { actor: 'op-1', role: 'site-operator', correlationId: 'corr-1', client: 'radledger-test/0.1' };
    const qa: CommandMetadata = { ...operator, actor: 'qa-1', role: 'qa' };
    let commands = 0;
    const run = async (c: WorkflowCommand, m: CommandMetadata = operator) => {
      clock.advance(1000);
      const r = await svc.execute(c, m);
      commands++;
      return r;
    };

    await run({ type: 'RegisterTrial', data: { trialId: 'GLIO-01', title: 'Radiomics IDH prediction in adult glioma', sponsor: 'RadLedger Consortium' } });
    await run({ type: 'EnrollSite', data: { trialId: 'GLIO-01', siteId: 'SITE-A', name: 'Site A' } });
    await run({ type: 'EnrollSite', data: { trialId: 'GLIO-01', siteId: 'SITE-B', name: 'Site B' } });
    await run({
      type: 'DefineImagingProtocol',
      data: { trialId: 'GLIO-01', protocolId: 'T1C-3T', modality: 'T1c', fieldStrengthT: 3, trMs: { min: 400, max: 800 }, teMs: { min: 5, max: 20 }, contrast: { injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } } },
    });
    await run({ type: 'EnrollSubject', data: { trialId: 'GLIO-01', siteId: 'SITE-A', subjectId: 'GLIO01-A-0001' } });
    await run({ type: 'EnrollSubject', data: { trialId: 'GLIO-01', siteId: 'SITE-B', subjectId: 'GLIO01-B-0002' } });

    const acq = (imageId: string, subjectId: string, siteId: string, injectionRateMlPerS: number): WorkflowCommand => ({
      type: 'AcquireImage',
      data: { imageId, trialId: 'GLIO-01', siteId, subjectId, modality: 'T1c', scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 1, contrast: { agent: 'gadobutrol', injectionRateMlPerS, delayS: 90 }, artifactSha256: sha(`${imageId}-raw`) },
    });
    const img1 = await run(acq('IMG-1', 'GLIO01-A-0001', 'SITE-A', 3));
    assert.deepEqual(img1.events.map((e) => e.type), ['ImageAcquired']);
    const img2 = await run(acq('IMG-2', 'GLIO01-B-0002', 'SITE-B', 6));
    assert.deepEqual(img2.events.map((e) => e.type), ['ImageAcquired', 'ProtocolDeviationDetected']);

    const n4 = sha('IMG-1-n4');
    await run({ type: 'ApplyPreprocessing', data: { imageId: 'IMG-1', tool: 'N4BiasFieldCorrection', toolVersion: '2.5.0', parameters: { shrinkFactor: 4 }, inputSha256: sha('IMG-1-raw'), outputSha256: n4 } });

    const dims: [number, number, number] = [8, 8, 8];
    const spacing: [number, number, number] = [1, 1, 1];
    const m1 = masks.put({ dims, spacing, data: cube(dims, 2, 6) }); // 64 voxels
    const m2 = masks.put({ dims, spacing, data: cube(dims, 2, 5) }); // 27 voxels, inside m1
    const wrongGrid = masks.put({ dims: [8, 8, 4], spacing, data: new Uint8Array(256) });
    const seg = await run({ type: 'CreateSegmentation', data: { segmentationId: 'SEG-1', versionId: 'SEG-1-v1', imageId: 'IMG-1', imageSha256: n4, method: 'semi-automatic', tool: 'ITK-SNAP', toolVersion: '4.0', region: 'enhancing-tumour', maskSha256: m1 } });
    assert.equal(seg.events[0]!.data.voxelCount, '64');

    const before = (await store.head()).size;
    await expectCode(run({ type: 'EditSegmentation', data: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', maskSha256: wrongGrid, reason: 'boundary' } }), 'MASK_GRID_MISMATCH');
    await expectCode(run({ type: 'EditSegmentation', data: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', maskSha256: m2 } }), 'REASON_REQUIRED');
    await expectCode(run({ type: 'EditSegmentation', data: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v9', maskSha256: m2, reason: 'x' } }), 'NOT_FOUND');
    await expectCode(run({ type: 'EnrollSubject', data: { trialId: 'GLIO-01', siteId: 'SITE-A', subjectId: 'SMITH^JOHN' } }), 'PHI_REJECTED');
    await expectCode(run({ type: 'EnrollSite', data: { trialId: 'GLIO-01', siteId: 'SITE-C', name: 'Site C' } }, { ...operator, expectedRevision: 2 }), 'STREAM_REVISION_CONFLICT');
    assert.equal((await store.head()).size, before, 'nothing is appended when a command fails');

    const edit = await run({ type: 'EditSegmentation', data: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', versionId: 'SEG-1-v2', maskSha256: m2, reason: 'Excluded vessel at the anterior margin' } });
    const edited = edit.events[0]!.data as { diceVsParent: number; volumeChangeMm3: number };
    assert.equal(edited.diceVsParent, Math.round(((2 * 27) / (64 + 27)) * 1e9) / 1e9);
    assert.equal(edited.volumeChangeMm3, -37);
    await run({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG-1', versionId: 'SEG-1-v2', verdict: 'accepted' } }, qa);

    const settings = {
      resamplingMm: [1, 1, 1] as [number, number, number],
      interpolation: { image: 'linear' as const, mask: 'linear' as const, maskThreshold: 0.5 },
      discretisation: { method: 'fixed-bin-size' as const, binWidth: 25, binCount: null },
      resegmentationRange: null,
      outlierSigma: null,
      aggregation: '3D-merged' as const,
    };
    await run({ type: 'ComputeFeatures', data: { featureSetId: 'FS-1', imageId: 'IMG-1', imageSha256: n4, segmentationId: 'SEG-1', maskVersionId: 'SEG-1-v2', extractor: { name: 'radledger-radiomics', version: '0.1.0' }, settings, features: { Q4LE: 1.2, RNU0: 0.3 }, provenance: 'computed' } });
    await run({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS-1', partition: 'test' } });

    const model = (version: string, artifact: string): WorkflowCommand => ({
      type: 'RegisterModel',
      data: {
        modelId: 'IDH-LR',
        version,
        artifactSha256: sha(artifact),
        inputs: [{ name: 'features', type: 'float32', shape: ['batch', 2] }],
        outputs: [{ name: 'probability', type: 'float32', shape: ['batch', 2] }],
        intendedUse: 'IDH mutation status from T1c radiomics, adult glioma',
        featureCodes: ['Q4LE', 'RNU0'],
        decisionRule: { threshold: 0.5, positiveLabel: 'IDH-mutant', negativeLabel: 'IDH-wildtype' },
        trainingLineage: { featureSetIds: [], trialIds: ['GLIO-00'], partitions: ['train', 'tune'] },
        performance: [{ metric: 'AUC', value: 0.81, ciLower: 0.74, ciUpper: 0.88, dataset: 'GLIO-00 tune' }],
      },
    });
    const reg1 = await run(model('1.0.0', 'onnx-1'));
    await expectCode(run({ type: 'LockModel', data: { modelId: 'IDH-LR', version: '1.0.0', trialId: 'GLIO-01' } }, qa), 'APPROVAL_SIGNATURE_REQUIRED');
    const regulatory: CommandMetadata = { ...operator, actor: 'reg-1', role: 'regulatory' };
    await run({ type: 'SignRecord', data: { eventId: reg1.events[0]!.eventId, meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory);
    await expectCode(run({ type: 'SignRecord', data: { eventId: reg1.events[0]!.eventId, meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory), 'SIGNATURE_DUPLICATE');
    await expectCode(run({ type: 'SignRecord', data: { eventId: '0190aaaa-0000-7000-8000-000000000000', meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory), 'NOT_FOUND');
    await run({ type: 'LockModel', data: { modelId: 'IDH-LR', version: '1.0.0', trialId: 'GLIO-01' } }, qa);

    await expectCode(run({ type: 'MakeDecision', data: { decisionId: 'DEC-X', modelId: 'IDH-LR', modelVersion: '1.0.0', modelSha256: sha('tampered'), featureSetId: 'FS-1', outputs: { probability: 0.7 }, threshold: 0.5, decision: 'IDH-mutant' } }), 'MODEL_HASH_MISMATCH');
    const dec = await run({ type: 'MakeDecision', data: { decisionId: 'DEC-1', modelId: 'IDH-LR', modelVersion: '1.0.0', modelSha256: sha('onnx-1'), featureSetId: 'FS-1', outputs: { probability: 0.7 }, threshold: 0.5, decision: 'IDH-mutant' } });
    const signed = await run({ type: 'SignRecord', data: { eventId: dec.events[0]!.eventId, streamId: dec.streamId, meaning: 'responsible', printedName: 'Dr. A. Neuro' } }, { ...operator, actor: 'rad-1', role: 'qa' });
    assert.equal(signed.events[0]!.data.eventHash, dec.events[0]!.hash, 'the signature binds the decision hash (11.70)');
    assert.equal(signed.streamId, streamIds.signatures(dec.events[0]!.eventId));

    // A second version only under the PCCP.
    await run({ type: 'RecordChangeControlPlan', data: { modelId: 'IDH-LR', planId: 'PCCP-1', whatMayChange: 'Coefficients re-estimated on more training data', validationProtocol: 'Hold-out test partition AUC', acceptanceCriteria: 'AUC lower CI >= 0.70' } });
    const reg2 = await run(model('1.1.0', 'onnx-2'));
    await run({ type: 'SignRecord', data: { eventId: reg2.events[0]!.eventId, meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory);
    await expectCode(run({ type: 'LockModel', data: { modelId: 'IDH-LR', version: '1.1.0', trialId: 'GLIO-01' } }, qa), 'VALIDATION_REQUIRED');
    await run({ type: 'RecordModelValidation', data: { modelId: 'IDH-LR', version: '1.1.0', planId: 'PCCP-1', results: { AUC: 0.83, AUC_ciLower: 0.75 }, passed: true, summary: 'Met acceptance criteria' } }, qa);
    const lock2 = await run({ type: 'LockModel', data: { modelId: 'IDH-LR', version: '1.1.0', trialId: 'GLIO-01' } }, qa);
    assert.equal(lock2.events[0]!.data.supersedesVersion, '1.0.0');
    await expectCode(run({ type: 'MakeDecision', data: { modelId: 'IDH-LR', modelVersion: '1.0.0', modelSha256: sha('onnx-1'), featureSetId: 'FS-1', outputs: { probability: 0.7 }, threshold: 0.5, decision: 'IDH-mutant' } }), 'MODEL_NOT_LOCKED');
    await run({ type: 'OverrideDecision', data: { decisionId: 'DEC-1', decision: 'IDH-wildtype', reason: 'Molecular pathology result available' } }, qa);

    // Idempotent retry: the same commandId twice appends once and answers the same events.
    const retryMeta = { ...operator, commandId: 'cmd-enroll-site-c' };
    const first = await run({ type: 'EnrollSite', data: { trialId: 'GLIO-01', siteId: 'SITE-C', name: 'Site C' } }, retryMeta);
    const sizeAfterFirst = (await store.head()).size;
    const again = await run({ type: 'EnrollSite', data: { trialId: 'GLIO-01', siteId: 'SITE-C', name: 'Site C' } }, retryMeta);
    assert.equal(again.replayed, true);
    assert.deepEqual(again.events.map((e: RecordedEvent) => e.eventId), first.events.map((e) => e.eventId));
    assert.equal((await store.head()).size, sizeAfterFirst);

    // PHI that slipped into a reason anyway: two people redact it; the chain still verifies.
    const admin: CommandMetadata = { ...operator, actor: 'adm-1', role: 'admin' };
    const editEventId = edit.events[0]!.eventId;
    await expectCode(run({ type: 'RedactPayload', data: { eventId: editEventId, justification: 'Free text named a relative' } }, operator), 'REDACTION_ROLE_REQUIRED');
    const req = await run({ type: 'RedactPayload', data: { eventId: editEventId, justification: 'Free text named a relative' } }, regulatory);
    assert.equal(req.events[0]!.type, 'RedactionRequested');
    await expectCode(run({ type: 'RedactPayload', data: { eventId: editEventId, justification: 'Free text named a relative' } }, { ...regulatory, actor: 'reg-2' }), 'REDACTION_ROLE_DUPLICATE');
    const red = await run({ type: 'RedactPayload', data: { eventId: editEventId, justification: 'Confirmed' } }, admin);
    assert.equal(red.events[0]!.type, 'PayloadRedacted');
    assert.equal(red.events[0]!.data.eventHash, edit.events[0]!.hash);

    assert.ok(commands >= 20, `ran ${commands} successful commands`);
    const all = await store.readAll(0);
    const verified = await verifyChain(all);
    assert.equal(verified.size, all.length);
    assert.equal(verified.lastHash, (await store.head()).lastHash);
  }
}

test('a whole trial from RegisterTrial to a signed decision: CommandService on a SQLite file, ledger verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-domain-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), validator: createEventValidator() });
  try {
    await runWholeTrial(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same trial on PostgreSQL (fresh schema, dropped after)', async () => {
  const schema = `domain_${randomBytes(6).toString('hex')}`;
  const store = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema, validator: createEventValidator() });
  try {
    await runWholeTrial(store);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});

test('concurrent commands on one stream are re-decided, not lost; a pinned stale revision is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-domain-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), validator: createEventValidator() });
  try {
    const svc = new CommandService({ store, clock: new FixedClock(new Date('2026-03-01T09:00:00.000Z')), ids: uuidV7IdGenerator, masks: new InMemoryMaskSource() });
    const m: CommandMetadata = { actor: 'op-1', role: 'site-operator', correlationId: 'c', client: 'test' };
    await svc.execute({ type: 'RegisterTrial', data: { trialId: 'T', title: 't', sponsor: 's' } }, m);
    const sites = ['S1', 'S2', 'S3'];
    const results = await Promise.all(sites.map((siteId) => svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId, name: siteId } }, m)));
    assert.deepEqual(results.map((r) => r.nextExpectedRevision).sort(), [1, 2, 3]);
    assert.equal((await store.readStream('trial-T')).length, 4);
    // A second writer on the same store (as another process would be): lost races are re-decided.
    const other = new CommandService({ store, clock: new FixedClock(new Date('2026-03-01T09:00:00.000Z')), ids: uuidV7IdGenerator, masks: new InMemoryMaskSource() });
    await Promise.all(['X1', 'X2'].flatMap((siteId) => [svc, other].map((s, i) => s.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: `${siteId}-${i}`, name: siteId } }, m))));
    assert.equal((await store.readStream('trial-T')).length, 8);
    const ok = await svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S4', name: 'S4' } }, { ...m, expectedRevision: 7 });
    assert.equal(ok.nextExpectedRevision, 8);
    await expectCode(svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S5', name: 'S5' } }, { ...m, expectedRevision: 7 }), 'STREAM_REVISION_CONFLICT');
    await expectCode(svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S5', name: 'S5', color: 'red' } as never }, m), 'INPUT_INVALID');
    await expectCode(svc.execute({ type: 'DropTables', data: {} } as never, m), 'UNKNOWN_COMMAND');
    await expectCode(svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S5', name: 'S5' } }, { ...m, reason: 'per DOE^JOHN' }), 'PHI_REJECTED');
    await expectCode(svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S5', name: 'S5' } }, { ...m, actor: '' }), 'METADATA_INVALID');
    assert.equal((await store.head()).size, 9, 'refused commands appended nothing');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('subjects are their own streams: concurrent enrolments from two PostgreSQL writers never conflict and never touch the trial stream', async () => {
  const schema = `domain_${randomBytes(6).toString('hex')}`;
  // Two stores with their own connection pools on one schema: two API replicas, as far as the ledger can tell.
  const a = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema, validator: createEventValidator() });
  const b = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema, validator: createEventValidator() });
  try {
    const svc = (store: PostgresEventStore) => new CommandService({ store, clock: new FixedClock(new Date('2026-03-01T09:00:00.000Z')), ids: uuidV7IdGenerator, masks: new InMemoryMaskSource() });
    const [first, second] = [svc(a), svc(b)];
    const m: CommandMetadata = { actor: 'op-1', role: 'site-operator', correlationId: 'c', client: 'test' };
    await first.execute({ type: 'RegisterTrial', data: { trialId: 'T', title: 't', sponsor: 's' } }, m);
    await first.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S1', name: 'S1' } }, m);
    const trialBefore = (await a.readStream('trial-T')).length;
    const enrol = (s: CommandService, i: number) => s.execute({ type: 'EnrollSubject', data: { trialId: 'T', siteId: 'S1', subjectId: `T-S1-${String(i).padStart(4, '0')}` } }, m);
    const results = await Promise.allSettled(Array.from({ length: 120 }, (_, i) => enrol(i % 2 ? first : second, i)));
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.equal((await a.readStream('trial-T')).length, trialBefore, 'enrolments leave the trial stream alone');
    assert.equal((await b.readStream('subject-T/T-S1-0007'))[0]?.type, 'SubjectEnrolled');
    // The same subject from both writers at once: exactly one enrolment, the other told why.
    const twice = await Promise.allSettled([enrol(first, 9999), enrol(second, 9999)]);
    assert.equal(twice.filter((r) => r.status === 'fulfilled').length, 1);
    assert.match(String((twice.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason?.code), /SUBJECT_ALREADY_ENROLLED/);
    // Images of an enrolled subject check its site against the subject's own stream.
    const image = { imageId: 'I1', trialId: 'T', siteId: 'S1', subjectId: 'T-S1-0007', modality: 'T1' as const, scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 1, artifactSha256: 'a'.repeat(64) };
    assert.equal((await second.execute({ type: 'AcquireImage', data: image }, m)).events[0]?.type, 'ImageAcquired');
    await expectCode(second.execute({ type: 'AcquireImage', data: { ...image, imageId: 'I2', subjectId: 'T-S1-5000' } }, m), 'NOT_FOUND');
  } finally {
    await a.close();
    await b.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});
