// Locked-model decision cost vs raw onnxruntime inference, in the same process and run.
// Run: npm run bench (all benches) or
//   node --import @swc-node/register/esm-register bench/inference.bench.ts
// The ledger append of a decision is not included here (measured by the decision use case).
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ort from 'onnxruntime-node';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { LockedModelRunner, OnnxPredictor, type LockedModelSpec, type ModelVerificationMode } from '@radledger/inference';

interface CatalogueEntry {
  id: string;
  version: number;
  file: string;
  sha256: string;
  featureCodes: string[];
  threshold: number;
  labels: { positive: string; negative: string };
  probabilityOutput: { name: string; column: number };
}

const SINGLE_ITERATIONS = 3000;
const WARMUP = 300;
const BATCH_SIZE = 256;
const BATCH_ITERATIONS = 200;

export async function run(): Promise<void> {
  const modelsDir = join(process.cwd(), 'models');
  const catalogue = JSON.parse(readFileSync(join(modelsDir, 'models.json'), 'utf8')) as { models: CatalogueEntry[] };
  const cohort = (JSON.parse(readFileSync(join(modelsDir, 'synthetic-cohort.json'), 'utf8')) as {
    subjects: Array<{ features: Record<string, number> }>;
  }).subjects.map((s) => s.features);
  const root = await mkdtemp(join(tmpdir(), 'radledger-bench-inference-'));
  try {
    const store = new FileSystemArtifactStore(root);
    console.log(`inference bench: ${SINGLE_ITERATIONS} single decisions, ${BATCH_ITERATIONS} batches of ${BATCH_SIZE} per path`);
    for (const m of catalogue.models.filter((x) => x.version === 1)) {
      const bytes = readFileSync(join(modelsDir, m.file));
      await store.put(bytes);
      const spec: LockedModelSpec = {
        expectedSha256: m.sha256,
        featureCodes: m.featureCodes,
        threshold: m.threshold,
        labels: m.labels,
        probabilityOutput: m.probabilityOutput,
      };
      const width = m.featureCodes.length;
      const rowsOf = (sets: Array<Record<string, number>>) => Float32Array.from(sets.flatMap((s) => m.featureCodes.map((c) => s[c] as number)));

      // Raw: one onnxruntime session, same options as OnnxPredictor, tensors prepared in advance.
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
      const singleTensors = cohort.slice(0, 100).map((s) => new ort.Tensor('float32', rowsOf([s]), [1, width]));
      const batchSets = Array.from({ length: BATCH_SIZE }, (_, i) => cohort[i % cohort.length] as Record<string, number>);
      const batchTensor = new ort.Tensor('float32', rowsOf(batchSets), [BATCH_SIZE, width]);
      const rawSingle = await timeEach(SINGLE_ITERATIONS, (i) => session.run({ features: singleTensors[i % singleTensors.length] as ort.Tensor }));
      const rawBatch = await timeEach(BATCH_ITERATIONS, () => session.run({ features: batchTensor }));
      await session.release();

      // Steady state: the locked file was stored long before (racy window elapsed), so the stat
      // fingerprint vouches for it; and the always-re-hash alternative for comparison.
      const paths: Array<[string, ModelVerificationMode]> = [
        ['runner, stat fingerprint', 'stat-fingerprint'],
        ['runner, re-hash every run', 'rehash-every-run'],
      ];
      console.log(`\n${m.id} v${m.version} (${m.file}, ${bytes.length} bytes, ${width} features)`);
      console.log(line('raw session.run', rawSingle, rawBatch));
      for (const [label, verification] of paths) {
        const runner = new LockedModelRunner({ artifactStore: store, predictor: new OnnxPredictor(), verification, racyWindowMs: -1 });
        const single = await timeEach(SINGLE_ITERATIONS, (i) => runner.decide(spec, cohort[i % 100] as Record<string, number>));
        const batch = await timeEach(BATCH_ITERATIONS, () => runner.decideBatch(spec, batchSets));
        await runner.close();
        console.log(line(label, single, batch));
        console.log(
          `    overhead vs raw: single p50 ×${(single.p50 / rawSingle.p50).toFixed(2)} (+${((single.p50 - rawSingle.p50) * 1000).toFixed(1)} µs), ` +
            `batch ×${(batch.mean / rawBatch.mean).toFixed(3)} (+${(((batch.mean - rawBatch.mean) / rawBatch.mean) * 100).toFixed(1)} %)`,
        );
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

interface Timing {
  p50: number;
  p95: number;
  mean: number;
}

/** Milliseconds per call after a warm-up, calls strictly one after another. */
async function timeEach(iterations: number, call: (i: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.min(WARMUP, iterations); i += 1) await call(i);
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i += 1) {
    const start = process.hrtime.bigint();
    await call(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const sorted = Array.from(samples).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  return { p50: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

function line(label: string, single: Timing, batch: Timing): string {
  return (
    `  ${label.padEnd(28)} single p50 ${ms(single.p50)} p95 ${ms(single.p95)} (${Math.round(1000 / single.mean)} decisions/s) | ` +
    `batch ${BATCH_SIZE}: ${ms(batch.mean)} per batch, ${Math.round((BATCH_SIZE * 1000) / batch.mean)} decisions/s`
  );
}

function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
