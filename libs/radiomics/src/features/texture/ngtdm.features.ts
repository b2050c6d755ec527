/**
 * Neighbourhood grey tone difference matrix features, IBSI 3.10 (IPET).
 *
 * For each ROI voxel k with grey level i, X̄_k is the mean grey level of the ROI voxels
 * within Chebyshev distance δ (centre excluded; in 2D only in-plane ones). Voxels with no
 * such neighbour (W_k = 0) are left out. s_i = Σ |i - X̄_k| and n_i = the number of voxels
 * counted; p_i = n_i / N_v,c with N_v,c = Σ n_i. Aggregation (IBSI 3.10): 8QNN features
 * per slice averaged, 62GR slice matrices merged (s_i and n_i summed), KOBO 3D.
 *
 * PyRadiomics' NGTDM uses the same incomplete-neighbourhood rule in 3D (compare with
 * `@KOBO`); its Coarseness returns 10^6 for a zero denominator, as IBSI.
 */
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
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

export interface NgtdmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
  /** Chebyshev distance δ of the neighbourhood; default 1. */
  distance?: number;
}

/** One NGTDM: per grey level i (index i - 1), s_i and n_i. */
export interface NgtdmMatrix {
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  nGreyLevels: number;
  s: Float64Array;
  n: Float64Array;
}

const P = 'original_ngtdm_';

/** The NGTDM features in computation order (IBSI 3.10.1–3.10.5). */
export const ngtdmFeatureDefinitions: FeatureDefinition[] = [
  { code: 'QCDE', name: 'Coarseness', family: 'ngtdm', pyradiomicsName: `${P}Coarseness` },
  { code: '65HE', name: 'Contrast', family: 'ngtdm', pyradiomicsName: `${P}Contrast` },
  { code: 'NQ30', name: 'Busyness', family: 'ngtdm', pyradiomicsName: `${P}Busyness` },
  { code: 'HDEZ', name: 'Complexity', family: 'ngtdm', pyradiomicsName: `${P}Complexity` },
  { code: '1X9X', name: 'Strength', family: 'ngtdm', pyradiomicsName: `${P}Strength` },
];
const CODES = ngtdmFeatureDefinitions.map((d) => d.code);

/** IBSI 3.10: the maximum coarseness when Σ p_i s_i = 0. */
export const NGTDM_MAX_COARSENESS = 1e6;

function ngtdm(grid: PaddedRoi, offsets: Int32Array, from: number, to: number): { s: Float64Array; n: Float64Array } {
  const { levels, voxels, nGreyLevels: ng } = grid;
  const s = new Float64Array(ng);
  const n = new Float64Array(ng);
  for (let k = from; k < to; k++) {
    const v = voxels[k];
    let sum = 0;
    let w = 0;
    for (let o = 0; o < offsets.length; o++) {
      const g = levels[v + offsets[o]];
      if (g > 0) {
        sum += g;
        w++;
      }
    }
    if (w === 0) continue;
    const a = levels[v];
    s[a - 1] += Math.abs(a - sum / w);
    n[a - 1] += 1;
  }
  return { s, n };
}

function buildMatrices(grid: PaddedRoi, dimension: TextureDimension, distance: number): NgtdmMatrix[] {
  const offsets = neighbourhoodOffsets(grid, dimension, distance);
  const ng = grid.nGreyLevels;
  if (dimension === '3D') return [{ nGreyLevels: ng, ...ngtdm(grid, offsets, 0, grid.voxels.length) }];
  return Array.from(grid.slices, (z) => ({
    slice: z + grid.zOffset,
    nGreyLevels: ng,
    ...ngtdm(grid, offsets, grid.sliceStart[z], grid.sliceStart[z + 1]),
  }));
}

function resolveDistance(distance: number | undefined): number {
  const d = distance ?? 1;
  requireInteger('distance', d, 1);
  return d;
}

/** The NGTDMs: one per slice (2D) or one for the volume (3D). */
export function ngtdmMatrices(roi: DiscretisedRoi, opts: { dimension: TextureDimension; distance?: number }): NgtdmMatrix[] {
  const distance = resolveDistance(opts.distance);
  return buildMatrices(padRoi(roi, distance), opts.dimension, distance);
}

