/**
 * Statistics shared by the intensity statistics (IBSI 3.3) and the intensity histogram
 * (IBSI 3.4) families: the same formulas, applied to raw or to discretised intensities.
 */
export interface DistributionStatistics {
  n: number;
  mean: number;
  variance: number;
  skewness: number;
  excessKurtosis: number;
  median: number;
  min: number;
  max: number;
  p10: number;
  p25: number;
  p75: number;
  p90: number;
  meanAbsoluteDeviation: number;
  robustMeanAbsoluteDeviation: number;
  medianAbsoluteDeviation: number;
  coefficientOfVariation: number;
  quartileCoefficientOfDispersion: number;
  energy: number;
}

/**
 * Percentile by linear interpolation between closest ranks, position p·(n−1) on the sorted
 * values (the convention of numpy's default and of the IBSI reference implementations).
 */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0]!;
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return sorted[lo]! + frac * (sorted[hi]! - sorted[lo]!);
}

export function distributionStatistics(values: Float64Array): DistributionStatistics {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let energy = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    energy += values[i]! * values[i]!;
  }
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let mad = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    mad += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const median = percentileOfSorted(sorted, 0.5);
  const p10 = percentileOfSorted(sorted, 0.1);
  const p25 = percentileOfSorted(sorted, 0.25);
  const p75 = percentileOfSorted(sorted, 0.75);
  const p90 = percentileOfSorted(sorted, 0.9);
  // IBSI 3.3.15 (1128): mean absolute deviation of the values within [P10, P90].
  let rSum = 0;
  let rN = 0;
  for (let i = 0; i < n; i++) {
    if (values[i]! >= p10 && values[i]! <= p90) {
      rSum += values[i]!;
      rN++;
    }
  }
  const rMean = rSum / rN;
  let rMad = 0;
  let medAd = 0;
  for (let i = 0; i < n; i++) {
    if (values[i]! >= p10 && values[i]! <= p90) rMad += Math.abs(values[i]! - rMean);
    medAd += Math.abs(values[i]! - median);
  }
  return {
    n,
    mean,
    variance: m2,
    // IBSI 3.3.3/3.3.4: zero variance gives skewness and kurtosis 0.
    skewness: m2 === 0 ? 0 : m3 / Math.pow(m2, 1.5),
    excessKurtosis: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
    median,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p10,
    p25,
    p75,
    p90,
    meanAbsoluteDeviation: mad / n,
    robustMeanAbsoluteDeviation: rMad / rN,
    medianAbsoluteDeviation: medAd / n,
    coefficientOfVariation: Math.sqrt(m2) / mean,
    quartileCoefficientOfDispersion: (p75 - p25) / (p75 + p25),
    energy,
  };
}
