/**
 * Grey level run length matrix features, IBSI 3.7 (TP0I).
 *
 * r_ij counts runs of grey level i and length j along direction m: maximal sequences of
 * consecutive ROI voxels with the same grey level (a voxel outside the ROI ends a run).
 * Directions and aggregation codes are those of the GLCM (IBSI 3.6); merged matrices also
 * sum N_v, the voxel count behind each directional matrix (IBSI 3.7 "Aggregating features").
 *
 * PyRadiomics averages its GLRLM features over the 3D directions (compare with `@ITBB`).
 */
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
import { type CountMatrix, countMatrixFromDense, mergeCountMatrices } from './count-matrix.js';
import { countMatrixFeatureVector } from './count-matrix.features.js';
import {
  FeatureMean,
  MATRIX_AGGREGATIONS,
  type DirectionVector,
  type MatrixAggregation,
  type PaddedRoi,
  type TextureDimension,
  directionVectors,
  offsetOf,
  padRoi,
  requireAggregations,
  writeFeatures,
} from './texture-grid.js';

export interface GlrlmOptions {
  /** Aggregation methods to compute; default all six. */
  aggregations?: readonly MatrixAggregation[];
}

export interface GlrlmMatrix {
  direction: DirectionVector;
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  matrix: CountMatrix;
}

const P = 'original_glrlm_';

/** The GLRLM features in computation order (IBSI 3.7.1–3.7.16). */
export const glrlmFeatureDefinitions: FeatureDefinition[] = [
  { code: '22OV', name: 'Short runs emphasis', family: 'glrlm', pyradiomicsName: `${P}ShortRunEmphasis` },
  { code: 'W4KF', name: 'Long runs emphasis', family: 'glrlm', pyradiomicsName: `${P}LongRunEmphasis` },
  { code: 'V3SW', name: 'Low grey level run emphasis', family: 'glrlm', pyradiomicsName: `${P}LowGrayLevelRunEmphasis` },
  { code: 'G3QZ', name: 'High grey level run emphasis', family: 'glrlm', pyradiomicsName: `${P}HighGrayLevelRunEmphasis` },
  { code: 'HTZT', name: 'Short run low grey level emphasis', family: 'glrlm', pyradiomicsName: `${P}ShortRunLowGrayLevelEmphasis` },
  { code: 'GD3A', name: 'Short run high grey level emphasis', family: 'glrlm', pyradiomicsName: `${P}ShortRunHighGrayLevelEmphasis` },
  { code: 'IVPO', name: 'Long run low grey level emphasis', family: 'glrlm', pyradiomicsName: `${P}LongRunLowGrayLevelEmphasis` },
  { code: '3KUM', name: 'Long run high grey level emphasis', family: 'glrlm', pyradiomicsName: `${P}LongRunHighGrayLevelEmphasis` },
  { code: 'R5YN', name: 'Grey level non-uniformity', family: 'glrlm', pyradiomicsName: `${P}GrayLevelNonUniformity` },
  { code: 'OVBL', name: 'Normalised grey level non-uniformity', family: 'glrlm', pyradiomicsName: `${P}GrayLevelNonUniformityNormalized` },
  { code: 'W92Y', name: 'Run length non-uniformity', family: 'glrlm', pyradiomicsName: `${P}RunLengthNonUniformity` },
  { code: 'IC23', name: 'Normalised run length non-uniformity', family: 'glrlm', pyradiomicsName: `${P}RunLengthNonUniformityNormalized` },
  { code: '9ZK5', name: 'Run percentage', family: 'glrlm', pyradiomicsName: `${P}RunPercentage` },
  { code: '8CE5', name: 'Grey level variance', family: 'glrlm', pyradiomicsName: `${P}GrayLevelVariance` },
  { code: 'SXLW', name: 'Run length variance', family: 'glrlm', pyradiomicsName: `${P}RunVariance` },
  { code: 'HJ9O', name: 'Run entropy', family: 'glrlm', pyradiomicsName: `${P}RunEntropy` },
];
const CODES = glrlmFeatureDefinitions.map((d) => d.code);
const N_FEATURES = CODES.length;

/**
 * Adds the runs that start at ROI voxels voxels[from..to) along `offset` into the dense
 * accumulator dense[(i - 1) * maxRun + (j - 1)]. A voxel starts a run when the voxel before
 * it (v - offset) has another level (or lies outside the ROI); the run is then walked out.
 */
