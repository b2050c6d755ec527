import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoModels } from './build-demo-models.js';

const modelsDir = join(process.cwd(), 'models');

test('training the demo models twice gives byte-identical files, equal to the committed ones', async () => {
  const first = await buildDemoModels();
  const second = await buildDemoModels();
  assert.deepEqual([...first.files.keys()].sort(), [
    'MODELS.md',
    'idh-logreg-v1.onnx',
    'idh-logreg-v2.onnx',
    'mgmt-trees-v1.onnx',
    'models.json',
    'synthetic-cohort.json',
  ]);
  for (const [name, bytes] of first.files) {
    assert.ok(Buffer.from(bytes).equals(Buffer.from(second.files.get(name) as Uint8Array)), `${name} differs between runs`);
    assert.ok(
      Buffer.from(bytes).equals(readFileSync(join(modelsDir, name))),
      `models/${name} is not what npm run train-demo-models produces: re-run it and commit the result`,
    );
  }
});

test('the catalogue lists each model file with its sha256, inputs, threshold and a test AUC with its CI', () => {
  const catalogue = JSON.parse(readFileSync(join(modelsDir, 'models.json'), 'utf8')) as {
    models: Array<{
      file: string;
      sha256: string;
      featureCodes: string[];
      inputs: Array<{ shape: Array<number | string> }>;
      threshold: number;
      performance: { value: number; ci95: { lower: number; upper: number } };
      trainingData: { trainedOn: string[]; tunedOn: string[] };
    }>;
  };
  assert.equal(catalogue.models.length, 3);
  for (const m of catalogue.models) {
    const bytes = readFileSync(join(modelsDir, m.file));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), m.sha256, m.file);
    assert.equal(m.inputs[0]?.shape[1], m.featureCodes.length);
    assert.ok(m.threshold > 0 && m.threshold < 1);
    const { value, ci95 } = m.performance;
    assert.ok(ci95.lower < value && value < ci95.upper && ci95.lower > 0.5 && ci95.upper <= 1, `${m.file}: ${JSON.stringify(m.performance)}`);
    // Test-set sequestration: no model was trained or tuned on the test partition.
    assert.ok(![...m.trainingData.trainedOn, ...m.trainingData.tunedOn].includes('test'));
  }
});
