import type { IvhInput } from '../features/intensity-volume-histogram.features.js';
import { discretise } from '../preprocessing/discretise.js';
import { resampleGrid, resampleMask, resampleVolume } from '../preprocessing/resample.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { RadiomicsSettings } from '../settings/radiomics-settings.js';
import type { DiscretisedRoi, Mask, Volume } from '../volume.js';

/** The ROI after IBSI chapter 2 preprocessing, as every feature family consumes it. */
export interface PreparedRoi {
  /** Image after normalisation, resampling and rounding. */
  image: Volume;
  /** IBSI 2.5: the morphological mask (resampled, not re-segmented). */
  morphologicalMask: Mask;
  /** IBSI 2.6: the intensity mask (morphological mask after re-segmentation). */
  intensityMask: Uint8Array;
  /** Intensities of the intensity-mask voxels in voxel-index order. */
  roiValues: Float64Array;
  /** Their texture/histogram grey levels, same order. */
  roiLevels: Int32Array;
  texture: DiscretisedRoi;
  ivh: IvhInput;
}

const sameSpacing = (a: readonly number[], b: readonly number[]): boolean =>
  a.every((v, i) => Math.abs(v - b[i]!) <= 1e-5 * Math.max(1, Math.abs(v)));

/** Refuses inputs the pipeline cannot give a meaningful answer for (before any work). */
export function validateInputs(image: Volume, mask: Mask): void {
  if (image.dims.some((d, i) => d !== mask.dims[i]) || !sameSpacing(image.spacing, mask.spacing)) {
    throw new RadiomicsInputError(
      'MASK_GRID_MISMATCH',
      `mask grid ${mask.dims.join('×')} @ ${mask.spacing.join('×')} mm differs from image grid ${image.dims.join('×')} @ ${image.spacing.join('×')} mm`,
      { imageDims: image.dims, maskDims: mask.dims, imageSpacing: image.spacing, maskSpacing: mask.spacing },
    );
  }
  let count = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    count++;
    if (!Number.isFinite(image.data[i]!)) {
      const [nx, ny] = image.dims;
      const at = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
      throw new RadiomicsInputError('IMAGE_HAS_NAN', `image has a non-finite voxel (${image.data[i]}) inside the ROI at voxel (${at.join(', ')})`, { voxel: at });
    }
  }
  if (count === 0) throw new RadiomicsInputError('MASK_EMPTY', 'mask has no voxel inside the ROI');
}

export function prepareRoi(image0: Volume, mask0: Mask, settings: RadiomicsSettings): PreparedRoi {
  validateInputs(image0, mask0);
  if (settings.texture.zoneLinkageDistance !== 1) {
    throw new RadiomicsInputError('SETTINGS_INVALID', 'settings /texture/zoneLinkageDistance: only 1 is implemented');
  }
  let image = image0;
  // IBSI 2.3: z-score normalisation with the ROI mean and standard deviation.
  if (settings.intensityNormalisation.method === 'z-score') {
    let sum = 0, n = 0;
    for (let i = 0; i < mask0.data.length; i++) if (mask0.data[i]) { sum += image.data[i]!; n++; }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < mask0.data.length; i++) if (mask0.data[i]) ss += (image.data[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / n) || 1;
    const data = new Float64Array(image.data.length);
    for (let i = 0; i < data.length; i++) data[i] = (image.data[i]! - mean) / sd;
    image = { ...image, data };
  }
  let mask = mask0;
  const rs = settings.resampling;
  if (rs.method === 'resample') {
    const target: (number | null)[] = [rs.spacing[0], rs.spacing[1], settings.sliceMode === '2D' ? null : rs.spacing[2]];
    const grid = resampleGrid(image.dims, image.spacing, target);
    image = resampleVolume(image, grid, rs.imageInterpolation, rs.intensityRounding);
    mask = resampleMask(mask, grid, rs.maskInterpolation, rs.partialVolumeThreshold);
    if (!mask.data.some((v) => v)) {
      throw new RadiomicsInputError('MASK_EMPTY', 'mask has no voxel left after resampling (partial-volume threshold)');
    }
  }
  // IBSI 2.6: re-segmentation by range, then outlier filtering on the ROI statistics.
  const intensityMask = new Uint8Array(mask.data.length);
  for (let i = 0; i < intensityMask.length; i++) intensityMask[i] = mask.data[i] ? 1 : 0;
  const range = settings.reSegmentation.range;
  if (range) {
    const lo = range[0] ?? -Infinity;
    const hi = range[1] ?? Infinity;
    for (let i = 0; i < intensityMask.length; i++) {
      if (intensityMask[i] && (image.data[i]! < lo || image.data[i]! > hi)) intensityMask[i] = 0;
    }
  }
  const outliers = settings.reSegmentation.outlierFiltering;
  if (outliers.method === 'sigma') {
    let sum = 0, n = 0;
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) { sum += image.data[i]!; n++; }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) ss += (image.data[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    for (let i = 0; i < intensityMask.length; i++) {
      if (intensityMask[i] && Math.abs(image.data[i]! - mean) > outliers.sigma * sd) intensityMask[i] = 0;
    }
  }
  const roiIndex: number[] = [];
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) roiIndex.push(i);
  if (roiIndex.length === 0) {
    throw new RadiomicsInputError('MASK_EMPTY', 'mask has no voxel left after re-segmentation');
  }
  const roiValues = Float64Array.from(roiIndex, (i) => image.data[i]!);
  const disc = discretise(roiValues, settings.discretisation.textureAndHistogram);
  const levels = new Int32Array(intensityMask.length);
  roiIndex.forEach((i, k) => (levels[i] = disc.levels[k]!));

  const ivh = ivhInput(roiValues, settings);
  return {
    image,
    morphologicalMask: mask,
    intensityMask,
    roiValues,
    roiLevels: disc.levels,
    texture: { dims: image.dims, spacing: image.spacing, levels, nGreyLevels: disc.nGreyLevels },
    ivh,
  };
}

/**
 * IBSI 3.5: the IVH grid. 'none' uses the intensities on a unit grid from the
 * re-segmentation bounds (or the ROI extremes); FBN uses bin numbers 1..N_g; FBS uses bin
 * centres from the lower bound.
 */
function ivhInput(roiValues: Float64Array, settings: RadiomicsSettings): IvhInput {
  const d = settings.discretisation.intensityVolumeHistogram;
  let min = Infinity, max = -Infinity;
  for (const v of roiValues) { if (v < min) min = v; if (v > max) max = v; }
  const range = settings.reSegmentation.range;
  const lo = range?.[0] ?? null;
  const hi = range?.[1] ?? null;
  switch (d.method) {
    case 'none':
      return { values: roiValues, gridMin: lo ?? min, gridMax: hi ?? max, step: 1 };
    case 'fixed-bin-number': {
      const disc = discretise(roiValues, d);
      return { values: Float64Array.from(disc.levels), gridMin: 1, gridMax: d.bins, step: 1 };
    }
    case 'fixed-bin-size': {
      const lower = d.lowerBound ?? lo ?? min;
      const disc = discretise(roiValues, { ...d, lowerBound: lower });
      const centre = (level: number): number => lower + (level - 0.5) * d.width;
      const top = hi !== null ? Math.floor((hi - lower) / d.width + 1e-9) + 1 : disc.nGreyLevels;
      return {
        values: Float64Array.from(disc.levels, centre),
        gridMin: centre(1),
        gridMax: centre(Math.max(top, disc.nGreyLevels)),
        step: d.width,
      };
    }
  }
}