function accumulateRuns(grid: PaddedRoi, offset: number, from: number, to: number, dense: Float64Array, maxRun: number): void {
  const { levels, voxels } = grid;
  for (let k = from; k < to; k++) {
    const v = voxels[k];
    const a = levels[v];
    if (levels[v - offset] === a) continue;
    let length = 1;
    for (let w = v + offset; levels[w] === a; w += offset) length++;
    dense[(a - 1) * maxRun + (length - 1)] += 1;
  }
}

function longestPossibleRun(grid: PaddedRoi): number {
  return Math.max(grid.nx, grid.ny, grid.nz);
}

function runMatrix(grid: PaddedRoi, d: DirectionVector, from: number, to: number, dense: Float64Array): CountMatrix {
  const maxRun = longestPossibleRun(grid);
  dense.fill(0);
  accumulateRuns(grid, offsetOf(grid, d), from, to, dense, maxRun);
  return countMatrixFromDense(grid.nGreyLevels, maxRun, dense, to - from);
}

/** The directional GLRLMs: per slice and in-plane direction (2D) or per 3D direction (3D). */
export function glrlmMatrices(roi: DiscretisedRoi, opts: { dimension: TextureDimension }): GlrlmMatrix[] {
  const grid = padRoi(roi, 1);
  const dense = new Float64Array(grid.nGreyLevels * longestPossibleRun(grid));
  const out: GlrlmMatrix[] = [];
  const dirs = directionVectors(opts.dimension);
  if (opts.dimension === '3D') {
    for (const d of dirs) out.push({ direction: d, matrix: runMatrix(grid, d, 0, grid.voxels.length, dense) });
  } else {
    for (const z of grid.slices) {
      for (const d of dirs) {
        const matrix = runMatrix(grid, d, grid.sliceStart[z], grid.sliceStart[z + 1], dense);
        out.push({ direction: d, slice: z + grid.zOffset, matrix });
      }
    }
  }
  return out;
}

/** GLRLM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeGlrlmFeatures(roi: DiscretisedRoi, opts: GlrlmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('GLRLM', opts.aggregations ?? MATRIX_AGGREGATIONS, MATRIX_AGGREGATIONS);
  const want = new Set<MatrixAggregation>(aggregations);
  const grid = padRoi(roi, 1);
  const dense = new Float64Array(grid.nGreyLevels * longestPossibleRun(grid));
  const out: FeatureValues = {};

  if (want.has('BTW3') || want.has('SUJT') || want.has('JJUI') || want.has('ZW7Z')) {
    const dirs = directionVectors('2D');
    const perDirection: CountMatrix[][] = dirs.map(() => []);
    const btw3 = new FeatureMean(N_FEATURES);
    const sujt = new FeatureMean(N_FEATURES);
    for (const z of grid.slices) {
      const slice: CountMatrix[] = [];
      dirs.forEach((d, k) => {
        const m = runMatrix(grid, d, grid.sliceStart[z], grid.sliceStart[z + 1], dense);
        if (want.has('BTW3')) btw3.add(glrlmFeatureVector(m));
        slice.push(m);
        perDirection[k].push(m);
      });
      if (want.has('SUJT')) sujt.add(glrlmFeatureVector(mergeCountMatrices(slice)));
    }
    if (want.has('BTW3')) writeFeatures(out, CODES, 'BTW3', btw3.mean());
    if (want.has('SUJT')) writeFeatures(out, CODES, 'SUJT', sujt.mean());
    const directionMerged = perDirection.map((ms) => mergeCountMatrices(ms));
    if (want.has('JJUI')) {
      const jjui = new FeatureMean(N_FEATURES);
      for (const m of directionMerged) jjui.add(glrlmFeatureVector(m));
      writeFeatures(out, CODES, 'JJUI', jjui.mean());
    }
    if (want.has('ZW7Z')) writeFeatures(out, CODES, 'ZW7Z', glrlmFeatureVector(mergeCountMatrices(directionMerged)));
  }

  if (want.has('ITBB') || want.has('IAZD')) {
    const itbb = new FeatureMean(N_FEATURES);
    const all: CountMatrix[] = [];
    for (const d of directionVectors('3D')) {
      const m = runMatrix(grid, d, 0, grid.voxels.length, dense);
      if (want.has('ITBB')) itbb.add(glrlmFeatureVector(m));
      all.push(m);
    }
    if (want.has('ITBB')) writeFeatures(out, CODES, 'ITBB', itbb.mean());
    if (want.has('IAZD')) writeFeatures(out, CODES, 'IAZD', glrlmFeatureVector(mergeCountMatrices(all)));
  }
  return out;
}

/** The 16 GLRLM features of one (possibly merged) matrix, in `glrlmFeatureDefinitions` order. */
export function glrlmFeatureVector(m: CountMatrix): Float64Array {
  return countMatrixFeatureVector(m);
}
