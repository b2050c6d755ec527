import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DomainError } from '@radledger/platform';
import { FileSystemArtifactStore, type ArtifactStore } from '@radledger/artifacts';
import { LockedModelRunner, OnnxPredictor, type LockedModelSpec } from '@radledger/inference';
import { referenceLogisticProbability, referenceTreeEnsembleScores } from './testing/onnx-reference-scoring.js';

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
interface CohortSubject {
  subjectId: string;
  partition: string;
  features: Record<string, number>;
}

const modelsDir = join(process.cwd(), 'models');
const catalogue = JSON.parse(readFileSync(join(modelsDir, 'models.json'), 'utf8')) as { models: CatalogueEntry[] };
const cohort = (JSON.parse(readFileSync(join(modelsDir, 'synthetic-cohort.json'), 'utf8')) as { subjects: CohortSubject[] }).subjects;
const testSubjects = cohort.filter((s) => s.partition === 'test');
const entry = (file: string) => catalogue.models.find((m) => m.file === file) as CatalogueEntry;
const specOf = (m: CatalogueEntry): LockedModelSpec => ({
  expectedSha256: m.sha256,
  featureCodes: m.featureCodes,
  threshold: m.threshold,
  labels: m.labels,
  probabilityOutput: m.probabilityOutput,
});
const IDH = entry('idh-logreg-v1.onnx');
const IDH_V2 = entry('idh-logreg-v2.onnx');
const MGMT = entry('mgmt-trees-v1.onnx');
const modelBytes = (m: CatalogueEntry) => readFileSync(join(modelsDir, m.file));
const rowOf = (m: CatalogueEntry, features: Record<string, number>) => m.featureCodes.map((c) => features[c] as number);

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** Rewrites a stored artifact in place (same inode, same size) with one byte flipped. */
async function flipOneByteInPlace(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  await chmod(path, 0o644);
  await writeFile(path, bytes);
}

