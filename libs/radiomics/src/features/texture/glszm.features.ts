/**
 * Grey level size zone matrix features, IBSI 3.8 (9SAK).
 *
 * s_ij counts zones (linked voxels of one grey level: 26-connected in 3D, 8-connected within
 * a slice in 2D) of grey level i and size j. Aggregation (IBSI 3.8): 8QNN features per slice
 * averaged over slices, 62GR slice matrices merged (counts and N_v summed), KOBO one 3D
 * matrix.
 *
 * PyRadiomics builds its GLSZM in 3D with 26-connectivity (compare with `@KOBO`).
 */
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
import { type CountMatrix, countMatrixFromEntries, marginals, mergeCountMatrices, totalCount } from './count-matrix.js';
import {
  FeatureMean,
  SLICE_AGGREGATIONS,
  type PaddedRoi,
  type SliceAggregation,
  type TextureDimension,
  entropyOfCounts,
  padRoi,
  requireAggregations,
  writeFeatures,
} from './texture-grid.js';
import { ZoneLabeller } from './zone-labelling.js';

export interface GlszmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
}

export interface GlszmMatrix {
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  matrix: CountMatrix;
}

const P = 'original_glszm_';

/** The GLSZM features in computation order (IBSI 3.8.1–3.8.16). */
export const glszmFeatureDefinitions: FeatureDefinition[] = [
  { code: '5QRC', name: 'Small zone emphasis', family: 'glszm', pyradiomicsName: `${P}SmallAreaEmphasis` },
  { code: '48P8', name: 'Large zone emphasis', family: 'glszm', pyradiomicsName: `${P}LargeAreaEmphasis` },
  { code: 'XMSY', name: 'Low grey level zone emphasis', family: 'glszm', pyradiomicsName: `${P}LowGrayLevelZoneEmphasis` },
  { code: '5GN9', name: 'High grey level zone emphasis', family: 'glszm', pyradiomicsName: `${P}HighGrayLevelZoneEmphasis` },
  { code: '5RAI', name: 'Small zone low grey level emphasis', family: 'glszm', pyradiomicsName: `${P}SmallAreaLowGrayLevelEmphasis` },
  { code: 'HW1V', name: 'Small zone high grey level emphasis', family: 'glszm', pyradiomicsName: `${P}SmallAreaHighGrayLevelEmphasis` },
  { code: 'YH51', name: 'Large zone low grey level emphasis', family: 'glszm', pyradiomicsName: `${P}LargeAreaLowGrayLevelEmphasis` },
  { code: 'J17V', name: 'Large zone high grey level emphasis', family: 'glszm', pyradiomicsName: `${P}LargeAreaHighGrayLevelEmphasis` },
  { code: 'JNSA', name: 'Grey level non-uniformity', family: 'glszm', pyradiomicsName: `${P}GrayLevelNonUniformity` },
  { code: 'Y1RO', name: 'Normalised grey level non-uniformity', family: 'glszm', pyradiomicsName: `${P}GrayLevelNonUniformityNormalized` },
  { code: '4JP3', name: 'Zone size non-uniformity', family: 'glszm', pyradiomicsName: `${P}SizeZoneNonUniformity` },
  { code: 'VB3A', name: 'Normalised zone size non-uniformity', family: 'glszm', pyradiomicsName: `${P}SizeZoneNonUniformityNormalized` },
  { code: 'P30P', name: 'Zone percentage', family: 'glszm', pyradiomicsName: `${P}ZonePercentage` },
  { code: 'BYLV', name: 'Grey level variance', family: 'glszm', pyradiomicsName: `${P}GrayLevelVariance` },
  { code: '3NSA', name: 'Zone size variance', family: 'glszm', pyradiomicsName: `${P}ZoneVariance` },
  { code: 'GU8N', name: 'Zone size entropy', family: 'glszm', pyradiomicsName: `${P}ZoneEntropy` },
];
const CODES = glszmFeatureDefinitions.map((d) => d.code);
const N_FEATURES = CODES.length;

function zoneMatrix(grid: PaddedRoi, labeller: ZoneLabeller, from: number, to: number): CountMatrix {
  const zones = labeller.label(from, to);
  return countMatrixFromEntries(grid.nGreyLevels, zones.levels, zones.sizes, zones.count, to - from);
}

function buildMatrices(grid: PaddedRoi, dimension: TextureDimension): GlszmMatrix[] {
  const labeller = new ZoneLabeller(grid, dimension);
  if (dimension === '3D') return [{ matrix: zoneMatrix(grid, labeller, 0, grid.voxels.length) }];
  return Array.from(grid.slices, (z) => ({
    slice: z + grid.zOffset,
    matrix: zoneMatrix(grid, labeller, grid.sliceStart[z], grid.sliceStart[z + 1]),
  }));
}

