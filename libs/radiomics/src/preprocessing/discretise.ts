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
 * With anchor 'width-multiple' (PyRadiomics), fixed-bin-size edges are lowBound + k·w with
 * lowBound = min − (min mod w) (floored modulo, as Python's %), and X_d is the number of
 * edges ≤ X (numpy.digitize); see pyradiomicsBinLevels.
 */
export function discretise(
  values: Float64Array,
  settings: DiscretisationSettings,
  anchor: 'lower-bound' | 'width-multiple' = 'lower-bound',
): Discretised {
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
      if (anchor === 'width-multiple') return pyradiomicsBinLevels(values, settings.width, min);
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

/**
 * PyRadiomics' fixed bin width (imageoperations.getBinEdges + numpy.digitize): edges come
 * from numpy.arange(lowBound, max + 2w, w), i.e. lowBound + k·d with d = (lowBound + w) −
 * lowBound as arange computes it; the level is the count of edges ≤ X. Computed exactly on
 * those floating-point edges, so a value on an edge falls where PyRadiomics puts it.
 */
function pyradiomicsBinLevels(values: Float64Array, width: number, min: number): Discretised {
  let mod = min % width; // C fmod, then Python's sign rule for float %
  if (mod !== 0 && width < 0 !== mod < 0) mod += width;
  const low = min - mod;
  const step = low + width - low;
  const edge = (k: number): number => low + k * step;
  const levels = new Int32Array(values.length);
  let top = 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let k = Math.max(0, Math.floor((x - low) / step));
    while (k > 0 && edge(k) > x) k--;
    while (edge(k + 1) <= x) k++;
    levels[i] = k + 1;
    if (k + 1 > top) top = k + 1;
  }
  return { levels, nGreyLevels: top, firstLevelIntensity: low + width / 2, levelStep: width };
}
