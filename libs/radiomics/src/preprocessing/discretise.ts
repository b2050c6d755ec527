import { RadiomicsInputError } from '../radiomics.errors.js';
import type { DiscretisationSettings } from '../settings/radiomics-settings.js';

export interface Discretised {
  /** Grey level per ROI voxel (same order as the input values), 1..nGreyLevels. */
  levels: Int32Array;
  nGreyLevels: number;
  /** Intensity that grey level i stands for (used by the IVH): lowest level and step. */
  firstLevelIntensity: number;
  levelStep: number;
}

/**
 * IBSI 2.7 discretisation of the intensity-mask values.
 * - fixed-bin-number: X_d = ⌊N_g (X − X_min)/(X_max − X_min)⌋ + 1, X = X_max → N_g.
 * - fixed-bin-size:   X_d = ⌊(X − X_min)/w_b⌋ + 1 with X_min the lower bound (the
 *   re-segmentation minimum) or, when null, the ROI minimum; N_g = highest level reachable
 *   up to the ROI maximum.
 * - none: the intensities are the grey levels (must be positive integers, as on the IBSI
 *   digital phantom).
 */
export function discretise(values: Float64Array, settings: DiscretisationSettings): Discretised {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (values[i]! < min) min = values[i]!;
    if (values[i]! > max) max = values[i]!;
  }
  const levels = new Int32Array(n);
  switch (settings.method) {
    case 'none': {
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (!Number.isInteger(v) || v < 1) {
          throw new RadiomicsInputError(
            'DISCRETISATION_INVALID',
            `discretisation method 'none' needs positive integer intensities in the ROI; found ${v} (choose fixed-bin-number or fixed-bin-size)`,
          );
        }
        levels[i] = v;
      }
      return { levels, nGreyLevels: max, firstLevelIntensity: 1, levelStep: 1 };
    }
    case 'fixed-bin-number': {
      const bins = settings.bins;
      const range = max - min;
      for (let i = 0; i < n; i++) {
        levels[i] = range === 0 ? 1 : Math.min(bins, Math.floor((bins * (values[i]! - min)) / range) + 1);
      }
      return { levels, nGreyLevels: bins, firstLevelIntensity: 1, levelStep: 1 };
    }
    case 'fixed-bin-size': {
      const lower = settings.lowerBound ?? min;
      const w = settings.width;
      let top = 1;
      for (let i = 0; i < n; i++) {
        const level = Math.floor((values[i]! - lower) / w + 1e-9) + 1;
        if (level < 1) {
          throw new RadiomicsInputError(
            'DISCRETISATION_INVALID',
            `fixed-bin-size lowerBound ${lower} is above an ROI intensity ${values[i]}`,
          );
        }
        levels[i] = level;
        if (level > top) top = level;
      }
      // Bin centres stand for the levels (IBSI 3.5 with FBS).
      return { levels, nGreyLevels: top, firstLevelIntensity: lower + w / 2, levelStep: w };
    }
  }
}
