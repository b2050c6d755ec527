// One model decision end to end on SQLite (locked-version check + re-verified model bytes +
// session.run + ModelDecisionMade append through the CommandService) against raw
// onnxruntime session.run of the same model in the same run; then decisions/s when many
// are made at once (group commit). Bounded: a few hundred decisions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxPredictor } from '@radledger/inference';
import { openRuntime } from '@radledger/application';
import type { CommandMetadata, WorkflowCommand } from '@radledger/domain';
import { fixtureImage, fixtureMask } from '../apps/api/src/testing/imaging-fixtures.js';

const SINGLE = 300;
const BATCH = 256;

const meta = (actor: string, role: string): CommandMetadata => ({ actor, role, correlationId: 'bench', client: 'bench' });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-decision-bench-'));
  const runtime = await openRuntime({ store: `sqlite:${join(dir, 'ledger.db')}`, dataDir: dir, signingKeyPath: join(dir, 'key.pem') });
  try {
    const exec = (c: WorkflowCommand, actor = 'admin', role = 'admin') => runtime.commands.execute(c, meta(actor, role));
    await exec({ type: 'RegisterTrial', data: { trialId: 'T', title: 'bench', sponsor: 's' } });
    await exec({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'S', name: 'S' } });
    await exec({ type: 'EnrollSubject', data: { trialId: 'T', siteId: 'S', subjectId: 'B-001' } });
    const image = await runtime.artifacts.put(fixtureImage(1));
    const mask = await runtime.artifacts.put(fixtureMask());
    await exec({ type: 'AcquireImage', data: { imageId: 'I', trialId: 'T', siteId: 'S', subjectId: 'B-001', modality: 'T1c', scanner: { vendor: 'GE', model: 'x' }, fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 2, artifactSha256: image.sha256 } }, 'op', 'site-operator');
    await exec({ type: 'CreateSegmentation', data: { segmentationId: 'G', versionId: 'G1', imageId: 'I', imageSha256: image.sha256, method: 'manual', tool: 't', toolVersion: '1', region: 'whole-tumour', maskSha256: mask.sha256 } }, 'op', 'site-operator');

    const cohort = JSON.parse(readFileSync('models/synthetic-cohort.json', 'utf8')) as { subjects: Array<{ features: Record<string, number> }> };
    const total = SINGLE + BATCH;
    for (let i = 0; i < total; i++) {
      await exec({
        type: 'ComputeFeatures',
        data: { featureSetId: `F${i}`, imageId: 'I', imageSha256: image.sha256, segmentationId: 'G', maskVersionId: 'G1', extractor: { name: 'bench', version: '1' }, settings: IBSI_SUMMARY, features: cohort.subjects[i % cohort.subjects.length]!.features, provenance: 'imported' } as never,
      }, 'ds', 'data-scientist');
    }
    const onnx = readFileSync('models/idh-logreg-v1.onnx');
    const model = await runtime.artifacts.put(onnx);
    const registered = await runtime.models.register(
      {
        modelId: 'M', version: '1', artifactSha256: model.sha256, intendedUse: 'bench', featureCodes: ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'QCFX', 'RNU0'],
        decisionRule: { threshold: 0.31, positiveLabel: 'IDH-mutant', negativeLabel: 'IDH-wildtype', probabilityOutput: { name: 'probability', column: 0 } },
        trainingLineage: { featureSetIds: [], trialIds: ['SYN'], partitions: ['train'] }, performance: [{ metric: 'AUC', value: 0.9, dataset: 'synthetic' }],
      },
      meta('ds', 'data-scientist'),
    );
    await exec({ type: 'SignRecord', data: { eventId: registered.events[0]!.eventId, meaning: 'approved', printedName: 'R' } }, 'reg', 'regulatory');
    await exec({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T' } }, 'reg', 'regulatory');

    // Raw onnxruntime: the same model, one row per run.
    const session = await new OnnxPredictor().open(onnx);
    const row = new Float32Array([0.1, 0.7, 0.1, 5, 0.7, 98000]);
    const raw: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const t = performance.now();
      await session.run({ name: session.signature.inputs[0]!.name, data: row, dims: [1, 6] });
      raw.push(performance.now() - t);
    }
    const single: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const t = performance.now();
      await runtime.models.decide({ decisionId: `D${i}`, modelId: 'M', modelVersion: '1', featureSetId: `F${i}` }, meta('op', 'site-operator'));
      single.push(performance.now() - t);
    }
    const t0 = performance.now();
    await Promise.all(Array.from({ length: BATCH }, (_, k) => runtime.models.decide({ decisionId: `B${k}`, modelId: 'M', modelVersion: '1', featureSetId: `F${SINGLE + k}` }, meta('op', 'site-operator'))));
    const batchMs = performance.now() - t0;
    const rawBatch = new Float32Array(BATCH * 6).map((_, i) => row[i % 6]!);
    const t1 = performance.now();
    await session.run({ name: session.signature.inputs[0]!.name, data: rawBatch, dims: [BATCH, 6] });
    const rawBatchMs = performance.now() - t1;
    await session.release();

    console.log(`decision bench: idh-logreg v1 on SQLite (WAL, synchronous=FULL), ${SINGLE} single decisions, ${BATCH} concurrent`);
    console.log(`raw session.run, 1 row           p50 ${pct(raw, 50).toFixed(3)} ms  p95 ${pct(raw, 95).toFixed(3)} ms`);
    console.log(`decision end to end (lock check + verified bytes + run + append)  p50 ${pct(single, 50).toFixed(3)} ms  p95 ${pct(single, 95).toFixed(3)} ms; target p95 < 5 ms (ratio ${(pct(single, 95) / 5).toFixed(2)})`);
    console.log(`${BATCH} decisions at once: ${batchMs.toFixed(1)} ms = ${Math.round((BATCH / batchMs) * 1000)} decisions/s (raw batch session.run of ${BATCH} rows: ${rawBatchMs.toFixed(3)} ms)`);
    console.log(`  the end-to-end cost is the ledger append and its reads (${(batchMs / BATCH).toFixed(2)} ms per decision) — inference itself is ${((rawBatchMs / batchMs) * 100).toFixed(2)} % of it`);
    const report = await runtime.ledger.verifyLedger();
    console.log(`ledger verify after the bench: OK, ${report.size} events`);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const IBSI_SUMMARY = {
  resamplingMm: null,
  interpolation: { image: 'none', mask: 'none', maskThreshold: null },
  discretisation: { method: 'fixed-bin-number', binWidth: null, binCount: 32 },
  resegmentationRange: null,
  outlierSigma: null,
  aggregation: '3D-merged',
};
