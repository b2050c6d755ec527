import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@radledger/artifacts';
import { DecisionExplainer, explanationDifferences } from './decision-explainer.js';
import { encodeExplanationReference } from './explanation-reference.js';

const MODELS = join(process.cwd(), 'models');
const catalogue = JSON.parse(readFileSync(join(MODELS, 'models.json'), 'utf8')) as { models: Array<{ id: string; version: number; file: string; featureCodes: string[]; trainingData: { trainedOn: string[] } }> };
const cohort = JSON.parse(readFileSync(join(MODELS, 'synthetic-cohort.json'), 'utf8')) as { subjects: Array<{ partition: string; features: Record<string, number> }> };
const rows = (codes: string[], partitions: string[]) => cohort.subjects.filter((s) => partitions.includes(s.partition)).map((s) => codes.map((c) => s.features[c]!));

/** An artifact store that keeps bytes by sha256 (the explainer re-hashes what it reads). */
function memoryStore() {
  const blobs = new Map<string, Buffer>();
  return {
    put: (bytes: Uint8Array) => {
      const sha = sha256Hex(bytes);
      blobs.set(sha, Buffer.from(bytes));
      return sha;
    },
    get: async (sha: string) => {
      const b = blobs.get(sha);
      if (!b) throw new Error(`no artifact ${sha}`);
      return b;
    },
  };
}

for (const m of catalogue.models) {
  test(`${m.id} v${m.version}: explanations from stored bytes are additive to 1e-9 and bit-identical when recomputed`, async () => {
    const store = memoryStore();
    const modelSha256 = store.put(readFileSync(join(MODELS, m.file)));
    const referenceSha256 = store.put(encodeExplanationReference(m.featureCodes, rows(m.featureCodes, m.trainingData.trainedOn)));
    const explainer = new DecisionExplainer(store);
    const checked = await explainer.checkReference(modelSha256, referenceSha256, m.featureCodes);
    assert.equal(checked.rows, rows(m.featureCodes, m.trainingData.trainedOn).length);
    for (const row of rows(m.featureCodes, ['test']).slice(0, 10)) {
      const e = await explainer.explain({ modelSha256, referenceSha256, featureCodes: m.featureCodes, row });
      const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
      assert.ok(Math.abs(sum - (e.modelOutput - e.expectedValue)) <= 1e-9, `${sum} vs ${e.modelOutput - e.expectedValue}`);
      assert.deepEqual(e.reference, { sha256: referenceSha256, rows: checked.rows });
      // A fresh explainer (no cache) on the same bytes gives the same numbers exactly: what reproduceDecision compares.
      const again = await new DecisionExplainer(store).explain({ modelSha256, referenceSha256, featureCodes: m.featureCodes, row });
      assert.deepEqual(explanationDifferences(JSON.parse(JSON.stringify(e)), again), []);
    }
  });
}

test('a reference is refused when it does not answer the model: other codes, or tree nodes no row reaches', async () => {
  const mgmt = catalogue.models.find((m) => m.id === 'mgmt-trees')!;
  const store = memoryStore();
  const modelSha256 = store.put(readFileSync(join(MODELS, mgmt.file)));
  const explainer = new DecisionExplainer(store);
  const reordered = [...mgmt.featureCodes].reverse();
  const wrongCodes = store.put(encodeExplanationReference(reordered, rows(reordered, ['train'])));
  await assert.rejects(explainer.checkReference(modelSha256, wrongCodes, mgmt.featureCodes), { code: 'EXPLANATION_REFERENCE_INVALID' });
  const oneRow = store.put(encodeExplanationReference(mgmt.featureCodes, rows(mgmt.featureCodes, ['train']).slice(0, 1)));
  await assert.rejects(explainer.checkReference(modelSha256, oneRow, mgmt.featureCodes), { code: 'EXPLANATION_REFERENCE_INVALID' });
  const notJson = store.put(new TextEncoder().encode('Q4LE,ECT3\n1,2\n'));
  await assert.rejects(explainer.checkReference(modelSha256, notJson, mgmt.featureCodes), { code: 'EXPLANATION_REFERENCE_INVALID' });
});

test('explanationDifferences names each contribution that differs, even when the sum still adds up', async () => {
  const idh = catalogue.models.find((m) => m.id === 'idh-logreg' && m.version === 1)!;
  const store = memoryStore();
  const modelSha256 = store.put(readFileSync(join(MODELS, idh.file)));
  const referenceSha256 = store.put(encodeExplanationReference(idh.featureCodes, rows(idh.featureCodes, ['train'])));
  const e = await new DecisionExplainer(store).explain({ modelSha256, referenceSha256, featureCodes: idh.featureCodes, row: rows(idh.featureCodes, ['test'])[0]! });
  const moved = { ...e, contributions: e.contributions.map((c, j) => (j === 0 ? { ...c, contribution: c.contribution + 0.25 } : j === 1 ? { ...c, contribution: c.contribution - 0.25 } : c)) };
  const diffs = explanationDifferences(moved, e);
  assert.equal(diffs.length, 2);
  assert.match(diffs[0]!, /^explanation\.contributions\.Q4LE\.contribution: recorded /);
  assert.match(diffs[1]!, /^explanation\.contributions\.ECT3\.contribution: recorded /);
  assert.deepEqual(explanationDifferences(null, null), []);
  assert.equal(explanationDifferences(null, e).length, 1);
});
