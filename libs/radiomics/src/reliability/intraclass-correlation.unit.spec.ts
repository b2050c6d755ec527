import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intraclassCorrelation, twoWayAnova } from './intraclass-correlation.js';

/**
 * Shrout & Fleiss 1979, Table 2: six targets rated by four judges. Their published values:
 * BMS 11.24, JMS 32.49, EMS 1.02 (Table 3); ICC(2,1) = .29, ICC(3,1) = .71 (Table 4).
 * 95% intervals as printed by psych::ICC (Revelle) for the same data, which implements the
 * Shrout & Fleiss / McGraw & Wong intervals: ICC2 0.019 – 0.76, ICC3 0.342 – 0.95.
 */
const SHROUT_FLEISS = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} differs from ${expected} by more than ${tolerance}`);

test('the two-way ANOVA mean squares match Shrout & Fleiss Table 3 (to their 2 decimals)', () => {
  const a = twoWayAnova(SHROUT_FLEISS);
  near(a.msr, 11.24, 0.005, 'BMS');
  near(a.msc, 32.49, 0.005, 'JMS');
  near(a.mse, 1.02, 0.005, 'EMS');
});

test('ICC(2,1) and ICC(3,1) match Shrout & Fleiss Table 4, their 95% intervals match psych::ICC', () => {
  const r = intraclassCorrelation(SHROUT_FLEISS);
  near(r.icc21.value, 0.29, 0.005, 'ICC(2,1)');
  near(r.icc31.value, 0.71, 0.005, 'ICC(3,1)');
  near(r.icc21.lower, 0.019, 0.0005, 'ICC(2,1) lower');
  near(r.icc21.upper, 0.76, 0.005, 'ICC(2,1) upper');
  near(r.icc31.lower, 0.342, 0.0005, 'ICC(3,1) lower');
  near(r.icc31.upper, 0.95, 0.005, 'ICC(3,1) upper');
  near(r.icc31.f, 11.0, 0.05, 'F');
  assert.equal(r.icc31.df1, 5);
  assert.equal(r.icc31.df2, 15);
});

test('identical raters give ICC 1; a constant offset lowers ICC(2,1) (agreement) but not ICC(3,1) (consistency)', () => {
  const same = intraclassCorrelation([[1, 1], [2, 2], [4, 4], [7, 7]]);
  assert.deepEqual([same.icc21.value, same.icc21.lower, same.icc31.value, same.icc31.upper], [1, 1, 1, 1]);
  const base = [1, 2, 4, 7, 3, 5, 6, 8];
  const noise = [0.1, -0.2, 0.15, 0, -0.1, 0.2, -0.05, 0.1];
  const close = intraclassCorrelation(base.map((v, i) => [v, v + noise[i]!]));
  const shifted = intraclassCorrelation(base.map((v, i) => [v, v + noise[i]! + 2]));
  near(shifted.icc31.value, close.icc31.value, 1e-12, 'ICC(3,1) is blind to the offset');
  assert.ok(shifted.icc21.value < close.icc21.value - 0.2, `ICC(2,1) ${shifted.icc21.value} should drop well below ${close.icc21.value} with a 2-unit offset`);
  for (const e of [close.icc21, close.icc31, shifted.icc21, shifted.icc31]) assert.ok(e.lower <= e.value && e.value <= e.upper, `${e.lower} ≤ ${e.value} ≤ ${e.upper}`);
});

test('bad input is refused with a typed error naming the field', () => {
  assert.throws(() => intraclassCorrelation([[1, 2]]), { code: 'RELIABILITY_TOO_FEW' });
  assert.throws(() => intraclassCorrelation([[1, 2], [3]]), { code: 'RELIABILITY_RAGGED', message: /ratings\[1\]/ });
  assert.throws(() => intraclassCorrelation([[1, 2], [3, Number.NaN]]), { code: 'INVALID_NUMBER' });
  assert.throws(() => intraclassCorrelation(SHROUT_FLEISS, { alpha: 1.5 }), { code: 'OUT_OF_RANGE' });
});
