/**
 * Grey level distance zone matrix features, IBSI 3.9 (VMDZ).
 *
 * d_ij counts zones (as in the GLSZM: 26-connected in 3D, 8-connected in-plane in 2D) of
 * grey level i whose distance to the ROI edge is j. The distance map comes from the
 * morphological mask (IBSI 3.9 "Morphological and intensity masks"): voxels on the edge have
 * distance 1, and the distance grows by one per 6-connected (3D) or 4-connected in-plane
 * (2D) step, i.e. the number of erosions that remove the voxel, plus one. Outside the image
 * grid counts as outside the mask. A zone's distance is the minimum over its voxels.
 * Aggregation as for the GLSZM: 8QNN, 62GR, KOBO.
 *
 * PyRadiomics has no GLDZM.
 */
import { ValidationError } from '@radledger/platform';
import type { DiscretisedRoi, FeatureDefinition, FeatureValues } from '../../volume.js';
import { type CountMatrix, type SliceCountMatrix, countMatrixFromEntries, mergeCountMatrices } from './count-matrix.js';
import { countMatrixFeatureVector } from './count-matrix.features.js';
import {
  SLICE_AGGREGATIONS,
  type PaddedRoi,
  type SliceAggregation,
  type TextureDimension,
  offsetOf,
  padRoi,
  requireAggregations,
  writeSliceAggregations,
} from './texture-grid.js';
import { ZoneLabeller } from './zone-labelling.js';

export interface GldzmOptions {
  /** Aggregation methods to compute; default all three. */
  aggregations?: readonly SliceAggregation[];
  /**
   * Morphological ROI mask (1 inside) on the same grid, for the distance map. Default: the
   * intensity ROI (levels > 0). Every intensity-ROI voxel must lie inside it.
   */
  morphologicalMask?: Uint8Array;
}

export type GldzmMatrix = SliceCountMatrix;

/** The GLDZM features in computation order (IBSI 3.9.1–3.9.16). */
export const gldzmFeatureDefinitions: FeatureDefinition[] = [
  { code: '0GBI', name: 'Small distance emphasis', family: 'gldzm' },
  { code: 'MB4I', name: 'Large distance emphasis', family: 'gldzm' },
  { code: 'S1RA', name: 'Low grey level zone emphasis', family: 'gldzm' },
  { code: 'K26C', name: 'High grey level zone emphasis', family: 'gldzm' },
  { code: 'RUVG', name: 'Small distance low grey level emphasis', family: 'gldzm' },
  { code: 'DKNJ', name: 'Small distance high grey level emphasis', family: 'gldzm' },
  { code: 'A7WM', name: 'Large distance low grey level emphasis', family: 'gldzm' },
  { code: 'KLTH', name: 'Large distance high grey level emphasis', family: 'gldzm' },
  { code: 'VFT7', name: 'Grey level non-uniformity', family: 'gldzm' },
  { code: '7HP3', name: 'Normalised grey level non-uniformity', family: 'gldzm' },
  { code: 'V294', name: 'Zone distance non-uniformity', family: 'gldzm' },
  { code: 'IATH', name: 'Normalised zone distance non-uniformity', family: 'gldzm' },
  { code: 'VIWW', name: 'Zone percentage', family: 'gldzm' },
  { code: 'QK93', name: 'Grey level variance', family: 'gldzm' },
  { code: '7WT1', name: 'Zone distance variance', family: 'gldzm' },
  { code: 'GBDU', name: 'Zone distance entropy', family: 'gldzm' },
];
const CODES = gldzmFeatureDefinitions.map((d) => d.code);

/**
 * IBSI 3.9 distance map on the padded grid: 0 outside the morphological mask, otherwise 1 +
 * the number of 6-connected (3D) or 4-connected in-plane (2D) steps to the nearest voxel
 * outside it. A multi-source breadth-first search from the edge voxels; equal to counting
 * the iterative erosions of IBSI 3.9.
 */