/** Sums s_i and n_i over matrices (IBSI 3.10 merging). */
export function mergeNgtdmMatrices(matrices: readonly NgtdmMatrix[]): NgtdmMatrix {
  const ng = matrices[0].nGreyLevels;
  const s = new Float64Array(ng);
  const n = new Float64Array(ng);
  for (const m of matrices) {
    for (let i = 0; i < ng; i++) {
      s[i] += m.s[i];
      n[i] += m.n[i];
    }
  }
  return { nGreyLevels: ng, s, n };
}

/** NGTDM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeNgtdmFeatures(roi: DiscretisedRoi, opts: NgtdmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('NGTDM', opts.aggregations ?? SLICE_AGGREGATIONS, SLICE_AGGREGATIONS);
  const want = new Set<SliceAggregation>(aggregations);
  const distance = resolveDistance(opts.distance);
  const grid = padRoi(roi, distance);
  const out: FeatureValues = {};
  writeSliceAggregations(out, CODES, want, {
    slices: () => buildMatrices(grid, '2D', distance),
    volume: () => buildMatrices(grid, '3D', distance)[0],
    merge: mergeNgtdmMatrices,
    vector: ngtdmFeatureVector,
  });
  return out;
}

/**
 * The 5 NGTDM features of one (possibly merged) matrix, in `ngtdmFeatureDefinitions` order;
 * undefined when no voxel has a neighbour (N_v,c = 0).
 */
export function ngtdmFeatureVector(m: NgtdmMatrix): Float64Array | undefined {
  const ng = m.nGreyLevels;
  let nvc = 0; // N_v,c
  let sTotal = 0; // Σ s_i
  for (let i = 0; i < ng; i++) {
    nvc += m.n[i];
    sTotal += m.s[i];
  }
  if (nvc === 0) return undefined;
  const p = new Float64Array(ng);
  let ngp = 0; // N_g,p, grey levels with p_i > 0
  let ps = 0; // Σ p_i s_i
  for (let i = 0; i < ng; i++) {
    p[i] = m.n[i] / nvc;
    if (p[i] > 0) ngp++;
    ps += p[i] * m.s[i];
  }
  // IBSI 3.10.1 (QCDE): F = 1 / Σ p_i s_i, capped at 10^6 when the sum is 0
  const coarseness = ps > 0 ? 1 / ps : NGTDM_MAX_COARSENESS;
  let contrastSum = 0;
  let busyDenominator = 0;
  let complexitySum = 0;
  let strengthSum = 0;
  for (let i1 = 1; i1 <= ng; i1++) {
    const p1 = p[i1 - 1];
    if (p1 === 0) continue;
    for (let i2 = 1; i2 <= ng; i2++) {
      const p2 = p[i2 - 1];
      if (p2 === 0) continue;
      const d = i1 - i2;
      contrastSum += p1 * p2 * d * d;
      busyDenominator += Math.abs(i1 * p1 - i2 * p2);
      complexitySum += (Math.abs(d) * (p1 * m.s[i1 - 1] + p2 * m.s[i2 - 1])) / (p1 + p2);
      strengthSum += (p1 + p2) * d * d;
    }
  }
  // IBSI 3.10.2 (65HE): F = [Σ Σ p_i1 p_i2 (i1 - i2)² / (N_g,p (N_g,p - 1))] · [Σ s_i / N_v,c]; 0 if N_g,p = 1
  const contrast = ngp > 1 ? (contrastSum / (ngp * (ngp - 1))) * (sTotal / nvc) : 0;
  // IBSI 3.10.3 (NQ30): F = Σ p_i s_i / Σ Σ |i1 p_i1 - i2 p_i2| over p ≠ 0; 0 if N_g,p = 1
  const busyness = ngp > 1 && busyDenominator > 0 ? ps / busyDenominator : 0;
  // IBSI 3.10.4 (HDEZ): F = (1/N_v,c) Σ Σ |i1 - i2| (p_i1 s_i1 + p_i2 s_i2) / (p_i1 + p_i2) over p ≠ 0
  const complexity = complexitySum / nvc;
  // IBSI 3.10.5 (1X9X): F = Σ Σ (p_i1 + p_i2)(i1 - i2)² / Σ s_i over p ≠ 0; 0 if Σ s_i = 0
  const strength = sTotal > 0 ? strengthSum / sTotal : 0;
  return Float64Array.of(coarseness, contrast, busyness, complexity, strength);
}
