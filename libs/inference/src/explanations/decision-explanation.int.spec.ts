import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxPredictor } from '../onnx-predictor.adapter.js';
import { explainDecision } from './decision-explanation.js';

/**
 * The explanation is computed from the locked bytes without onnxruntime; here onnxruntime runs the
 * same bytes, and expected value + Σ contributions must give back the runtime's own output.
 */
const MODELS = join(process.cwd(), 'models');
const catalogue = JSON.parse(readFileSync(join(MODELS, 'models.json'), 'utf8')) as { models: Array<{ id: string; file: string; featureCodes: string[]; trainingData: { trainedOn: string[] }; probabilityOutput: { name: string; column: number } }> };
const cohort = JSON.parse(readFileSync(join(MODELS, 'synthetic-cohort.json'), 'utf8')) as { subjects: Array<{ partition: string; features: Record<string, number> }> };

for (const m of catalogue.models) {
  test(`${m.file}: expected value + Σ contributions = onnxruntime's output in log-odds (float32 tolerance)`, async () => {
    const bytes = readFileSync(join(MODELS, m.file));
    const rows = (partitions: string[]) => cohort.subjects.filter((s) => partitions.includes(s.partition)).map((s) => m.featureCodes.map((c) => s.features[c]!));
    const reference = rows(m.trainingData.trainedOn);
    const tests = rows(['test']).slice(0, 20);
    const session = await new OnnxPredictor().open(bytes);
    try {
      const out = await session.run({ name: 'features', data: Float32Array.from(tests.flat()), dims: [tests.length, m.featureCodes.length] });
      const probabilities = out[m.probabilityOutput.name]!;
      const width = probabilities.dims[1] as number;
      tests.forEach((row, i) => {
        const p = probabilities.data[i * width + m.probabilityOutput.column]!;
        const e = explainDecision({ model: bytes, featureCodes: m.featureCodes, row, reference });
        const reconstructed = e.expectedValue + e.contributions.reduce((s, c) => s + c.contribution, 0);
        // onnxruntime sums in float32: ~1e-5 relative to the logit's size.
        const runtime = Math.log(p / (1 - p));
        assert.ok(Math.abs(reconstructed - runtime) < 5e-5 * Math.max(1, Math.abs(runtime)), `row ${i}: ${reconstructed} vs runtime logit ${runtime}`);
      });
    } finally {
      await session.release();
    }
  });
}
