/**
 * Grey level co-occurrence matrix features, IBSI 3.6 (LFYI).
 *
 * M_m(i, j) counts neighbour pairs along direction m with grey levels (i, j); the symmetric
 * GLCM is M_m+ + M_m+^T (IBSI 3.6). Directions: 13 in 3D, 4 in-plane in 2D, scaled by the
 * Chebyshev distance δ. Aggregation (IBSI 3.6 "Aggregating features"): BTW3 2D averaged
 * over directions and slices, SUJT 2D merged per slice then averaged over slices, JJUI 2.5D
 * merged per direction over slices then averaged over directions, ZW7Z 2.5D all merged,
 * ITBB 3D averaged over directions, IAZD 3D all merged. Merging sums counts before
 * normalising. Empty matrices (no pair in a slice/direction) are left out of averages.
 *
 * PyRadiomics computes its GLCM features per 3D direction and averages them (compare with
 * `@ITBB`). Its N_g, used by Idn and Idmn, is the highest grey level present in the ROI,
 * where IBSI's is the number of discretised grey levels (`DiscretisedRoi.nGreyLevels`): the
 * two differ when the top bins are empty.
 */
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
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
  requireInteger,
  writeFeatures,
} from './texture-grid.js';

export interface GlcmOptions {
  /** Aggregation methods to compute; default all six. */
  aggregations?: readonly MatrixAggregation[];
  /** Chebyshev distance δ; default 1. */
  distance?: number;
  /** Symmetric GLCM (M_m+ + M_m+^T); default true as in IBSI. */
  symmetric?: boolean;
}

/** One directional co-occurrence matrix: counts[(i - 1) * N_g + (j - 1)]. */
export interface GlcmMatrix {
  direction: DirectionVector;
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  counts: Float64Array;
}

export interface GlcmMatrixSet {
  nGreyLevels: number;
  matrices: GlcmMatrix[];
}

const P = 'original_glcm_';

/** The GLCM features in computation order (IBSI 3.6.1–3.6.25). */
export const glcmFeatureDefinitions: FeatureDefinition[] = [
  { code: 'GYBY', name: 'Joint maximum', family: 'glcm', pyradiomicsName: `${P}MaximumProbability` },
  { code: '60VM', name: 'Joint average', family: 'glcm', pyradiomicsName: `${P}JointAverage` },
  { code: 'UR99', name: 'Joint variance', family: 'glcm', pyradiomicsName: `${P}SumSquares` },
  { code: 'TU9B', name: 'Joint entropy', family: 'glcm', pyradiomicsName: `${P}JointEntropy` },
  { code: 'TF7R', name: 'Difference average', family: 'glcm', pyradiomicsName: `${P}DifferenceAverage` },
  { code: 'D3YU', name: 'Difference variance', family: 'glcm', pyradiomicsName: `${P}DifferenceVariance` },
  { code: 'NTRS', name: 'Difference entropy', family: 'glcm', pyradiomicsName: `${P}DifferenceEntropy` },
  { code: 'ZGXS', name: 'Sum average', family: 'glcm', pyradiomicsName: `${P}SumAverage` },
  // PyRadiomics deprecated SumVariance as identical to ClusterTendency (DG8W).
  { code: 'OEEB', name: 'Sum variance', family: 'glcm' },
  { code: 'P6QZ', name: 'Sum entropy', family: 'glcm', pyradiomicsName: `${P}SumEntropy` },
  { code: '8ZQL', name: 'Angular second moment', family: 'glcm', pyradiomicsName: `${P}JointEnergy` },
  { code: 'ACUI', name: 'Contrast', family: 'glcm', pyradiomicsName: `${P}Contrast` },
  // PyRadiomics deprecated Dissimilarity as identical to DifferenceAverage (TF7R).
  { code: '8S9J', name: 'Dissimilarity', family: 'glcm' },
  { code: 'IB1Z', name: 'Inverse difference', family: 'glcm', pyradiomicsName: `${P}Id` },
  // PyRadiomics' N_g is the highest grey level present (see the file comment).
  { code: 'NDRX', name: 'Normalised inverse difference', family: 'glcm', pyradiomicsName: `${P}Idn` },
  { code: 'WF0Z', name: 'Inverse difference moment', family: 'glcm', pyradiomicsName: `${P}Idm` },
  { code: '1QCO', name: 'Normalised inverse difference moment', family: 'glcm', pyradiomicsName: `${P}Idmn` },
  { code: 'E8JP', name: 'Inverse variance', family: 'glcm', pyradiomicsName: `${P}InverseVariance` },
  { code: 'NI2N', name: 'Correlation', family: 'glcm', pyradiomicsName: `${P}Correlation` },
  { code: 'QWB0', name: 'Autocorrelation', family: 'glcm', pyradiomicsName: `${P}Autocorrelation` },
  { code: 'DG8W', name: 'Cluster tendency', family: 'glcm', pyradiomicsName: `${P}ClusterTendency` },
  { code: '7NFM', name: 'Cluster shade', family: 'glcm', pyradiomicsName: `${P}ClusterShade` },
  { code: 'AE86', name: 'Cluster prominence', family: 'glcm', pyradiomicsName: `${P}ClusterProminence` },
  { code: 'R8DG', name: 'Information correlation 1', family: 'glcm', pyradiomicsName: `${P}Imc1` },
  { code: 'JN9H', name: 'Information correlation 2', family: 'glcm', pyradiomicsName: `${P}Imc2` },
];
const CODES = glcmFeatureDefinitions.map((d) => d.code);
const N_FEATURES = CODES.length;

