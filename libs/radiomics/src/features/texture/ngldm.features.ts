/**
 * Neighbouring grey level dependence matrix features, IBSI 3.11 (REK0).
 *
 * For each ROI voxel k with grey level i, the dependence j_k = 1 + the number of ROI voxels
 * within Chebyshev distance δ (in 2D only in-plane ones) whose grey level differs from i by
 * at most the coarseness α; s_ij counts voxels with grey level i and dependence j. Every ROI
 * voxel is a centre, so N_s = N_v. Aggregation (IBSI 3.11): 8QNN features per slice
 * averaged, 62GR slice matrices merged (counts and N_v summed), KOBO 3D.
 *
 * PyRadiomics' GLDM is this matrix in 3D (compare with `@KOBO`; its `gldm_a` is α, and its
 * dependence index also starts at 1 for a voxel without dependent neighbours). It deprecated
 * normalised grey level non-uniformity (equal to first-order Uniformity) and dependence
 * count percentage (always 1), and has no dependence count energy.
 */
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
import { type CountMatrix, type SliceCountMatrix, countMatrixFromDense, mergeCountMatrices, totalCount } from './count-matrix.js';
import { COUNT_MATRIX_FEATURE_COUNT, countMatrixFeatureVector } from './count-matrix.features.js';
import {
  SLICE_AGGREGATIONS,
  type PaddedRoi,
  type SliceAggregation,
  type TextureDimension,
  neighbourhoodOffsets,
  padRoi,
  requireAggregations,
  requireInteger,
  writeSliceAggregations,
} from './texture-grid.js';

export interface NgldmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
  /** Chebyshev distance δ of the neighbourhood; default 1. */
  distance?: number;
  /** Coarseness α: neighbours with |X_k - X_m| ≤ α are dependent; default 0. */
  alpha?: number;
}

export type NgldmMatrix = SliceCountMatrix;

const P = 'original_gldm_';

/** The NGLDM features in computation order (IBSI 3.11.1–3.11.17). */
export const ngldmFeatureDefinitions: FeatureDefinition[] = [
  { code: 'SODN', name: 'Low dependence emphasis', family: 'ngldm', pyradiomicsName: `${P}SmallDependenceEmphasis` },
  { code: 'IMOQ', name: 'High dependence emphasis', family: 'ngldm', pyradiomicsName: `${P}LargeDependenceEmphasis` },
  { code: 'TL9H', name: 'Low grey level count emphasis', family: 'ngldm', pyradiomicsName: `${P}LowGrayLevelEmphasis` },
  { code: 'OAE7', name: 'High grey level count emphasis', family: 'ngldm', pyradiomicsName: `${P}HighGrayLevelEmphasis` },
  { code: 'EQ3F', name: 'Low dependence low grey level emphasis', family: 'ngldm', pyradiomicsName: `${P}SmallDependenceLowGrayLevelEmphasis` },
  { code: 'JA6D', name: 'Low dependence high grey level emphasis', family: 'ngldm', pyradiomicsName: `${P}SmallDependenceHighGrayLevelEmphasis` },
  { code: 'NBZI', name: 'High dependence low grey level emphasis', family: 'ngldm', pyradiomicsName: `${P}LargeDependenceLowGrayLevelEmphasis` },
  { code: '9QMG', name: 'High dependence high grey level emphasis', family: 'ngldm', pyradiomicsName: `${P}LargeDependenceHighGrayLevelEmphasis` },
  { code: 'FP8K', name: 'Grey level non-uniformity', family: 'ngldm', pyradiomicsName: `${P}GrayLevelNonUniformity` },
  { code: '5SPA', name: 'Normalised grey level non-uniformity', family: 'ngldm' },
  { code: 'Z87G', name: 'Dependence count non-uniformity', family: 'ngldm', pyradiomicsName: `${P}DependenceNonUniformity` },
  { code: 'OKJI', name: 'Normalised dependence count non-uniformity', family: 'ngldm', pyradiomicsName: `${P}DependenceNonUniformityNormalized` },
  { code: '6XV8', name: 'Dependence count percentage', family: 'ngldm' },
  { code: '1PFV', name: 'Grey level variance', family: 'ngldm', pyradiomicsName: `${P}GrayLevelVariance` },
  { code: 'DNX2', name: 'Dependence count variance', family: 'ngldm', pyradiomicsName: `${P}DependenceVariance` },
  { code: 'FCBV', name: 'Dependence count entropy', family: 'ngldm', pyradiomicsName: `${P}DependenceEntropy` },
  { code: 'CAS9', name: 'Dependence count energy', family: 'ngldm' },
];
const CODES = ngldmFeatureDefinitions.map((d) => d.code);