/** The GLSZMs: one per slice (2D) or one for the volume (3D). */
export function glszmMatrices(roi: DiscretisedRoi, opts: { dimension: TextureDimension }): GlszmMatrix[] {
  return buildMatrices(padRoi(roi, 1), opts.dimension);
}

/** GLSZM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeGlszmFeatures(roi: DiscretisedRoi, opts: GlszmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('GLSZM', opts.aggregations ?? SLICE_AGGREGATIONS, SLICE_AGGREGATIONS);
  const want = new Set<SliceAggregation>(aggregations);
  const grid = padRoi(roi, 1);
  const out: FeatureValues = {};
  if (want.has('8QNN') || want.has('62GR')) {
    const slices = buildMatrices(grid, '2D').map((s) => s.matrix);
    if (want.has('8QNN')) {
      const mean = new FeatureMean(N_FEATURES);
      for (const m of slices) mean.add(glszmFeatureVector(m));
      writeFeatures(out, CODES, '8QNN', mean.mean());
    }
    if (want.has('62GR')) writeFeatures(out, CODES, '62GR', glszmFeatureVector(mergeCountMatrices(slices)));
  }
  if (want.has('KOBO')) writeFeatures(out, CODES, 'KOBO', glszmFeatureVector(buildMatrices(grid, '3D')[0].matrix));
  return out;
}

/** The 16 GLSZM features of one (possibly merged) matrix, in `glszmFeatureDefinitions` order. */
export function glszmFeatureVector(m: CountMatrix): Float64Array {
  const ng = m.nGreyLevels;
  const nc = m.columns.length;
  const ns = totalCount(m); // N_s, the number of zones
  const { perLevel, perColumn } = marginals(m); // s_i., s_.j
  let sze = 0, lze = 0, lgze = 0, hgze = 0, szlge = 0, szhge = 0, lzlge = 0, lzhge = 0;
  let glnu = 0, zsnu = 0, sumI = 0, sumJ = 0;
  for (let c = 0; c < nc; c++) {
    const j = m.columns[c];
    const s = perColumn[c];
    // IBSI 3.8.1 (5QRC): F = (1/N_s) Σ_j s_.j / j²
    sze += s / (j * j);
    // IBSI 3.8.2 (48P8): F = (1/N_s) Σ_j j² s_.j
    lze += j * j * s;
    // IBSI 3.8.11 (4JP3): F = (1/N_s) Σ_j s_.j²
    zsnu += s * s;
    sumJ += j * s;
  }
  for (let i = 1; i <= ng; i++) {
    const s = perLevel[i - 1];
    // IBSI 3.8.3 (XMSY): F = (1/N_s) Σ_i s_i. / i²
    lgze += s / (i * i);
    // IBSI 3.8.4 (5GN9): F = (1/N_s) Σ_i i² s_i.
    hgze += i * i * s;
    // IBSI 3.8.9 (JNSA): F = (1/N_s) Σ_i s_i.²
    glnu += s * s;
    sumI += i * s;
    for (let c = 0; c < nc; c++) {
      const sij = m.counts[(i - 1) * nc + c];
      if (sij === 0) continue;
      const j = m.columns[c];
      // IBSI 3.8.5 (5RAI): F = (1/N_s) Σ s_ij / (i² j²)
      szlge += sij / (i * i * j * j);
      // IBSI 3.8.6 (HW1V): F = (1/N_s) Σ i² s_ij / j²
      szhge += (i * i * sij) / (j * j);
      // IBSI 3.8.7 (YH51): F = (1/N_s) Σ j² s_ij / i²
      lzlge += (j * j * sij) / (i * i);
      // IBSI 3.8.8 (J17V): F = (1/N_s) Σ i² j² s_ij
      lzhge += i * i * j * j * sij;
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
    sze / ns,
    lze / ns,
    lgze / ns,
    hgze / ns,
    szlge / ns,
    szhge / ns,
    lzlge / ns,
    lzhge / ns,
    glnu / ns,
    // IBSI 3.8.10 (Y1RO): F = (1/N_s²) Σ_i s_i.²
    glnu / (ns * ns),
    zsnu / ns,
    // IBSI 3.8.12 (VB3A): F = (1/N_s²) Σ_j s_.j²
    zsnu / (ns * ns),
    // IBSI 3.8.13 (P30P): F = N_s / N_v, N_v summed over merged matrices
    ns / m.nVoxels,
    // IBSI 3.8.14 (BYLV): F = Σ (i - μ)² p_ij, p_ij = s_ij / N_s, μ = Σ i p_ij
    varI / ns,
    // IBSI 3.8.15 (3NSA): F = Σ (j - μ)² p_ij, μ = Σ j p_ij
    varJ / ns,
    // IBSI 3.8.16 (GU8N): F = -Σ p_ij log2 p_ij
    entropyOfCounts(m.counts, ns),
  );
}
