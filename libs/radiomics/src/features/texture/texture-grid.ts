/**
 * Shared grid handling for the IBSI texture families (IBSI 3.6–3.11).
 *
 * Every family works on a cropped copy of the ROI: the bounding box of the ROI, padded with
 * `pad` voxels of grey level 0 on every side. Neighbour look-ups (`v + offset`) then never
 * leave the array and "outside the ROI" is simply level 0, so the inner loops need no bounds
 * checks. Voxel index in the padded grid is x + nx * (y + ny * z), as in volume.ts.
 */
import { ValidationError } from '@radledger/platform';
import type { DiscretisedRoi } from '../../volume.js';

/** GLCM and GLRLM aggregation methods (IBSI 3.6 and 3.7, "Aggregating features"). */
export const MATRIX_AGGREGATIONS = ['BTW3', 'SUJT', 'JJUI', 'ZW7Z', 'ITBB', 'IAZD'] as const;
export type MatrixAggregation = (typeof MATRIX_AGGREGATIONS)[number];

/** GLSZM, GLDZM, NGTDM and NGLDM aggregation methods (IBSI 3.8–3.11). */
export const SLICE_AGGREGATIONS = ['8QNN', '62GR', 'KOBO'] as const;
export type SliceAggregation = (typeof SLICE_AGGREGATIONS)[number];

/** Human-readable names of the aggregation codes, as the IBSI reference tables print them. */
export const AGGREGATION_NAMES: Readonly<Record<MatrixAggregation | SliceAggregation, string>> = {
  BTW3: '2D, averaged',
  SUJT: '2D, slice-merged',
  JJUI: '2.5D, direction-merged',
  ZW7Z: '2.5D, merged',
  ITBB: '3D, averaged',
  IAZD: '3D, merged',
  '8QNN': '2D',
  '62GR': '2.5D',
  KOBO: '3D',
};

/** Whether matrices are built per slice (2D: in-plane neighbours only) or over the volume. */
export type TextureDimension = '2D' | '3D';

export type DirectionVector = readonly [dx: number, dy: number, dz: number];

// IBSI 3.6: the 13 unique 3D directions of the 26-neighbourhood, and the 4 in-plane ones.
const UNIT_DIRECTIONS_3D: readonly DirectionVector[] = [
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
  [0, 1, 1],
  [0, 1, -1],
  [1, 0, 1],
  [1, 0, -1],
  [1, 1, 0],
  [1, -1, 0],
  [1, 1, 1],
  [1, 1, -1],
  [1, -1, 1],
  [1, -1, -1],
];
const UNIT_DIRECTIONS_2D: readonly DirectionVector[] = [
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [-1, 1, 0],
];

/** IBSI 3.6: direction vectors for Chebyshev distance δ are the unit vectors times δ. */
export function directionVectors(dimension: TextureDimension, distance = 1): DirectionVector[] {
  const base = dimension === '3D' ? UNIT_DIRECTIONS_3D : UNIT_DIRECTIONS_2D;
  return base.map(([dx, dy, dz]) => [dx * distance, dy * distance, dz * distance] as const);
}

/** A cropped, zero-padded copy of the ROI with the ROI voxels listed slice by slice. */
export interface PaddedRoi {
  nx: number;
  ny: number;
  nz: number;
  pad: number;
  nGreyLevels: number;
  /** Grey levels 1..nGreyLevels inside the ROI, 0 elsewhere (padded grid). */
  levels: Int32Array;
  /** Padded-grid indices of the ROI voxels in ascending order. */
  voxels: Int32Array;
  /** voxels[sliceStart[z] .. sliceStart[z + 1]) lie in padded slice z. */
  sliceStart: Int32Array;
  /** Padded slices that hold at least one ROI voxel, ascending. */
  slices: Int32Array;
  /** Original-grid z index of padded slice z is z + zOffset. */
  zOffset: number;
  /** Original-grid origin of the crop (before padding): index of padded (pad, pad, pad). */
  origin: readonly [number, number, number];
  /** Morphological mask on the padded grid (1 inside), when one was given. */
  morphological?: Uint8Array;
}

/** Throws unless `value` is an integer ≥ min. */
export function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(
      'TEXTURE_OPTION_INVALID',
      `${field} must be an integer >= ${min}, got ${String(value)}`,
      { field, value },
    );
  }
}

/** Throws unless every requested aggregation is one of `allowed`. */
export function requireAggregations<T extends string>(
  family: string,
  requested: readonly string[],
  allowed: readonly T[],
): T[] {
  for (const a of requested) {
    if (!(allowed as readonly string[]).includes(a)) {
      throw new ValidationError(
        'TEXTURE_AGGREGATION_INVALID',
        `${family} aggregations must be among ${allowed.join(', ')}, got ${a}`,
        { field: 'aggregations', value: a },
      );
    }
  }
  return [...new Set(requested)] as T[];
}

