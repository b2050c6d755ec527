import type { IvhInput } from '../features/intensity-volume-histogram.features.js';
import { sharePaddedGrids } from '../features/texture/texture-grid.js';
import { discretise } from '../preprocessing/discretise.js';
import { resampleGrid, resampleMask, resampleVolume } from '../preprocessing/resample.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { RadiomicsSettings } from '../settings/radiomics-settings.js';
import { roiBounds, type RoiBounds } from '../roi-bounds.js';
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
  /**
   * The grey levels on the bounding box of the morphological mask (a crop of the image
   * grid starting at `roiBounds` x0, y0, z0): texture features count voxel pairs, runs
   * and zones inside the ROI, so the crop leaves them unchanged and spares each family a
   * pass over the whole image.
   */
  texture: DiscretisedRoi;
  /** The morphological mask on the texture grid (GLDZM border distances). */
  textureMorphologicalMask: Uint8Array;
  /** Bounding box of the morphological mask on the image grid. */
  roiBounds: RoiBounds;
  ivh: IvhInput;
}

const sameSpacing = (a: readonly number[], b: readonly number[]): boolean =>
  a.every((v, i) => Math.abs(v - b[i]!) <= 1e-5 * Math.max(1, Math.abs(v)));

/**
 * Refuses inputs the pipeline cannot give a meaningful answer for (before any work);
 * returns the mask's bounding box.
 */
export function validateInputs(image: Volume, mask: Mask): RoiBounds {
  if (image.dims.some((d, i) => d !== mask.dims[i]) || !sameSpacing(image.spacing, mask.spacing)) {
    throw new RadiomicsInputError(
      'MASK_GRID_MISMATCH',
      `mask grid ${mask.dims.join('×')} @ ${mask.spacing.join('×')} mm differs from image grid ${image.dims.join('×')} @ ${image.spacing.join('×')} mm`,
      { imageDims: image.dims, maskDims: mask.dims, imageSpacing: image.spacing, maskSpacing: mask.spacing },
    );
  }
  const bounds = roiBounds(mask.dims, mask.data);
  if (!bounds) throw new RadiomicsInputError('MASK_EMPTY', 'mask has no voxel inside the ROI');
  const [nx, ny] = image.dims;
  for (let z = bounds.z0; z <= bounds.z1; z++) {
    for (let y = bounds.y0; y <= bounds.y1; y++) {
      for (let x = bounds.x0; x <= bounds.x1; x++) {
        const i = x + nx * (y + ny * z);
        if (mask.data[i] && !Number.isFinite(image.data[i]!)) {
          throw new RadiomicsInputError('IMAGE_HAS_NAN', `image has a non-finite voxel (${image.data[i]}) inside the ROI at voxel (${x}, ${y}, ${z})`, { voxel: [x, y, z] });
        }
      }
    }
  }
  return bounds;
}

export function prepareRoi(image0: Volume, mask0: Mask, settings: RadiomicsSettings): PreparedRoi {
  const inputBounds = validateInputs(image0, mask0);
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
  if (settings.intensityNormalisation.method === 'image-z-score') {
    image = normaliseWholeImage(image, settings.intensityNormalisation.scale, settings.intensityNormalisation.outlierClip);
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
  // Everything below happens inside the morphological mask's bounding box.
  const bounds = mask === mask0 ? inputBounds : roiBounds(mask.dims, mask.data)!;
  const [nx, ny] = mask.dims;
  const forEachInBox = (visit: (i: number) => void): void => {
    for (let z = bounds.z0; z <= bounds.z1; z++) {
      for (let y = bounds.y0; y <= bounds.y1; y++) {
        const row = nx * (y + ny * z);
        for (let i = row + bounds.x0; i <= row + bounds.x1; i++) visit(i);
      }
    }
  };
  // IBSI 2.6: re-segmentation by range, then outlier filtering on the ROI statistics.
  const intensityMask = new Uint8Array(mask.data.length);
  forEachInBox((i) => {
    if (mask.data[i]) intensityMask[i] = 1;
  });
  const range = settings.reSegmentation.range;
  if (range) {
    const lo = range[0] ?? -Infinity;
    const hi = range[1] ?? Infinity;
    forEachInBox((i) => {
      if (intensityMask[i] && (image.data[i]! < lo || image.data[i]! > hi)) intensityMask[i] = 0;
    });
  }
  const outliers = settings.reSegmentation.outlierFiltering;
  if (outliers.method === 'sigma') {
    let sum = 0, n = 0;
    forEachInBox((i) => {
      if (mask.data[i]) { sum += image.data[i]!; n++; }
    });
    const mean = sum / n;
    let ss = 0;
    forEachInBox((i) => {
      if (mask.data[i]) ss += (image.data[i]! - mean) ** 2;
    });
    const sd = Math.sqrt(ss / n);
    forEachInBox((i) => {
      if (intensityMask[i] && Math.abs(image.data[i]! - mean) > outliers.sigma * sd) intensityMask[i] = 0;
    });
  }
  const roiIndex: number[] = [];
  forEachInBox((i) => {
    if (intensityMask[i]) roiIndex.push(i);
  });
  if (roiIndex.length === 0) {
    throw new RadiomicsInputError('MASK_EMPTY', 'mask has no voxel left after re-segmentation');
  }
  const roiValues = Float64Array.from(roiIndex, (i) => image.data[i]!);
  const anchor = settings.compatibility?.mode === 'pyradiomics' ? 'width-multiple' : 'lower-bound';
  const disc = discretise(roiValues, settings.discretisation.textureAndHistogram, anchor);
  const cropDims = [bounds.x1 - bounds.x0 + 1, bounds.y1 - bounds.y0 + 1, bounds.z1 - bounds.z0 + 1] as const;
  const levels = new Int32Array(cropDims[0] * cropDims[1] * cropDims[2]);
  const textureMorphologicalMask = new Uint8Array(levels.length);
  let k = 0, c = 0;
  forEachInBox((i) => {
    if (intensityMask[i]) levels[c] = disc.levels[k++]!;
    if (mask.data[i]) textureMorphologicalMask[c] = 1;
    c++;
  });

  const ivh = ivhInput(roiValues, settings);
  return {
    image,
    morphologicalMask: mask,
    intensityMask,
    roiValues,
    roiLevels: disc.levels,
    texture: sharePaddedGrids({ dims: cropDims, spacing: image.spacing, levels, nGreyLevels: disc.nGreyLevels }),
    textureMorphologicalMask,
    roiBounds: bounds,
    ivh,
  };
}

/**
 * PyRadiomics `normalize` (imageoperations.normalizeImage): ITK's NormalizeImageFilter over
 * every voxel of the image (mean, and the sample standard deviation with N − 1 as ITK's
 * StatisticsImageFilter), values beyond ±outlierClip clipped, then × scale.
 */
function normaliseWholeImage(image: Volume, scale: number, outlierClip: number | null): Volume {
  const n = image.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += image.data[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (image.data[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1)) || 1;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = (image.data[i]! - mean) / sd;
    if (outlierClip !== null) z = Math.max(-outlierClip, Math.min(outlierClip, z));
    data[i] = z * scale;
  }
  return { ...image, data };
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
