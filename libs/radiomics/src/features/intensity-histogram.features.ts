import type { FeatureDefinition, FeatureValues } from '../volume.js';
import { distributionStatistics } from './distribution-statistics.js';

/**
 * IBSI 3.4 intensity histogram features on the discretised grey levels i = 1..N_g of the
 * intensity-mask voxels; H(i) counts voxels at level i, p_i = H(i)/N_v.
 */
export const intensityHistogramDefinitions: FeatureDefinition[] = [
  { code: 'X6K6', name: 'Mean discretised intensity', family: 'intensity-histogram' },
  { code: 'CH89', name: 'Discretised intensity variance', family: 'intensity-histogram' },
  { code: '88K1', name: 'Discretised intensity skewness', family: 'intensity-histogram' },
  { code: 'C3I7', name: '(Excess) discretised intensity kurtosis', family: 'intensity-histogram' },
  { code: 'WIFQ', name: 'Median discretised intensity', family: 'intensity-histogram' },
  { code: '1PR8', name: 'Minimum discretised intensity', family: 'intensity-histogram' },
  { code: 'GPMT', name: '10th discretised intensity percentile', family: 'intensity-histogram' },
  { code: 'OZ0C', name: '90th discretised intensity percentile', family: 'intensity-histogram' },
  { code: '3NCY', name: 'Maximum discretised intensity', family: 'intensity-histogram' },
  { code: 'AMMC', name: 'Intensity histogram mode', family: 'intensity-histogram' },
  { code: 'WR0O', name: 'Discretised intensity interquartile range', family: 'intensity-histogram' },
  { code: '5Z3W', name: 'Discretised intensity range', family: 'intensity-histogram' },
  { code: 'D2ZX', name: 'Intensity histogram mean absolute deviation', family: 'intensity-histogram' },
  { code: 'WRZB', name: 'Intensity histogram robust mean absolute deviation', family: 'intensity-histogram' },
  { code: '4RNL', name: 'Intensity histogram median absolute deviation', family: 'intensity-histogram' },
  { code: 'CWYJ', name: 'Intensity histogram coefficient of variation', family: 'intensity-histogram' },
  { code: 'SLWD', name: 'Intensity histogram quartile coefficient of dispersion', family: 'intensity-histogram' },
  { code: 'TLU2', name: 'Discretised intensity entropy', family: 'intensity-histogram', pyradiomicsName: 'original_firstorder_Entropy' },
  { code: 'BJ5W', name: 'Discretised intensity uniformity', family: 'intensity-histogram', pyradiomicsName: 'original_firstorder_Uniformity' },
  { code: '12CE', name: 'Maximum histogram gradient', family: 'intensity-histogram' },
  { code: '8E6O', name: 'Maximum histogram gradient intensity', family: 'intensity-histogram' },
  { code: 'VQB3', name: 'Minimum histogram gradient', family: 'intensity-histogram' },
  { code: 'RHQZ', name: 'Minimum histogram gradient intensity', family: 'intensity-histogram' },
];

/** @param levels discretised grey levels of the intensity-mask voxels (1..nGreyLevels). */
export function computeIntensityHistogram(levels: Float64Array, nGreyLevels: number): FeatureValues {
  const s = distributionStatistics(levels);
  const hist = new Float64Array(nGreyLevels + 1);
  for (let k = 0; k < levels.length; k++) hist[levels[k]!]!++;
  let mode = 1;
  let entropy = 0;
  let uniformity = 0;
  for (let i = 1; i <= nGreyLevels; i++) {
    if (hist[i]! > hist[mode]!) mode = i; // first (lowest) level wins ties
    const p = hist[i]! / s.n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  // IBSI 3.4.20: H'(i) by first-order differences at the ends, central differences inside.
  let maxGrad = -Infinity;
  let maxGradLevel = 1;
  let minGrad = Infinity;
  let minGradLevel = 1;
  for (let i = 1; i <= nGreyLevels; i++) {
    let g: number;
    if (nGreyLevels === 1) g = 0;
    else if (i === 1) g = hist[2]! - hist[1]!;
    else if (i === nGreyLevels) g = hist[i]! - hist[i - 1]!;
    else g = (hist[i + 1]! - hist[i - 1]!) / 2;
    if (g > maxGrad) {
      maxGrad = g;
      maxGradLevel = i;
    }
    if (g < minGrad) {
      minGrad = g;
      minGradLevel = i;
    }
  }
  return {
    X6K6: s.mean, // IBSI 3.4.1: Σ i p_i
    CH89: s.variance, // IBSI 3.4.2: Σ (i − µ)² p_i
    '88K1': s.skewness, // IBSI 3.4.3
    C3I7: s.excessKurtosis, // IBSI 3.4.4: excess kurtosis
    WIFQ: s.median, // IBSI 3.4.5
    '1PR8': s.min, // IBSI 3.4.6
    GPMT: s.p10, // IBSI 3.4.7
    OZ0C: s.p90, // IBSI 3.4.8
    '3NCY': s.max, // IBSI 3.4.9
    AMMC: mode, // IBSI 3.4.10: level with the highest count (lowest such level on ties)
    WR0O: s.p75 - s.p25, // IBSI 3.4.11
    '5Z3W': s.max - s.min, // IBSI 3.4.12
    D2ZX: s.meanAbsoluteDeviation, // IBSI 3.4.13
    WRZB: s.robustMeanAbsoluteDeviation, // IBSI 3.4.14
    '4RNL': s.medianAbsoluteDeviation, // IBSI 3.4.15
    CWYJ: s.coefficientOfVariation, // IBSI 3.4.16
    SLWD: s.quartileCoefficientOfDispersion, // IBSI 3.4.17
    TLU2: entropy, // IBSI 3.4.18: −Σ p_i log2 p_i
    BJ5W: uniformity, // IBSI 3.4.19: Σ p_i²
    '12CE': maxGrad, // IBSI 3.4.20: max H'(i)
    '8E6O': maxGradLevel, // IBSI 3.4.21: argmax H'(i)
    VQB3: minGrad, // IBSI 3.4.22: min H'(i)
    RHQZ: minGradLevel, // IBSI 3.4.23: argmin H'(i)
  };
}