/** Validates the discretised ROI (dims, grey-level range, non-empty ROI). */
export function validateRoi(roi: DiscretisedRoi): void {
  const [nx, ny, nz] = roi.dims;
  for (const [i, n] of [nx, ny, nz].entries()) requireInteger(`dims[${i}]`, n, 1);
  requireInteger('nGreyLevels', roi.nGreyLevels, 1);
  if (roi.levels.length !== nx * ny * nz) {
    throw new ValidationError(
      'ROI_SHAPE_MISMATCH',
      `levels must hold dims[0]*dims[1]*dims[2] = ${nx * ny * nz} voxels, got ${roi.levels.length}`,
      { field: 'levels' },
    );
  }
  let inRoi = 0;
  for (let v = 0; v < roi.levels.length; v++) {
    const g = roi.levels[v];
    if (g < 0 || g > roi.nGreyLevels) {
      throw new ValidationError(
        'GREY_LEVEL_OUT_OF_RANGE',
        `levels[${v}] must be 0 (outside the ROI) or 1..${roi.nGreyLevels}, got ${g}`,
        { field: 'levels', index: v, value: g },
      );
    }
    if (g > 0) inRoi++;
  }
  if (inRoi === 0) {
    throw new ValidationError('ROI_EMPTY', 'levels must hold at least one ROI voxel (grey level >= 1)', {
      field: 'levels',
    });
  }
}

/** ROIs whose padded grids are built once and shared (see `sharePaddedGrids`). */
const sharedGrids = new WeakMap<DiscretisedRoi, Map<number, PaddedRoi>>();
const sharedGridsWithMask = new WeakMap<DiscretisedRoi, WeakMap<Uint8Array, Map<number, PaddedRoi>>>();

/**
 * Declares `roi` immutable from now on, so the texture families computed on it share one
 * padded grid per (pad, morphological mask) instead of each building its own. The grids
 * are read-only for every family. Returns `roi`.
 */
export function sharePaddedGrids(roi: DiscretisedRoi): DiscretisedRoi {
  sharedGrids.set(roi, new Map());
  sharedGridsWithMask.set(roi, new WeakMap());
  return roi;
}

/**
 * Crops `roi` to the bounding box of its ROI voxels (and of the morphological mask, when
 * given) and pads it by `pad` voxels of level 0 on every side.
 */
export function padRoi(roi: DiscretisedRoi, pad: number, morphologicalMask?: Uint8Array): PaddedRoi {
  let shared: Map<number, PaddedRoi> | undefined;
  if (morphologicalMask === undefined) shared = sharedGrids.get(roi);
  else {
    const byMask = sharedGridsWithMask.get(roi);
    if (byMask) {
      shared = byMask.get(morphologicalMask);
      if (!shared) byMask.set(morphologicalMask, (shared = new Map()));
    }
  }
  const known = shared?.get(pad);
  if (known) return known;
  const grid = buildPaddedRoi(roi, pad, morphologicalMask);
  shared?.set(pad, grid);
  return grid;
}

function buildPaddedRoi(roi: DiscretisedRoi, pad: number, morphologicalMask?: Uint8Array): PaddedRoi {
  validateRoi(roi);
  requireInteger('pad', pad, 1);
  const [nx0, ny0, nz0] = roi.dims;
  if (morphologicalMask !== undefined && morphologicalMask.length !== roi.levels.length) {
    throw new ValidationError(
      'ROI_SHAPE_MISMATCH',
      `morphologicalMask must hold ${roi.levels.length} voxels like levels, got ${morphologicalMask.length}`,
      { field: 'morphologicalMask' },
    );
  }
  let x0 = nx0, y0 = ny0, z0 = nz0, x1 = -1, y1 = -1, z1 = -1;
  for (let z = 0, v = 0; z < nz0; z++) {
    for (let y = 0; y < ny0; y++) {
      for (let x = 0; x < nx0; x++, v++) {
        if (roi.levels[v] > 0 || (morphologicalMask !== undefined && morphologicalMask[v] !== 0)) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          if (z < z0) z0 = z;
          if (z > z1) z1 = z;
        }
      }
    }
  }
  const nx = x1 - x0 + 1 + 2 * pad;
  const ny = y1 - y0 + 1 + 2 * pad;
  const nz = z1 - z0 + 1 + 2 * pad;
  const levels = new Int32Array(nx * ny * nz);
  const morphological = morphologicalMask === undefined ? undefined : new Uint8Array(nx * ny * nz);
  let count = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const src = x0 + nx0 * (y + ny0 * z);
      const dst = pad + nx * (y - y0 + pad + ny * (z - z0 + pad));
      for (let x = 0; x <= x1 - x0; x++) {
        const g = roi.levels[src + x];
        levels[dst + x] = g;
        if (g > 0) count++;
        if (morphological !== undefined && morphologicalMask![src + x] !== 0) morphological[dst + x] = 1;
      }
    }
  }
  const voxels = new Int32Array(count);
  const sliceStart = new Int32Array(nz + 1);
  const slices: number[] = [];
  const sliceSize = nx * ny;
  for (let z = 0, k = 0; z < nz; z++) {
    sliceStart[z] = k;
    const end = (z + 1) * sliceSize;
    for (let v = z * sliceSize; v < end; v++) if (levels[v] > 0) voxels[k++] = v;
    if (k > sliceStart[z]) slices.push(z);
    sliceStart[z + 1] = k;
  }
  return {
    nx,
    ny,
    nz,
    pad,
    nGreyLevels: roi.nGreyLevels,
    levels,
    voxels,
    sliceStart,
    slices: Int32Array.from(slices),
    zOffset: z0 - pad,
    origin: [x0, y0, z0],
    morphological,
  };
}

