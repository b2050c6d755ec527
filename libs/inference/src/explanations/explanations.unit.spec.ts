import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { explainDecision } from './decision-explanation.js';
import { modelMargin, readExplainableModel, type TreeEnsembleModel } from './explainable-model.js';
import { expectedValue, nodeCovers, treeShap } from './tree-shap.js';
import { bruteForceShapley, marginWithBaseline, treePathConditionalExpectation } from '../testing/brute-force-shapley.js';
import { unsupportedOperatorOnnx } from '../demo-models/onnx-model.builders.js';
import { referenceLogisticProbability, referenceTreeEnsembleScores } from '../testing/onnx-reference-scoring.js';

const MODELS = join(process.cwd(), 'models');
const catalogue = JSON.parse(readFileSync(join(MODELS, 'models.json'), 'utf8')) as { models: Array<{ id: string; version: number; file: string; featureCodes: string[]; trainingData: { trainedOn: string[] } }> };
const cohort = JSON.parse(readFileSync(join(MODELS, 'synthetic-cohort.json'), 'utf8')) as { subjects: Array<{ partition: string; features: Record<string, number> }> };
const entry = (id: string, version: number) => catalogue.models.find((m) => m.id === id && m.version === version)!;
const rows = (codes: string[], partitions: string[]) => cohort.subjects.filter((s) => partitions.includes(s.partition)).map((s) => codes.map((c) => s.features[c]!));
const logit = (p: number) => Math.log(p / (1 - p));

const mgmt = entry('mgmt-trees', 1);
const mgmtBytes = readFileSync(join(MODELS, mgmt.file));
const mgmtModel = readExplainableModel(mgmtBytes) as TreeEnsembleModel;
// The trees were grown on the train partition: its rows give every node its training cover.
const mgmtReference = rows(mgmt.featureCodes, mgmt.trainingData.trainedOn);
const mgmtCovers = nodeCovers(mgmtModel, mgmtReference);
const testRows = rows(mgmt.featureCodes, ['test']).slice(0, 25);

test('the tree ensemble read from the locked bytes scores like the ONNX reference traversal (log-odds of class 1)', () => {
  assert.equal(mgmtModel.kind, 'tree-ensemble');
  assert.equal(mgmtModel.trees.length, 53);
  assert.equal(mgmtModel.outputSpace, 'log-odds');
  for (const row of testRows) {
    const [p0, p1] = referenceTreeEnsembleScores(mgmtBytes, row);
    assert.ok(Math.abs(modelMargin(mgmtModel, row) - Math.log(p1! / p0!)) < 1e-5);
  }
});

test('TreeSHAP equals brute-force Shapley values (all 2^7 subsets, tree-path conditional expectation) on the demo trees to 1e-9', () => {
  for (const row of testRows) {
    const fast = treeShap(mgmtModel, mgmtCovers, row);
    const slow = bruteForceShapley(mgmtModel.featureCount, (s) => treePathConditionalExpectation(mgmtModel, mgmtCovers, row, s));
    assert.ok(fast.some((v) => Math.abs(v) > 1e-3), 'a row the trees respond to');
    for (let j = 0; j < fast.length; j++) assert.ok(Math.abs(fast[j]! - slow[j]!) < 1e-9, `feature ${j}: TreeSHAP ${fast[j]} vs brute force ${slow[j]}`);
  }
});

test('TreeSHAP is additive: Σ φ = f(x) − E[f] in log-odds, E[f] = the mean margin over the reference rows', () => {
  const e = expectedValue(mgmtModel, mgmtCovers);
  const meanMargin = mgmtReference.reduce((s, r) => s + modelMargin(mgmtModel, r), 0) / mgmtReference.length;
  assert.ok(Math.abs(e - meanMargin) < 1e-9, `E[f] ${e} vs mean margin ${meanMargin}`);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: testRows.length - 1 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 7, maxLength: 7 }), (k, jitter) => {
      const row = testRows[k]!.map((v, j) => v * (1 + 0.1 * jitter[j]!));
      const phi = treeShap(mgmtModel, mgmtCovers, row);
      const sum = phi.reduce((a, b) => a + b, 0);
      return Math.abs(sum - (modelMargin(mgmtModel, row) - e)) < 1e-9;
    }),
    { numRuns: 200 },
  );
});

test('a feature no tree splits on gets exactly 0; the explanation names the features in model order', () => {
  const explanation = explainDecision({ model: mgmtModel, featureCodes: mgmt.featureCodes, row: testRows[0]!, reference: mgmtReference });
  assert.equal(explanation.method, 'tree-shap-path-dependent');
  assert.deepEqual(explanation.contributions.map((c) => c.featureCode), mgmt.featureCodes);
  const used = new Set(mgmtModel.trees.flatMap((t) => [...t.feature].filter((_, i) => t.mode[i] !== 'LEAF')));
  mgmt.featureCodes.forEach((code, j) => {
    if (!used.has(j)) assert.equal(explanation.contributions[j]!.contribution, 0, `${code} is never split on`);
  });
  assert.ok(explanation.additivityError < 1e-9);
});

for (const version of [1, 2]) {
  test(`idh-logreg v${version}: linear contributions are exactly the Shapley values with the reference mean as baseline, and additive in log-odds`, () => {
    const idh = entry('idh-logreg', version);
    const bytes = readFileSync(join(MODELS, idh.file));
    const model = readExplainableModel(bytes);
    assert.equal(model.kind, 'linear');
    const reference = rows(idh.featureCodes, idh.trainingData.trainedOn);
    for (const row of rows(idh.featureCodes, ['test']).slice(0, 10)) {
      assert.ok(Math.abs(modelMargin(model, row) - logit(referenceLogisticProbability(bytes, row))) < 1e-5);
      const explanation = explainDecision({ model: bytes, featureCodes: idh.featureCodes, row, reference });
      assert.equal(explanation.outputSpace, 'log-odds');
      const baseline = reference[0]!.map((_, j) => Math.fround(reference.reduce((s, r) => s + Math.fround(r[j]!), 0) / reference.length));
      const exact = bruteForceShapley(model.featureCount, (s) => marginWithBaseline(model, row, baseline, s));
      explanation.contributions.forEach((c, j) => assert.ok(Math.abs(c.contribution - exact[j]!) < 1e-12, `${c.featureCode}: ${c.contribution} vs ${exact[j]}`));
      assert.ok(Math.abs(explanation.expectedValue - marginWithBaseline(model, row, baseline, 0)) < 1e-12);
      assert.ok(explanation.additivityError < 1e-12);
    }
  });
}

test('models that cannot be explained exactly are refused, bad rows are refused with the field', () => {
  const idh = entry('idh-logreg', 1);
  const bytes = readFileSync(join(MODELS, idh.file));
  assert.throws(() => readExplainableModel(new Uint8Array([1, 2, 3])), { code: 'MODEL_INVALID' });
  assert.throws(() => readExplainableModel(unsupportedOperatorOnnx()), { code: 'EXPLANATION_UNSUPPORTED', message: /FrobnicateRadiomics/ });
  assert.throws(() => explainDecision({ model: bytes, featureCodes: idh.featureCodes, row: [1, 2], reference: [] }), { code: 'FEATURES_INVALID', message: /row/ });
  assert.throws(() => explainDecision({ model: bytes, featureCodes: idh.featureCodes, row: idh.featureCodes.map(() => 1), reference: [] }), { code: 'REQUIRED', message: /reference/ });
  assert.throws(() => nodeCovers(mgmtModel, [mgmtReference[0]!]), { code: 'EXPLANATION_REFERENCE_INVALID' });
});