describe('LockedModelRunner on the committed models, real onnxruntime sessions', () => {
  let root: string;
  let store: FileSystemArtifactStore;
  let runner: LockedModelRunner;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'radledger-inference-'));
    store = new FileSystemArtifactStore(root);
    for (const m of catalogue.models) assert.equal((await store.put(modelBytes(m))).sha256, m.sha256);
    runner = new LockedModelRunner({ artifactStore: store, predictor: new OnnxPredictor() });
  });
  after(async () => {
    await runner.close();
    await rm(root, { recursive: true, force: true });
  });

  test('the catalogue sha256s are the sha256s of the committed files', () => {
    for (const m of catalogue.models) assert.equal(createHash('sha256').update(modelBytes(m)).digest('hex'), m.sha256, m.file);
  });

  test('logistic regression: every test subject equals the plain-TS logistic formula within 1e-6', async () => {
    const bytes = modelBytes(IDH);
    const decisions = await runner.decideBatch(specOf(IDH), testSubjects.map((s) => s.features));
    assert.equal(decisions.length, testSubjects.length);
    decisions.forEach((d, i) => {
      const expected = referenceLogisticProbability(bytes, rowOf(IDH, (testSubjects[i] as CohortSubject).features));
      assert.ok(Math.abs(d.probability - expected) <= 1e-6, `${i}: ${d.probability} vs ${expected}`);
      assert.deepEqual(d.outputs, { probability: [d.probability] });
      assert.equal(d.decision, d.probability >= IDH.threshold ? 'IDH-mutant' : 'IDH-wildtype');
      assert.equal(d.verifiedSha256, IDH.sha256);
      assert.equal(d.threshold, IDH.threshold);
    });
    assert.ok(decisions.some((d) => d.decision === 'IDH-mutant') && decisions.some((d) => d.decision === 'IDH-wildtype'));
  });

  test('tree ensemble: every test subject equals a plain-TS tree traversal within 1e-6', async () => {
    const bytes = modelBytes(MGMT);
    const decisions = await runner.decideBatch(specOf(MGMT), testSubjects.map((s) => s.features));
    decisions.forEach((d, i) => {
      const [p0, p1] = referenceTreeEnsembleScores(bytes, rowOf(MGMT, (testSubjects[i] as CohortSubject).features)) as [number, number];
      const [q0, q1] = d.outputs.probabilities as [number, number];
      assert.ok(Math.abs(q0 - p0) <= 1e-6 && Math.abs(q1 - p1) <= 1e-6, `${i}: [${q0}, ${q1}] vs [${p0}, ${p1}]`);
      assert.equal(d.probability, q1);
      assert.deepEqual(d.outputs.label, [p1 > p0 ? 1 : 0]);
      assert.equal(d.decision, q1 >= MGMT.threshold ? 'MGMT-methylated' : 'MGMT-unmethylated');
      assert.equal(d.verifiedSha256, MGMT.sha256);
    });
  });

  test('for any finite feature values the runtime matches the references (property)', async () => {
    const value = fc.double({ min: -1e5, max: 1e5, noNaN: true, noDefaultInfinity: true });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(value, { minLength: 7, maxLength: 7 }), { minLength: 1, maxLength: 20 }), async (rows) => {
        const sets = rows.map((r) => Object.fromEntries(MGMT.featureCodes.map((c, j) => [c, r[j] as number])));
        const trees = await runner.decideBatch(specOf(MGMT), sets);
        const logistic = await runner.decideBatch(specOf(IDH), sets);
        sets.forEach((set, i) => {
          const p = referenceTreeEnsembleScores(modelBytes(MGMT), rowOf(MGMT, set))[1] as number;
          assert.ok(Math.abs((trees[i] as { probability: number }).probability - p) <= 1e-6);
          const q = referenceLogisticProbability(modelBytes(IDH), rowOf(IDH, set));
          assert.ok(Math.abs((logistic[i] as { probability: number }).probability - q) <= 1e-6);
        });
      }),
      { numRuns: 60 },
    );
  });

  test('a batch gives exactly the decisions of the same feature sets one by one', async () => {
    const sets = testSubjects.slice(0, 40).map((s) => s.features);
    for (const m of [IDH, MGMT]) {
      const batch = await runner.decideBatch(specOf(m), sets);
      const singles = [];
      for (const set of sets) singles.push(await runner.decide(specOf(m), set));
      assert.deepEqual(batch, singles);
    }
    assert.deepEqual(await runner.decideBatch(specOf(IDH), []), []);
  });

  test('inputs are mapped by IBSI code, whatever the key order or extra codes of the feature set', async () => {
    const features = (testSubjects[0] as CohortSubject).features;
    const reversed = Object.fromEntries(Object.entries(features).reverse());
    const withExtras = { ...features, YEKZ: 12345, 'TU9B@ITBB': 3.1 };
    const a = await runner.decide(specOf(IDH), features);
    assert.deepEqual(await runner.decide(specOf(IDH), reversed), a);
    assert.deepEqual(await runner.decide(specOf(IDH), withExtras), a);
    assert.deepEqual(a.inputs, IDH.featureCodes.map((c) => Math.fround(features[c] as number)));
    assert.deepEqual(a.featureCodes, IDH.featureCodes);
  });

  test('missing features are FEATURES_MISSING naming every missing code, nothing is decided', async () => {
    const { Q4LE: _mean, RNU0: _volume, ...rest } = (testSubjects[0] as CohortSubject).features;
    const error = await rejectsWithCode(runner.decide(specOf(IDH), rest), 'FEATURES_MISSING');
    assert.match(error.message, /^features: missing .*Q4LE, RNU0/);
    assert.deepEqual(error.details.missing, [{ index: 0, codes: ['Q4LE', 'RNU0'] }]);
    const batchError = await rejectsWithCode(
      runner.decideBatch(specOf(IDH), [(testSubjects[0] as CohortSubject).features, rest, { QCFX: 0.5 }]),
      'FEATURES_MISSING',
    );
    assert.deepEqual(batchError.details.missing, [
      { index: 1, codes: ['Q4LE', 'RNU0'] },
      { index: 2, codes: ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'RNU0'] },
    ]);
    assert.match(batchError.message, /^featureSets: /);
  });

  test('NaN, Infinity, float32 overflow and non-numbers are FEATURES_INVALID naming them', async () => {
    const base = (testSubjects[0] as CohortSubject).features;
    const error = await rejectsWithCode(
      runner.decide(specOf(IDH), { ...base, ECT3: Number.NaN, KE2A: Number.POSITIVE_INFINITY, QCFX: 1e39, RNU0: '42' as unknown as number }),
      'FEATURES_INVALID',
    );
    assert.deepEqual(error.details.invalid, [{ index: 0, codes: ['ECT3', 'KE2A', 'QCFX', 'RNU0'] }]);
    assert.match(error.message, /ECT3, KE2A, QCFX, RNU0/);
  });

  test('a spec that does not fit the model or is malformed is refused before running', async () => {
    await rejectsWithCode(runner.decide({ ...specOf(IDH), featureCodes: IDH.featureCodes.slice(0, 5) }, {}), 'MODEL_SIGNATURE_MISMATCH');
    await rejectsWithCode(runner.decide({ ...specOf(IDH), threshold: 1.5 }, {}), 'VALIDATION_FAILED');
    await rejectsWithCode(runner.decide({ ...specOf(IDH), featureCodes: ['Q4LE', 'Q4LE'] }, {}), 'VALIDATION_FAILED');
    await rejectsWithCode(runner.decide({ ...specOf(IDH), expectedSha256: '../../etc/passwd' }, {}), 'VALIDATION_FAILED');
    await rejectsWithCode(runner.decide({ ...specOf(IDH), expectedSha256: 'a'.repeat(64) }, {}), 'NOT_FOUND');
    await rejectsWithCode(
      runner.decide({ ...specOf(MGMT), probabilityOutput: { name: 'score', column: 0 } }, (testSubjects[0] as CohortSubject).features),
      'MODEL_SIGNATURE_MISMATCH',
    );
  });

  test('concurrent first decisions open one session', async () => {
    const fresh = new LockedModelRunner({ artifactStore: store, predictor: new OnnxPredictor() });
    try {
      const decisions = await Promise.all(testSubjects.slice(0, 20).map((s) => fresh.decide(specOf(MGMT), s.features)));
      assert.equal(decisions.length, 20);
      assert.equal(fresh.stats().sessionsCreated, 1);
    } finally {
      await fresh.close();
    }
  });

  test('the session cache is bounded (LRU) and evicted models still decide correctly', async () => {
    const small = new LockedModelRunner({ artifactStore: store, predictor: new OnnxPredictor(), maxSessions: 2 });
    try {
      const features = (testSubjects[3] as CohortSubject).features;
      const expected = await Promise.all([IDH, IDH_V2, MGMT].map((m) => runner.decide(specOf(m), features)));
      for (let round = 0; round < 3; round += 1) {
        for (const [k, m] of [IDH, IDH_V2, MGMT].entries()) assert.deepEqual(await small.decide(specOf(m), features), expected[k]);
      }
      const stats = small.stats();
      assert.equal(stats.cachedSessions, 2);
      assert.equal(stats.sessionsCreated, 9);
      assert.equal(stats.evictions, 7);
    } finally {
      await small.close();
    }
  });
});

