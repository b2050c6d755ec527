import type { FeatureDefinition, FeatureValues } from '../volume.js';
import { distributionStatistics } from './distribution-statistics.js';

/**
 * IBSI 3.3 intensity-based statistics on the intensity-mask voxel values X (N_v voxels),
 * before discretisation. Variance and moments use 1/N_v (IBSI).
 */
export const intensityStatisticsDefinitions: FeatureDefinition[] = [
  { code: 'Q4LE', name: 'Mean intensity', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Mean' },
  { code: 'ECT3', name: 'Intensity variance', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Variance' },
  { code: 'KE2A', name: 'Intensity skewness', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Skewness' },
  // PyRadiomics reports non-excess kurtosis (its value is IPH6 + 3), so no name is paired.
  { code: 'IPH6', name: '(Excess) intensity kurtosis', family: 'intensity-statistics' },
  { code: 'Y12H', name: 'Median intensity', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Median' },
  { code: '1GSF', name: 'Minimum intensity', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Minimum' },
  { code: 'QG58', name: '10th intensity percentile', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_10Percentile' },
  { code: '8DWT', name: '90th intensity percentile', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_90Percentile' },
  { code: '84IY', name: 'Maximum intensity', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Maximum' },
  { code: 'SALO', name: 'Intensity interquartile range', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_InterquartileRange' },
  { code: '2OJQ', name: 'Intensity range', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Range' },
  { code: '4FUA', name: 'Intensity-based mean absolute deviation', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_MeanAbsoluteDeviation' },
  { code: '1128', name: 'Intensity-based robust mean absolute deviation', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_RobustMeanAbsoluteDeviation' },
  { code: 'N72L', name: 'Intensity-based median absolute deviation', family: 'intensity-statistics' },
  { code: '7TET', name: 'Intensity-based coefficient of variation', family: 'intensity-statistics' },
  { code: '9S40', name: 'Intensity-based quartile coefficient of dispersion', family: 'intensity-statistics' },
  { code: 'N8CA', name: 'Intensity-based energy', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_Energy' },
  { code: '5ZWQ', name: 'Root mean square intensity', family: 'intensity-statistics', pyradiomicsName: 'original_firstorder_RootMeanSquared' },
];

export function computeIntensityStatistics(roiValues: Float64Array): FeatureValues {
  const s = distributionStatistics(roiValues);
  return {
    Q4LE: s.mean, // IBSI 3.3.1: (1/N) Σ X_k
    ECT3: s.variance, // IBSI 3.3.2: (1/N) Σ (X_k − µ)²
    KE2A: s.skewness, // IBSI 3.3.3: m3 / m2^(3/2)
    IPH6: s.excessKurtosis, // IBSI 3.3.4: m4 / m2² − 3
    Y12H: s.median, // IBSI 3.3.5
    '1GSF': s.min, // IBSI 3.3.6
    QG58: s.p10, // IBSI 3.3.7
    '8DWT': s.p90, // IBSI 3.3.8
    '84IY': s.max, // IBSI 3.3.9
    SALO: s.p75 - s.p25, // IBSI 3.3.10: P75 − P25
    '2OJQ': s.max - s.min, // IBSI 3.3.11
    '4FUA': s.meanAbsoluteDeviation, // IBSI 3.3.12: (1/N) Σ |X_k − µ|
    '1128': s.robustMeanAbsoluteDeviation, // IBSI 3.3.13: MAD over X in [P10, P90]
    N72L: s.medianAbsoluteDeviation, // IBSI 3.3.14: (1/N) Σ |X_k − M|
    '7TET': s.coefficientOfVariation, // IBSI 3.3.15: σ / µ
    '9S40': s.quartileCoefficientOfDispersion, // IBSI 3.3.16: (P75 − P25)/(P75 + P25)
    N8CA: s.energy, // IBSI 3.3.17: Σ X_k²
    '5ZWQ': Math.sqrt(s.energy / s.n), // IBSI 3.3.18: sqrt(Σ X_k² / N)
  };
}
