import { SeededRandom } from '@radledger/platform';

/**
 * Area under the ROC curve as the Mann–Whitney U statistic: the probability that a random
 * positive scores higher than a random negative, ties counting one half (average ranks).
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  const order = scores.map((s, i) => ({ s, y: labels[i] as boolean })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSumPositives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && (order[j] as { s: number }).s === (order[i] as { s: number }).s) j += 1;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) {
      if ((order[k] as { y: boolean }).y) {
        positives += 1;
        rankSumPositives += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface BootstrapInterval {
  lower: number;
  upper: number;
  resamples: number;
  level: number;
}

/**
 * Percentile bootstrap interval of the AUC: resample subjects with replacement, recompute,
 * take the (1-level)/2 and (1+level)/2 quantiles. Resamples with one class only are redrawn.
 */
export function bootstrapAucInterval(
  scores: readonly number[],
  labels: readonly boolean[],
  options: { resamples?: number; level?: number; seed: number },
): BootstrapInterval {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = new SeededRandom(options.seed);
  const aucs: number[] = [];
  const n = scores.length;
  while (aucs.length < resamples) {
    const s: number[] = new Array(n);
    const y: boolean[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      const k = random.int(n);
      s[i] = scores[k] as number;
      y[i] = labels[k] as boolean;
    }
    const auc = rocAuc(s, y);
    if (!Number.isNaN(auc)) aucs.push(auc);
  }
  aucs.sort((a, b) => a - b);
  return {
    lower: quantile(aucs, (1 - level) / 2),
    upper: quantile(aucs, (1 + level) / 2),
    resamples,
    level,
  };
}

/** Linear interpolation between order statistics (type 7, as R's default). */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** The cut-off maximising Youden's J (sensitivity + specificity - 1) over observed scores. */
export function youdenThreshold(scores: readonly number[], labels: readonly boolean[]): number {
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  let best = { j: -Infinity, threshold: 0.5 };
  for (const t of [...new Set(scores)].sort((a, b) => a - b)) {
    let tp = 0;
    let tn = 0;
    scores.forEach((s, i) => {
      if (labels[i] && s >= t) tp += 1;
      if (!labels[i] && s < t) tn += 1;
    });
    const j = tp / positives + tn / negatives - 1;
    if (j > best.j) best = { j, threshold: t };
  }
  return best.threshold;
}