function dependenceMatrix(grid: PaddedRoi, offsets: Int32Array, alpha: number, from: number, to: number): CountMatrix {
  const { levels, voxels, nGreyLevels: ng } = grid;
  const maxJ = offsets.length + 1;
  const dense = new Float64Array(ng * maxJ);
  for (let k = from; k < to; k++) {
    const v = voxels[k];
    const a = levels[v];
    let j = 1; // IBSI 3.11: the centre voxel counts, so j_k ≥ 1
    for (let o = 0; o < offsets.length; o++) {
      const b = levels[v + offsets[o]];
      if (b > 0 && Math.abs(a - b) <= alpha) j++;
    }
    dense[(a - 1) * maxJ + (j - 1)] += 1;
  }
  return countMatrixFromDense(ng, maxJ, dense, to - from);
}

function buildMatrices(grid: PaddedRoi, dimension: TextureDimension, distance: number, alpha: number): NgldmMatrix[] {
  const offsets = neighbourhoodOffsets(grid, dimension, distance);
  if (dimension === '3D') return [{ matrix: dependenceMatrix(grid, offsets, alpha, 0, grid.voxels.length) }];
  return Array.from(grid.slices, (z) => ({
    slice: z + grid.zOffset,
    matrix: dependenceMatrix(grid, offsets, alpha, grid.sliceStart[z], grid.sliceStart[z + 1]),
  }));
}

function resolveOptions(opts: { distance?: number; alpha?: number }): { distance: number; alpha: number } {
  const distance = opts.distance ?? 1;
  const alpha = opts.alpha ?? 0;
  requireInteger('distance', distance, 1);
  requireInteger('alpha', alpha, 0);
  return { distance, alpha };
}

/** The NGLDMs: one per slice (2D) or one for the volume (3D). */
export function ngldmMatrices(
  roi: DiscretisedRoi,
  opts: { dimension: TextureDimension; distance?: number; alpha?: number },
): NgldmMatrix[] {
  const { distance, alpha } = resolveOptions(opts);
  return buildMatrices(padRoi(roi, distance), opts.dimension, distance, alpha);
}

/** NGLDM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeNgldmFeatures(roi: DiscretisedRoi, opts: NgldmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('NGLDM', opts.aggregations ?? SLICE_AGGREGATIONS, SLICE_AGGREGATIONS);
  const want = new Set<SliceAggregation>(aggregations);
  const { distance, alpha } = resolveOptions(opts);
  const grid = padRoi(roi, distance);
  const out: FeatureValues = {};
  writeSliceAggregations(out, CODES, want, {
    slices: () => buildMatrices(grid, '2D', distance, alpha).map((s) => s.matrix),
    volume: () => buildMatrices(grid, '3D', distance, alpha)[0].matrix,
    merge: mergeCountMatrices,
    vector: ngldmFeatureVector,
  });
  return out;
}

/** The 17 NGLDM features of one (possibly merged) matrix, in `ngldmFeatureDefinitions` order. */
export function ngldmFeatureVector(m: CountMatrix): Float64Array {
  const out = countMatrixFeatureVector(m, new Float64Array(COUNT_MATRIX_FEATURE_COUNT + 1));
  // IBSI 3.11.17 (CAS9): F = Σ p_ij², p_ij = s_ij / N_s
  const ns = totalCount(m);
  let energy = 0;
  for (let k = 0; k < m.counts.length; k++) {
    const sij = m.counts[k];
    if (sij !== 0) energy += (sij / ns) ** 2;
  }
  out[COUNT_MATRIX_FEATURE_COUNT] = energy;
  return out;
}