/** Adds the co-occurrences of ROI voxels voxels[from..to) along `offset` into `m`. */
function accumulate(grid: PaddedRoi, offset: number, from: number, to: number, symmetric: boolean, m: Float64Array): void {
  const { levels, voxels, nGreyLevels: ng } = grid;
  for (let k = from; k < to; k++) {
    const v = voxels[k];
    const b = levels[v + offset];
    if (b === 0) continue;
    const a = levels[v];
    m[(a - 1) * ng + (b - 1)] += 1;
    if (symmetric) m[(b - 1) * ng + (a - 1)] += 1;
  }
}

function isEmpty(m: Float64Array): boolean {
  for (let k = 0; k < m.length; k++) if (m[k] !== 0) return false;
  return true;
}

function addInto(target: Float64Array, m: Float64Array): void {
  for (let k = 0; k < m.length; k++) target[k] += m[k];
}

function resolveOptions(opts: GlcmOptions): { distance: number; symmetric: boolean } {
  const distance = opts.distance ?? 1;
  requireInteger('distance', distance, 1);
  return { distance, symmetric: opts.symmetric ?? true };
}

/**
 * The directional GLCMs of `roi`: per slice and in-plane direction (2D), or per 3D direction
 * over the whole ROI (3D). Merge them with `mergeGlcmMatrices`.
 */
export function glcmMatrices(
  roi: DiscretisedRoi,
  opts: { dimension: TextureDimension; distance?: number; symmetric?: boolean },
): GlcmMatrixSet {
  const { distance, symmetric } = resolveOptions(opts);
  const grid = padRoi(roi, distance);
  const ng = grid.nGreyLevels;
  const dirs = directionVectors(opts.dimension, distance);
  const matrices: GlcmMatrix[] = [];
  if (opts.dimension === '3D') {
    for (const d of dirs) {
      const counts = new Float64Array(ng * ng);
      accumulate(grid, offsetOf(grid, d), 0, grid.voxels.length, symmetric, counts);
      matrices.push({ direction: d, counts });
    }
  } else {
    for (const z of grid.slices) {
      for (const d of dirs) {
        const counts = new Float64Array(ng * ng);
        accumulate(grid, offsetOf(grid, d), grid.sliceStart[z], grid.sliceStart[z + 1], symmetric, counts);
        matrices.push({ direction: d, slice: z + grid.zOffset, counts });
      }
    }
  }
  return { nGreyLevels: ng, matrices };
}