export function borderDistanceMap(grid: PaddedRoi, dimension: TextureDimension): Int32Array {
  const inside = grid.morphological ?? Uint8Array.from(grid.levels, (g) => (g > 0 ? 1 : 0));
  const steps: [number, number, number][] = [
    [1, 0, 0],
    [-1, 0, 0],
    [0, 1, 0],
    [0, -1, 0],
  ];
  if (dimension === '3D') steps.push([0, 0, 1], [0, 0, -1]);
  const offsets = Int32Array.from(steps, (s) => offsetOf(grid, s));
  const size = grid.levels.length;
  const distance = new Int32Array(size);
  const queue = new Int32Array(size);
  let tail = 0;
  // The grid is padded by ≥ 1 voxel outside the mask, so v ± offset stays inside the array.
  for (let v = 0; v < size; v++) {
    if (inside[v] === 0) continue;
    for (let o = 0; o < offsets.length; o++) {
      if (inside[v + offsets[o]] === 0) {
        distance[v] = 1;
        queue[tail++] = v;
        break;
      }
    }
  }
  for (let head = 0; head < tail; head++) {
    const u = queue[head];
    for (let o = 0; o < offsets.length; o++) {
      const w = u + offsets[o];
      if (distance[w] === 0 && inside[w] !== 0) {
        distance[w] = distance[u] + 1;
        queue[tail++] = w;
      }
    }
  }
  return distance;
}

function prepareGrid(roi: DiscretisedRoi, morphologicalMask: Uint8Array | undefined): PaddedRoi {
  const grid = padRoi(roi, 1, morphologicalMask);
  if (grid.morphological !== undefined) {
    for (const v of grid.voxels) {
      if (grid.morphological[v] === 0) {
        throw new ValidationError(
          'MORPHOLOGICAL_MASK_MISMATCH',
          'morphologicalMask must contain every voxel of the intensity ROI (levels > 0)',
          { field: 'morphologicalMask' },
        );
      }
    }
  }
  return grid;
}

function buildMatrices(grid: PaddedRoi, dimension: TextureDimension): GldzmMatrix[] {
  const distance = borderDistanceMap(grid, dimension);
  const labeller = new ZoneLabeller(grid, dimension);
  const matrix = (from: number, to: number): CountMatrix => {
    const zones = labeller.label(from, to, distance);
    return countMatrixFromEntries(grid.nGreyLevels, zones.levels, zones.distances!, zones.count, to - from);
  };
  if (dimension === '3D') return [{ matrix: matrix(0, grid.voxels.length) }];
  return Array.from(grid.slices, (z) => ({
    slice: z + grid.zOffset,
    matrix: matrix(grid.sliceStart[z], grid.sliceStart[z + 1]),
  }));
}

/** The GLDZMs: one per slice (2D) or one for the volume (3D). */
export function gldzmMatrices(
  roi: DiscretisedRoi,
  opts: { dimension: TextureDimension; morphologicalMask?: Uint8Array },
): GldzmMatrix[] {
  return buildMatrices(prepareGrid(roi, opts.morphologicalMask), opts.dimension);
}

/** GLDZM features of every requested aggregation, keyed `<IBSI code>@<aggregation code>`. */
export function computeGldzmFeatures(roi: DiscretisedRoi, opts: GldzmOptions = {}): FeatureValues {
  const aggregations = requireAggregations('GLDZM', opts.aggregations ?? SLICE_AGGREGATIONS, SLICE_AGGREGATIONS);
  const want = new Set<SliceAggregation>(aggregations);
  const grid = prepareGrid(roi, opts.morphologicalMask);
  const out: FeatureValues = {};
  writeSliceAggregations(out, CODES, want, {
    slices: () => buildMatrices(grid, '2D').map((s) => s.matrix),
    volume: () => buildMatrices(grid, '3D')[0].matrix,
    merge: mergeCountMatrices,
    vector: gldzmFeatureVector,
  });
  return out;
}

/** The 16 GLDZM features of one (possibly merged) matrix, in `gldzmFeatureDefinitions` order. */
export function gldzmFeatureVector(m: CountMatrix): Float64Array {
  return countMatrixFeatureVector(m);
}