describe('LockedModelRunner refuses altered model bytes (MODEL_HASH_MISMATCH)', () => {
  let root: string;
  let store: FileSystemArtifactStore;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'radledger-inference-tamper-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function freshStore(): Promise<FileSystemArtifactStore> {
    store = new FileSystemArtifactStore(join(root, String(Math.random()).slice(2)));
    for (const m of [IDH, MGMT]) await store.put(modelBytes(m));
    return store;
  }

  test('one byte altered on disk before the first decision: refused, no session is opened', async () => {
    const s = await freshStore();
    const runner = new LockedModelRunner({ artifactStore: s, predictor: new OnnxPredictor() });
    await flipOneByteInPlace(s.path(MGMT.sha256), 777);
    const error = await rejectsWithCode(runner.decide(specOf(MGMT), (testSubjects[0] as CohortSubject).features), 'MODEL_HASH_MISMATCH');
    assert.equal(error.details.expectedSha256, MGMT.sha256);
    assert.notEqual(error.details.computedSha256, MGMT.sha256);
    assert.equal(runner.stats().sessionsCreated, 0);
    await runner.close();
  });

  test('one byte altered in place right after a cached decision: caught (racy-window re-hash)', async () => {
    const s = await freshStore();
    const runner = new LockedModelRunner({ artifactStore: s, predictor: new OnnxPredictor() });
    const features = (testSubjects[1] as CohortSubject).features;
    await runner.decide(specOf(IDH), features);
    await runner.decide(specOf(IDH), features);
    // The file is younger than the racy window, so the stat token alone never vouches for it.
    assert.equal(runner.stats().fingerprintHits, 0);
    assert.equal(runner.stats().hashVerifications, 2);
    await flipOneByteInPlace(s.path(IDH.sha256), 100);
    await rejectsWithCode(runner.decide(specOf(IDH), features), 'MODEL_HASH_MISMATCH');
    await rejectsWithCode(runner.decideBatch(specOf(IDH), [features, features]), 'MODEL_HASH_MISMATCH');
    assert.equal(runner.stats().cachedSessions, 0);
    // The genuine bytes put back (the store repairs the copy) decide again.
    await s.put(modelBytes(IDH));
    assert.equal((await runner.decide(specOf(IDH), features)).verifiedSha256, IDH.sha256);
    await runner.close();
  });

  test('a trusted stat fingerprint skips re-hashing, and a file replaced under it is still caught', async () => {
    const s = await freshStore();
    // A negative window trusts the token as soon as the bytes were verified once (these files are brand new).
    const runner = new LockedModelRunner({ artifactStore: s, predictor: new OnnxPredictor(), racyWindowMs: -1 });
    const features = (testSubjects[2] as CohortSubject).features;
    const first = await runner.decide(specOf(MGMT), features);
    for (let i = 0; i < 5; i += 1) assert.deepEqual(await runner.decide(specOf(MGMT), features), first);
    assert.equal(runner.stats().hashVerifications, 1);
    assert.equal(runner.stats().fingerprintHits, 5);
    // Replace the content-addressed file atomically with altered bytes (new inode, same size).
    const path = s.path(MGMT.sha256);
    const altered = modelBytes(MGMT);
    altered[4000] = (altered[4000] as number) ^ 0x80;
    await writeFile(`${path}.evil`, altered);
    await rename(`${path}.evil`, path);
    await rejectsWithCode(runner.decide(specOf(MGMT), features), 'MODEL_HASH_MISMATCH');
    await rejectsWithCode(runner.verifyModel(MGMT.sha256), 'MODEL_HASH_MISMATCH');
    await runner.close();
  });

  test('rehash-every-run mode reads and hashes the bytes for every decision', async () => {
    const s = await freshStore();
    const runner = new LockedModelRunner({ artifactStore: s, predictor: new OnnxPredictor(), verification: 'rehash-every-run', racyWindowMs: -1 });
    const features = (testSubjects[2] as CohortSubject).features;
    for (let i = 0; i < 4; i += 1) await runner.decide(specOf(IDH), features);
    assert.equal(runner.stats().hashVerifications, 4);
    assert.equal(runner.stats().fingerprintHits, 0);
    assert.equal(runner.stats().sessionsCreated, 1);
    await flipOneByteInPlace(s.path(IDH.sha256), 200);
    await rejectsWithCode(runner.decide(specOf(IDH), features), 'MODEL_HASH_MISMATCH');
    await runner.close();
  });

  test('a store without stat tokens is re-hashed on every decision; a deleted model file is NOT_FOUND', async () => {
    const s = await freshStore();
    const withoutStat: ArtifactStore = { put: (c, o) => s.put(c, o), get: (h) => s.get(h), has: (h) => s.has(h) };
    const runner = new LockedModelRunner({ artifactStore: withoutStat, predictor: new OnnxPredictor(), racyWindowMs: -1 });
    const features = (testSubjects[4] as CohortSubject).features;
    for (let i = 0; i < 3; i += 1) await runner.decide(specOf(IDH), features);
    assert.equal(runner.stats().hashVerifications, 3);
    assert.equal(runner.stats().sessionsCreated, 1);
    await rm(s.path(IDH.sha256));
    await rejectsWithCode(runner.decide(specOf(IDH), features), 'NOT_FOUND');
    assert.equal(runner.stats().cachedSessions, 0);
    await runner.close();
  });
});
