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
import { type CountMatrix, countMatrixFromDense, marginals, mergeCountMatrices, totalCount } from './count-matrix.js';
import {
  FeatureMean,
  SLICE_AGGREGATIONS,
  type PaddedRoi,
  type SliceAggregation,
  type TextureDimension,
  entropyOfCounts,
  neighbourhoodOffsets,
  padRoi,
  requireAggregations,
  requireInteger,
  writeFeatures,
} from './texture-grid.js';

export interface NgldmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
  /** Chebyshev distance δ of the neighbourhood; default 1. */
  distance?: number;
  /** Coarseness α: neighbours with |X_k - X_m| ≤ α are dependent; default 0. */
  alpha?: number;
}

export interface NgldmMatrix {
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  matrix: CountMatrix;
}

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
const N_FEATURES = CODES.length;

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
  if (want.has('8QNN') || want.has('62GR')) {
    const slices = buildMatrices(grid, '2D', distance, alpha).map((s) => s.matrix);
    if (want.has('8QNN')) {
      const mean = new FeatureMean(N_FEATURES);
      for (const m of slices) mean.add(ngldmFeatureVector(m));
      writeFeatures(out, CODES, '8QNN', mean.mean());
    }
    if (want.has('62GR')) writeFeatures(out, CODES, '62GR', ngldmFeatureVector(mergeCountMatrices(slices)));
  }
  if (want.has('KOBO')) {
    writeFeatures(out, CODES, 'KOBO', ngldmFeatureVector(buildMatrices(grid, '3D', distance, alpha)[0].matrix));
  }
  return out;
}

/** The 17 NGLDM features of one (possibly merged) matrix, in `ngldmFeatureDefinitions` order. */
export function ngldmFeatureVector(m: CountMatrix): Float64Array {
  const ng = m.nGreyLevels;
  const nc = m.columns.length;
  const ns = totalCount(m); // N_s, the number of neighbourhoods
  const { perLevel, perColumn } = marginals(m); // s_i., s_.j
  let lde = 0, hde = 0, lgce = 0, hgce = 0, ldlge = 0, ldhge = 0, hdlge = 0, hdhge = 0;
  let glnu = 0, dcnu = 0, sumI = 0, sumJ = 0, energy = 0;
  for (let c = 0; c < nc; c++) {
    const j = m.columns[c];
    const s = perColumn[c];
    // IBSI 3.11.1 (SODN): F = (1/N_s) Σ_j s_.j / j²
    lde += s / (j * j);
    // IBSI 3.11.2 (IMOQ): F = (1/N_s) Σ_j j² s_.j
    hde += j * j * s;
    // IBSI 3.11.11 (Z87G): F = (1/N_s) Σ_j s_.j²
    dcnu += s * s;
    sumJ += j * s;
  }
  for (let i = 1; i <= ng; i++) {
    const s = perLevel[i - 1];
    // IBSI 3.11.3 (TL9H): F = (1/N_s) Σ_i s_i. / i²
    lgce += s / (i * i);
    // IBSI 3.11.4 (OAE7): F = (1/N_s) Σ_i i² s_i.
    hgce += i * i * s;
    // IBSI 3.11.9 (FP8K): F = (1/N_s) Σ_i s_i.²
    glnu += s * s;
    sumI += i * s;
    for (let c = 0; c < nc; c++) {
      const sij = m.counts[(i - 1) * nc + c];
      if (sij === 0) continue;
      const j = m.columns[c];
      // IBSI 3.11.5 (EQ3F): F = (1/N_s) Σ s_ij / (i² j²)
      ldlge += sij / (i * i * j * j);
      // IBSI 3.11.6 (JA6D): F = (1/N_s) Σ i² s_ij / j²
      ldhge += (i * i * sij) / (j * j);
      // IBSI 3.11.7 (NBZI): F = (1/N_s) Σ j² s_ij / i²
      hdlge += (j * j * sij) / (i * i);
      // IBSI 3.11.8 (9QMG): F = (1/N_s) Σ i² j² s_ij
      hdhge += i * i * j * j * sij;
      // IBSI 3.11.17 (CAS9): F = Σ p_ij², p_ij = s_ij / N_s
      energy += (sij / ns) ** 2;
    }
  }
  const muI = sumI / ns;
  const muJ = sumJ / ns;
  let varI = 0, varJ = 0;
  for (let i = 1; i <= ng; i++) {
    for (let c = 0; c < nc; c++) {
      const sij = m.counts[(i - 1) * nc + c];
      if (sij === 0) continue;
      varI += (i - muI) ** 2 * sij;
      varJ += (m.columns[c] - muJ) ** 2 * sij;
    }
  }
  return Float64Array.of(
    lde / ns,
    hde / ns,
    lgce / ns,
    hgce / ns,
    ldlge / ns,
    ldhge / ns,
    hdlge / ns,
    hdhge / ns,
    glnu / ns,
    // IBSI 3.11.10 (5SPA): F = (1/N_s²) Σ_i s_i.²
    glnu / (ns * ns),
    dcnu / ns,
    // IBSI 3.11.12 (OKJI): F = (1/N_s²) Σ_j s_.j²
    dcnu / (ns * ns),
    // IBSI 3.11.13 (6XV8): F = N_s / N_v (1 under IBSI's every-voxel-is-a-centre definition)
    ns / m.nVoxels,
    // IBSI 3.11.14 (1PFV): F = Σ (i - μ)² p_ij, μ = Σ i p_ij
    varI / ns,
    // IBSI 3.11.15 (DNX2): F = Σ (j - μ)² p_ij, μ = Σ j p_ij
    varJ / ns,
    // IBSI 3.11.16 (FCBV): F = -Σ p_ij log2 p_ij
    entropyOfCounts(m.counts, ns),
    energy,
  );
}
