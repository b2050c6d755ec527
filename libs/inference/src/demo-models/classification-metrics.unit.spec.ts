import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bootstrapAucInterval, rocAuc, youdenThreshold } from './classification-metrics.js';

test('AUC: perfect, reversed, all tied', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true]), 0.5);
});

test('AUC equals the share of (positive, negative) pairs ranked correctly, ties one half', () => {
  // Positives 0.4, 0.7, 0.7; negatives 0.2, 0.7. Pairs: (0.4>0.2)=1, (0.4<0.7)=0, (0.7>0.2)=1 twice,
  // (0.7=0.7)=0.5 twice: (1 + 0 + 1 + 0.5 + 1 + 0.5) / 6 = 4/6.
  assert.equal(rocAuc([0.4, 0.7, 0.7, 0.2, 0.7], [true, true, true, false, false]), 4 / 6);
});

test('AUC matches the pairwise definition for any scores (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.boolean()), { minLength: 2, maxLength: 40 }), (pairs) => {
      const scores = pairs.map((p) => p[0]);
      const labels = pairs.map((p) => p[1]);
      const pos = scores.filter((_, i) => labels[i]);
      const neg = scores.filter((_, i) => !labels[i]);
      fc.pre(pos.length > 0 && neg.length > 0);
      let wins = 0;
      for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
      assert.ok(Math.abs(rocAuc(scores, labels) - wins / (pos.length * neg.length)) < 1e-12);
    }),
  );
});

test('bootstrap interval contains the AUC, is reproducible from its seed', () => {
  const scores = Array.from({ length: 60 }, (_, i) => (i % 7) / 7 + (i % 2) * 0.3);
  const labels = Array.from({ length: 60 }, (_, i) => i % 2 === 1);
  const a = bootstrapAucInterval(scores, labels, { seed: 7, resamples: 500 });
  const b = bootstrapAucInterval(scores, labels, { seed: 7, resamples: 500 });
  assert.deepEqual(a, b);
  const auc = rocAuc(scores, labels);
  assert.ok(a.lower <= auc && auc <= a.upper);
});

test('Youden threshold separates a separable sample', () => {
  assert.equal(youdenThreshold([0.1, 0.3, 0.6, 0.9], [false, false, true, true]), 0.6);
});