/** Index offset of a direction vector in the padded grid. */
export function offsetOf(grid: PaddedRoi, [dx, dy, dz]: DirectionVector): number {
  return dx + grid.nx * (dy + grid.ny * dz);
}

/**
 * Index offsets of every voxel within Chebyshev distance `distance` (centre excluded); in
 * 2D only the in-plane ones.
 */
export function neighbourhoodOffsets(grid: PaddedRoi, dimension: TextureDimension, distance: number): Int32Array {
  const out: number[] = [];
  const dzMax = dimension === '3D' ? distance : 0;
  for (let dz = -dzMax; dz <= dzMax; dz++) {
    for (let dy = -distance; dy <= distance; dy++) {
      for (let dx = -distance; dx <= distance; dx++) {
        if (dx !== 0 || dy !== 0 || dz !== 0) out.push(offsetOf(grid, [dx, dy, dz]));
      }
    }
  }
  return Int32Array.from(out);
}

/** Running mean of feature vectors (the "averaged" aggregations). */
export class FeatureMean {
  private readonly sum: Float64Array;
  private n = 0;
  constructor(size: number) {
    this.sum = new Float64Array(size);
  }
  add(values: Float64Array): void {
    for (let k = 0; k < values.length; k++) this.sum[k] += values[k];
    this.n++;
  }
  /** Undefined when nothing was added: the feature is then undefined for this aggregation. */
  mean(): Float64Array | undefined {
    if (this.n === 0) return undefined;
    const out = new Float64Array(this.sum.length);
    for (let k = 0; k < out.length; k++) out[k] = this.sum[k] / this.n;
    return out;
  }
}

/**
 * Writes `values[k]` under `${codes[k]}@${aggregation}`. Without values (no non-empty matrix,
 * e.g. 2D GLCM of an ROI one voxel thick in every slice) the keys are left out rather than
 * written as NaN, which JSON and the result hash cannot carry.
 */
export function writeFeatures(
  out: Record<string, number>,
  codes: readonly string[],
  aggregation: string,
  values: Float64Array | undefined,
): void {
  if (values === undefined) return;
  for (let k = 0; k < codes.length; k++) out[`${codes[k]}@${aggregation}`] = values[k];
}

/** -p log2 p summed over positive entries of `counts`, normalised by `total`. */
export function entropyOfCounts(counts: ArrayLike<number>, total: number): number {
  let h = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/** How one IBSI 3.8–3.11 family builds, merges and measures its matrices. */
export interface SliceAggregatedFamily<M> {
  /** The 2D matrices, one per slice of the ROI. */
  slices(): M[];
  /** The one 3D matrix of the volume. */
  volume(): M;
  /** Element-wise sum of matrices, N_v summed too. */
  merge(matrices: readonly M[]): M;
  /** The features of one matrix in `codes` order; undefined when the matrix is empty. */
  vector(m: M): Float64Array | undefined;
}

/**
 * Writes the requested slice aggregations (IBSI 3.8–3.11, "Aggregating features"): 8QNN
 * averages the features of the 2D matrices (empty ones left out), 62GR computes them from
 * the 2D matrices merged, KOBO from the 3D matrix.
 */
export function writeSliceAggregations<M>(
  out: Record<string, number>,
  codes: readonly string[],
  want: ReadonlySet<SliceAggregation>,
  family: SliceAggregatedFamily<M>,
): void {
  if (want.has('8QNN') || want.has('62GR')) {
    const slices = family.slices();
    if (want.has('8QNN')) {
      const mean = new FeatureMean(codes.length);
      for (const m of slices) {
        const f = family.vector(m);
        if (f !== undefined) mean.add(f);
      }
      writeFeatures(out, codes, '8QNN', mean.mean());
    }
    if (want.has('62GR')) writeFeatures(out, codes, '62GR', family.vector(family.merge(slices)));
  }
  if (want.has('KOBO')) writeFeatures(out, codes, 'KOBO', family.vector(family.volume()));
}