/** Element-wise sum of co-occurrence matrices (IBSI 3.6 merging). */
export function mergeGlcmMatrices(nGreyLevels: number, matrices: readonly GlcmMatrix[]): Float64Array {
  const out = new Float64Array(nGreyLevels * nGreyLevels);
  for (const m of matrices) addInto(out, m.counts);
  return out;
}

/** GLCM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeGlcmFeatures(roi: DiscretisedRoi, opts: GlcmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('GLCM', opts.aggregations ?? MATRIX_AGGREGATIONS, MATRIX_AGGREGATIONS);
  const { distance, symmetric } = resolveOptions(opts);
  const grid = padRoi(roi, distance);
  const ng = grid.nGreyLevels;
  const want = new Set<MatrixAggregation>(aggregations);
  const out: FeatureValues = {};

  if (want.has('BTW3') || want.has('SUJT') || want.has('JJUI') || want.has('ZW7Z')) {
    const offsets = directionVectors('2D', distance).map((d) => offsetOf(grid, d));
    const perDirection = offsets.map(() => new Float64Array(ng * ng));
    const work = offsets.map(() => new Float64Array(ng * ng));
    const sliceMerged = new Float64Array(ng * ng);
    const btw3 = new FeatureMean(N_FEATURES);
    const sujt = new FeatureMean(N_FEATURES);
    for (const z of grid.slices) {
      sliceMerged.fill(0);
      for (let d = 0; d < offsets.length; d++) {
        const m = work[d].fill(0);
        accumulate(grid, offsets[d], grid.sliceStart[z], grid.sliceStart[z + 1], symmetric, m);
        if (isEmpty(m)) continue;
        if (want.has('BTW3')) btw3.add(glcmFeatureVector(m, ng));
        addInto(sliceMerged, m);
        addInto(perDirection[d], m);
      }
      if (want.has('SUJT') && !isEmpty(sliceMerged)) sujt.add(glcmFeatureVector(sliceMerged, ng));
    }
    if (want.has('BTW3')) writeFeatures(out, CODES, 'BTW3', btw3.mean());
    if (want.has('SUJT')) writeFeatures(out, CODES, 'SUJT', sujt.mean());
    if (want.has('JJUI')) {
      const jjui = new FeatureMean(N_FEATURES);
      for (const m of perDirection) if (!isEmpty(m)) jjui.add(glcmFeatureVector(m, ng));
      writeFeatures(out, CODES, 'JJUI', jjui.mean());
    }
    if (want.has('ZW7Z')) {
      const all = new Float64Array(ng * ng);
      for (const m of perDirection) addInto(all, m);
      writeFeatures(out, CODES, 'ZW7Z', isEmpty(all) ? undefined : glcmFeatureVector(all, ng));
    }
  }

  if (want.has('ITBB') || want.has('IAZD')) {
    const itbb = new FeatureMean(N_FEATURES);
    const all = new Float64Array(ng * ng);
    const m = new Float64Array(ng * ng);
    for (const d of directionVectors('3D', distance)) {
      m.fill(0);
      accumulate(grid, offsetOf(grid, d), 0, grid.voxels.length, symmetric, m);
      if (isEmpty(m)) continue;
      if (want.has('ITBB')) itbb.add(glcmFeatureVector(m, ng));
      addInto(all, m);
    }
    if (want.has('ITBB')) writeFeatures(out, CODES, 'ITBB', itbb.mean());
    if (want.has('IAZD')) writeFeatures(out, CODES, 'IAZD', isEmpty(all) ? undefined : glcmFeatureVector(all, ng));
  }
  return out;
}

/**
 * The 25 GLCM features of one (possibly merged) non-empty matrix, in the order of
 * `glcmFeatureDefinitions`. Formulas use both marginals, so a non-symmetric GLCM is handled
 * too; for a symmetric one they reduce to IBSI's simplified forms.
 */
