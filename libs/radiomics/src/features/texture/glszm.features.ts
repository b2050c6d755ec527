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
import { type CountMatrix, type SliceCountMatrix, countMatrixFromEntries, mergeCountMatrices } from './count-matrix.js';
import { countMatrixFeatureVector } from './count-matrix.features.js';
import {
  SLICE_AGGREGATIONS,
  type PaddedRoi,
  type SliceAggregation,
  type TextureDimension,
  padRoi,
  requireAggregations,
  writeSliceAggregations,
} from './texture-grid.js';
import { ZoneLabeller } from './zone-labelling.js';

export interface GlszmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
}

export type GlszmMatrix = SliceCountMatrix;

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
  writeSliceAggregations(out, CODES, want, {
    slices: () => buildMatrices(grid, '2D').map((s) => s.matrix),
    volume: () => buildMatrices(grid, '3D')[0].matrix,
    merge: mergeCountMatrices,
    vector: glszmFeatureVector,
  });
  return out;
}

/** The 16 GLSZM features of one (possibly merged) matrix, in `glszmFeatureDefinitions` order. */
export function glszmFeatureVector(m: CountMatrix): Float64Array {
  return countMatrixFeatureVector(m);
}
