import fQuantile from '@stdlib/stats-base-dists-f-quantile';
import { ValidationError } from '@radledger/platform';

/**
 * Intraclass correlation for n targets (subjects) each rated by the same k raters (readers or
 * segmentation methods): Shrout & Fleiss, Psychological Bulletin 1979, 86:420–428, with the
 * confidence intervals of McGraw & Wong, Psychological Methods 1996, 1:30–46 (Table 7), which
 * for these two forms are Shrout & Fleiss's own.
 *
 * ICC(2,1): two-way random effects, absolute agreement, single rater — raters are a sample of
 *   the raters who could have read (the inter-reader question; Koo & Li, J Chiropr Med 2016).
 * ICC(3,1): two-way mixed effects, consistency, single rater — these raters only; a constant
 *   offset between raters does not lower it.
 */

/**
 * F quantiles for whole degrees of freedom repeat across features (every feature of one study has
 * the same n and k), and each inverse incomplete beta costs ~0.1 ms: remember the last few hundred.
 */
const QUANTILE_CACHE_SIZE = 512;
const quantileCache = new Map<string, number>();
function fInverse(p: number, d1: number, d2: number): number {
  if (!Number.isInteger(d1) || !Number.isInteger(d2)) return fQuantile(p, d1, d2);
  const key = `${p}|${d1}|${d2}`;
  let q = quantileCache.get(key);
  if (q === undefined) {
    q = fQuantile(p, d1, d2);
    if (quantileCache.size >= QUANTILE_CACHE_SIZE) quantileCache.delete(quantileCache.keys().next().value!);
    quantileCache.set(key, q);
  }
  return q;
}

export interface TwoWayAnova {
  /** Targets (rows) and raters (columns). */
  n: number;
  k: number;
  /** Between-targets (rows), between-raters (columns) and residual mean squares. */
  msr: number;
  msc: number;
  mse: number;
}

export interface IccEstimate {
  value: number;
  /** (1 − alpha) confidence interval. */
  lower: number;
  upper: number;
  /** F test of ICC = 0: F = MSR / MSE on (df1, df2). */
  f: number;
  df1: number;
  df2: number;
}

export interface IccResult {
  anova: TwoWayAnova;
  alpha: number;
  icc21: IccEstimate;
  icc31: IccEstimate;
}

/** Rows are targets, columns raters: `ratings[i][j]` is rater j's value for target i. */
export function twoWayAnova(ratings: ReadonlyArray<ArrayLike<number>>): TwoWayAnova {
  const n = ratings.length;
  const k = n > 0 ? ratings[0]!.length : 0;
  if (n < 2 || k < 2) throw new ValidationError('RELIABILITY_TOO_FEW', `ratings: expected at least 2 targets × 2 raters, got ${n} × ${k}`, { field: 'ratings' });
  const rowMeans = new Float64Array(n);
  const colMeans = new Float64Array(k);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    const row = ratings[i]!;
    if (row.length !== k) throw new ValidationError('RELIABILITY_RAGGED', `ratings[${i}]: expected ${k} ratings, got ${row.length}`, { field: `ratings[${i}]` });
    for (let j = 0; j < k; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new ValidationError('INVALID_NUMBER', `ratings[${i}][${j}]: expected a finite number, got ${v}`, { field: `ratings[${i}][${j}]` });
      rowMeans[i]! += v;
      colMeans[j]! += v;
      grand += v;
    }
  }
  for (let i = 0; i < n; i++) rowMeans[i]! /= k;
  for (let j = 0; j < k; j++) colMeans[j]! /= n;
  grand /= n * k;
  let ssr = 0;
  let ssc = 0;
  let sse = 0;
  for (let i = 0; i < n; i++) ssr += (rowMeans[i]! - grand) ** 2;
  for (let j = 0; j < k; j++) ssc += (colMeans[j]! - grand) ** 2;
  ssr *= k;
  ssc *= n;
  for (let i = 0; i < n; i++) {
    const row = ratings[i]!;
    for (let j = 0; j < k; j++) sse += (row[j]! - rowMeans[i]! - colMeans[j]! + grand) ** 2;
  }
  return { n, k, msr: ssr / (n - 1), msc: ssc / (k - 1), mse: sse / ((n - 1) * (k - 1)) };
}

/**
 * ICC(2,1) and ICC(3,1) with (1 − alpha) intervals from the F distribution. For ICC(2,1) the
 * interval uses Satterthwaite's approximate denominator degrees of freedom (Shrout & Fleiss 1979,
 * eq. for case 2; McGraw & Wong 1996 Table 7, "A-1"). Undefined values (no variance at all) are NaN.
 */
export function intraclassCorrelation(ratings: ReadonlyArray<ArrayLike<number>>, options: { alpha?: number } = {}): IccResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ValidationError('OUT_OF_RANGE', `alpha: expected 0 < alpha < 1, got ${alpha}`, { field: 'alpha' });
  const anova = twoWayAnova(ratings);
  return { anova, alpha, icc21: icc21(anova, alpha), icc31: icc31(anova, alpha) };
}

export function icc31(a: TwoWayAnova, alpha: number): IccEstimate {
  const { n, k, msr, mse } = a;
  const df1 = n - 1;
  const df2 = (n - 1) * (k - 1);
  const value = (msr - mse) / (msr + (k - 1) * mse);
  const f = msr / mse;
  // No residual at all (raters agree up to their offsets): the interval collapses on the estimate.
  if (mse === 0) return { value, lower: value, upper: value, f, df1, df2 };
  // McGraw & Wong 1996 Table 7, case 3 (C-1): F_L = F_obs / F(1−α/2; df1, df2), F_U = F_obs · F(1−α/2; df2, df1).
  const fl = f / fInverse(1 - alpha / 2, df1, df2);
  const fu = f * fInverse(1 - alpha / 2, df2, df1);
  return { value, lower: (fl - 1) / (fl + k - 1), upper: (fu - 1) / (fu + k - 1), f, df1, df2 };
}

export function icc21(a: TwoWayAnova, alpha: number): IccEstimate {
  const { n, k, msr, msc, mse } = a;
  const value = (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n);
  const f = msr / mse;
  // No residual: identical raters collapse the interval on 1; with rater offsets the approximation is undefined.
  if (mse === 0) return msc === 0 ? { value, lower: value, upper: value, f, df1: n - 1, df2: (n - 1) * (k - 1) } : { value, lower: Number.NaN, upper: Number.NaN, f, df1: n - 1, df2: Number.NaN };
  // Satterthwaite degrees of freedom (Shrout & Fleiss 1979, case 2): Fj = MSC / MSE.
  const fj = msc / mse;
  const nk = n * (1 + (k - 1) * value) - k * value;
  const v = ((n - 1) * (k - 1) * (k * value * fj + nk) ** 2) / ((n - 1) * k * k * value * value * fj * fj + nk * nk);
  const fStar = fQuantile(1 - alpha / 2, n - 1, v);
  const fStar2 = fQuantile(1 - alpha / 2, v, n - 1);
  const denomTerm = k * msc + (k * n - k - n) * mse;
  const lower = (n * (msr - fStar * mse)) / (fStar * denomTerm + n * msr);
  const upper = (n * (fStar2 * msr - mse)) / (denomTerm + n * fStar2 * msr);
  return { value, lower, upper, f, df1: n - 1, df2: v };
}