export function glcmFeatureVector(counts: Float64Array, ng: number): Float64Array {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  const pRow = new Float64Array(ng); // p_i.
  const pCol = new Float64Array(ng); // p_.j
  const pDiff = new Float64Array(ng); // p_{i-j,k}, k = 0..N_g-1
  const pSum = new Float64Array(2 * ng + 1); // p_{i+j,k}, k = 2..2N_g
  let jointMax = 0;
  let jointEntropy = 0;
  let energy = 0;
  let autocorr = 0;
  let invDiff = 0;
  let invDiffNorm = 0;
  let invDiffMom = 0;
  let invDiffMomNorm = 0;
  let invVar = 0;
  let contrast = 0;
  let dissimilarity = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const c = counts[(i - 1) * ng + (j - 1)];
      if (c === 0) continue;
      const p = c / total;
      const d = Math.abs(i - j);
      pRow[i - 1] += p;
      pCol[j - 1] += p;
      pDiff[d] += p;
      pSum[i + j] += p;
      // IBSI 3.6.1 (GYBY): F = max p_ij
      if (p > jointMax) jointMax = p;
      // IBSI 3.6.4 (TU9B): F = -Σ p_ij log2 p_ij
      jointEntropy -= p * Math.log2(p);
      // IBSI 3.6.11 (8ZQL): F = Σ p_ij²
      energy += p * p;
      // IBSI 3.6.12 (ACUI): F = Σ (i - j)² p_ij
      contrast += d * d * p;
      // IBSI 3.6.13 (8S9J): F = Σ |i - j| p_ij
      dissimilarity += d * p;
      // IBSI 3.6.14 (IB1Z): F = Σ p_ij / (1 + |i - j|)
      invDiff += p / (1 + d);
      // IBSI 3.6.15 (NDRX): F = Σ p_ij / (1 + |i - j| / N_g)
      invDiffNorm += p / (1 + d / ng);
      // IBSI 3.6.16 (WF0Z): F = Σ p_ij / (1 + (i - j)²)
      invDiffMom += p / (1 + d * d);
      // IBSI 3.6.17 (1QCO): F = Σ p_ij / (1 + (i - j)² / N_g²)
      invDiffMomNorm += p / (1 + (d * d) / (ng * ng));
      // IBSI 3.6.18 (E8JP): F = 2 Σ_{j>i} p_ij / (i - j)² = Σ_{i≠j} p_ij / (i - j)²
      if (d > 0) invVar += p / (d * d);
      // IBSI 3.6.20 (QWB0): F = Σ i j p_ij
      autocorr += i * j * p;
    }
  }
  let muRow = 0;
  let muCol = 0;
  for (let i = 1; i <= ng; i++) {
    muRow += i * pRow[i - 1];
    muCol += i * pCol[i - 1];
  }
  // IBSI 3.6.2 (60VM): F = Σ i p_ij = μ_i.
  const jointAverage = muRow;
  let varRow = 0;
  let varCol = 0;
  for (let i = 1; i <= ng; i++) {
    varRow += (i - muRow) ** 2 * pRow[i - 1];
    varCol += (i - muCol) ** 2 * pCol[i - 1];
  }
  // IBSI 3.6.3 (UR99): F = Σ (i - μ)² p_ij with μ the joint average; = σ_i.².
  const jointVariance = varRow;
  let covariance = 0;
  let clusterTendency = 0;
  let clusterShade = 0;
  let clusterProminence = 0;
  let hxy1 = 0;
  let hxy2 = 0;
  for (let i = 1; i <= ng; i++) {
    const pi = pRow[i - 1];
    for (let j = 1; j <= ng; j++) {
      const pj = pCol[j - 1];
      const pp = pi * pj;
      // IBSI 3.6.25: HXY2 = -Σ p_i. p_.j log2(p_i. p_.j)
      if (pp > 0) hxy2 -= pp * Math.log2(pp);
      const c = counts[(i - 1) * ng + (j - 1)];
      if (c === 0) continue;
      const p = c / total;
      covariance += (i - muRow) * (j - muCol) * p;
      const s = i + j - muRow - muCol;
      // IBSI 3.6.21 (DG8W): F = Σ (i + j - μ_i. - μ_.j)² p_ij
      clusterTendency += s * s * p;
      // IBSI 3.6.22 (7NFM): F = Σ (i + j - μ_i. - μ_.j)³ p_ij
      clusterShade += s * s * s * p;
      // IBSI 3.6.23 (AE86): F = Σ (i + j - μ_i. - μ_.j)⁴ p_ij
      clusterProminence += s * s * s * s * p;
      // IBSI 3.6.24: HXY1 = -Σ p_ij log2(p_i. p_.j)
      hxy1 -= p * Math.log2(pp);
    }
  }
  // IBSI 3.6.19 (NI2N): F = Σ (i - μ_i.)(j - μ_.j) p_ij / (σ_i. σ_.j). With a single grey
  // level σ = 0 and IBSI leaves F undefined; we follow PyRadiomics and report 1.
  const sigmaProduct = Math.sqrt(varRow * varCol);
  const correlation = sigmaProduct > 0 ? covariance / sigmaProduct : 1;

  let diffAverage = 0;
  let diffEntropy = 0;
  for (let k = 0; k < ng; k++) {
    // IBSI 3.6.5 (TF7R): F = Σ k p_{i-j,k}
    diffAverage += k * pDiff[k];
    // IBSI 3.6.7 (NTRS): F = -Σ p_{i-j,k} log2 p_{i-j,k}
    if (pDiff[k] > 0) diffEntropy -= pDiff[k] * Math.log2(pDiff[k]);
  }
  let diffVariance = 0;
  // IBSI 3.6.6 (D3YU): F = Σ (k - μ)² p_{i-j,k}, μ the difference average
  for (let k = 0; k < ng; k++) diffVariance += (k - diffAverage) ** 2 * pDiff[k];

  let sumAverage = 0;
  let sumEntropy = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    // IBSI 3.6.8 (ZGXS): F = Σ k p_{i+j,k}
    sumAverage += k * pSum[k];
    // IBSI 3.6.10 (P6QZ): F = -Σ p_{i+j,k} log2 p_{i+j,k}
    if (pSum[k] > 0) sumEntropy -= pSum[k] * Math.log2(pSum[k]);
  }
  let sumVariance = 0;
  // IBSI 3.6.9 (OEEB): F = Σ (k - μ)² p_{i+j,k}, μ the sum average
  for (let k = 2; k <= 2 * ng; k++) sumVariance += (k - sumAverage) ** 2 * pSum[k];

  let hx = 0;
  let hy = 0;
  for (let i = 0; i < ng; i++) {
    if (pRow[i] > 0) hx -= pRow[i] * Math.log2(pRow[i]);
    if (pCol[i] > 0) hy -= pCol[i] * Math.log2(pCol[i]);
  }
  // IBSI 3.6.24 (R8DG): F = (HXY - HXY1) / HX (HX = HY when symmetric; Haralick takes the
  // larger of the two). A single grey level gives HX = 0: reported as 0, as PyRadiomics does.
  const hMax = Math.max(hx, hy);
  const infoCorr1 = hMax > 0 ? (jointEntropy - hxy1) / hMax : 0;
  // IBSI 3.6.25 (JN9H): F = sqrt(1 - exp(-2 (HXY2 - HXY))); HXY2 >= HXY up to rounding.
  const infoCorr2 = Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - jointEntropy))));

  return Float64Array.of(
    jointMax,
    jointAverage,
    jointVariance,
    jointEntropy,
    diffAverage,
    diffVariance,
    diffEntropy,
    sumAverage,
    sumVariance,
    sumEntropy,
    energy,
    contrast,
    dissimilarity,
    invDiff,
    invDiffNorm,
    invDiffMom,
    invDiffMomNorm,
    invVar,
    correlation,
    autocorr,
    clusterTendency,
    clusterShade,
    clusterProminence,
    infoCorr1,
    infoCorr2,
  );
}
