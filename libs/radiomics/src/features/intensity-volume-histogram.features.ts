import type { FeatureDefinition, FeatureValues } from '../volume.js';

/**
 * Intensities of the intensity-mask voxels as the IVH sees them (IBSI 3.5): values on the
 * discrete grid gridMin, gridMin + step, …, gridMax (re-segmentation bounds where given).
 */
export interface IvhInput {
  values: Float64Array;
  gridMin: number;
  gridMax: number;
  step: number;
}

/**
 * IBSI 3.5. The fraction features BC2M (volume at intensity fraction) and GBPN (intensity
 * at volume fraction) have one code and two parameterisations; keys carry the percentage:
 * BC2M_10, BC2M_90, GBPN_10, GBPN_90.
 */
export const intensityVolumeHistogramDefinitions: FeatureDefinition[] = [
  { code: 'BC2M_10', name: 'Volume fraction at 10% intensity fraction', family: 'intensity-volume-histogram' },
  { code: 'BC2M_90', name: 'Volume fraction at 90% intensity fraction', family: 'intensity-volume-histogram' },
  { code: 'GBPN_10', name: 'Intensity at 10% volume fraction', family: 'intensity-volume-histogram' },
  { code: 'GBPN_90', name: 'Intensity at 90% volume fraction', family: 'intensity-volume-histogram' },
  { code: 'DDTU', name: 'Volume fraction difference between 10% and 90% intensity fractions', family: 'intensity-volume-histogram' },
  { code: 'CNV2', name: 'Intensity fraction difference between 10% and 90% volume fractions', family: 'intensity-volume-histogram' },
];

export function computeIntensityVolumeHistogram(input: IvhInput): FeatureValues {
  const { values, gridMin, gridMax, step } = input;
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const range = gridMax - gridMin;
  // ν(X) = fraction of voxels with intensity ≥ X (binary search on the sorted values).
  const fractionAtLeast = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return (n - lo) / n;
  };
  // IBSI 3.5.1: V_x = fraction of voxels with intensity fraction γ = (X − X_min)/(X_max − X_min) ≥ x.
  const volumeAt = (x: number): number => {
    if (range === 0) return 1;
    let count = 0;
    for (let k = 0; k < n; k++) if ((values[k]! - gridMin) / range >= x - 1e-12) count++;
    return count / n;
  };
  // IBSI 3.5.2: I_x = the lowest grid intensity X with ν(X) ≤ x.
  const steps = Math.round(range / step);
  const intensityAt = (x: number): number => {
    for (let k = 0; k <= steps; k++) {
      const level = gridMin + k * step;
      if (fractionAtLeast(level - 1e-9 * step) <= x) return level;
    }
    return gridMax + step;
  };
  const v10 = volumeAt(0.1);
  const v90 = volumeAt(0.9);
  const i10 = intensityAt(0.1);
  const i90 = intensityAt(0.9);
  return {
    BC2M_10: v10,
    BC2M_90: v90,
    GBPN_10: i10,
    GBPN_90: i90,
    DDTU: v10 - v90, // IBSI 3.5.3: V10 − V90
    CNV2: i10 - i90, // IBSI 3.5.4: I10 − I90
  };
}
