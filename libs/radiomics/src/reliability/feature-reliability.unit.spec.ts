import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '@radledger/platform';
import { featureReliability, type SubjectSegmentations } from './feature-reliability.js';
import { intraclassCorrelation } from './intraclass-correlation.js';

/** Subjects whose true value varies (σ 10); reader noise σ 1 on `STBL` (ICC ≈ 0.99), σ 20 on `NOISY` (ICC ≈ 0.2). */
function cohort(n: number, seed = 7): SubjectSegmentations[] {
  const rng = SeededRandom.forLabel(seed, 'reliability');
  return Array.from({ length: n }, (_, i) => {
    const truth = 50 + 10 * rng.normal();
    const other = 5 + rng.normal();
    return {
      subjectId: `S-${i}`,
      imageId: `img-${i}`,
      featureSets: ['reader-a', 'reader-b'].map((raterId) => ({ raterId, values: { STBL: truth + rng.normal(), NOISY: truth + 20 * rng.normal(), CNST: 3, ONE: other } })),
    };
  });
}

test('a stable feature passes 0.75, a noisy one fails, a constant one is undefined; per feature the ICC equals the matrix computation', () => {
  const data = cohort(60);
  const report = featureReliability(data);
  assert.deepEqual(report.raters, ['reader-a', 'reader-b']);
  assert.equal(report.subjects, 60);
  const by = Object.fromEntries(report.features.map((f) => [f.featureCode, f]));
  assert.ok(by['STBL']!.icc21!.value > 0.95, `STBL ${by['STBL']!.icc21!.value}`);
  assert.equal(by['STBL']!.meetsThreshold, true);
  assert.ok(by['NOISY']!.icc21!.value < 0.5, `NOISY ${by['NOISY']!.icc21!.value}`);
  assert.equal(by['NOISY']!.meetsThreshold, false);
  assert.match(by['NOISY']!.note!, /ICC\(2,1\) estimate 0\.\d+ < 0\.75/);
  assert.equal(by['CNST']!.icc21, null);
  assert.match(by['CNST']!.note!, /does not vary/);
  assert.deepEqual(report.reliable, ['ONE', 'STBL']);
  const direct = intraclassCorrelation(data.map((s) => s.featureSets.map((f) => f.values['NOISY']!)));
  assert.deepEqual(by['NOISY']!.icc21, direct.icc21);
  assert.deepEqual(by['NOISY']!.icc31, direct.icc31);
});

test('subjects missing a rater are excluded with the reason; non-finite values drop the subject for that feature only', () => {
  const data = cohort(10);
  data.push({ subjectId: 'S-lonely', imageId: 'img-x', featureSets: [{ raterId: 'reader-a', values: { STBL: 1 } }] });
  data[0] = { ...data[0]!, featureSets: data[0]!.featureSets.map((f, j) => (j === 1 ? { ...f, values: { ...f.values, STBL: Number.NaN } } : f)) };
  const report = featureReliability(data, { featureCodes: ['STBL', 'ONE'] });
  assert.deepEqual(report.excludedSubjects, [{ subjectId: 'S-lonely', imageId: 'img-x', reason: 'no segmentation by reader-b' }]);
  assert.equal(report.features.find((f) => f.featureCode === 'STBL')!.subjects, 9);
  assert.equal(report.features.find((f) => f.featureCode === 'ONE')!.subjects, 10);
});

test('the stricter basis judges the lower confidence bound; ICC(3,1) can be chosen', () => {
  const data = cohort(8);
  const estimate = featureReliability(data, { featureCodes: ['STBL'], threshold: 0.9 });
  const lower = featureReliability(data, { featureCodes: ['STBL'], threshold: estimate.features[0]!.icc21!.lower + 1e-6, basis: 'lower-bound' });
  assert.equal(lower.features[0]!.meetsThreshold, false);
  const consistency = featureReliability(data, { featureCodes: ['STBL'], model: 'ICC(3,1)', threshold: 0.5 });
  assert.equal(consistency.model, 'ICC(3,1)');
  assert.equal(consistency.features[0]!.meetsThreshold, true);
});

test('bad input: one rater only, a rater twice, a threshold out of range', () => {
  assert.throws(() => featureReliability([{ subjectId: 'S', imageId: 'i', featureSets: [{ raterId: 'a', values: {} }] }]), { code: 'RELIABILITY_TOO_FEW' });
  assert.throws(() => featureReliability([{ subjectId: 'S', imageId: 'i', featureSets: [{ raterId: 'a', values: {} }, { raterId: 'a', values: {} }] }]), { code: 'DUPLICATE_RATER', message: /featureSets\[1\]\.raterId/ });
  assert.throws(() => featureReliability(cohort(3), { threshold: 2 }), { code: 'OUT_OF_RANGE', message: /threshold/ });
});
