/**
 * Zones for GLSZM and GLDZM (IBSI 3.8, 3.9): groups of linked ROI voxels with the same grey
 * level, 26-connected in 3D and 8-connected within a slice in 2D. Labelled with an
 * iterative flood fill over a typed-array stack (no recursion, no per-voxel allocation).
 */
import { type PaddedRoi, type TextureDimension, neighbourhoodOffsets } from './texture-grid.js';

/** One entry per zone: its grey level, voxel count and (when a distance map is given) minimal distance. */
export interface ZoneList {
  count: number;
  levels: Int32Array;
  sizes: Int32Array;
  /** Minimum of `distanceMap` over the zone's voxels (GLDZM); present only with a map. */
  distances?: Int32Array;
}

/** Reusable buffers for labelling many slices of one grid. */
export class ZoneLabeller {
  private readonly visited: Uint8Array;
  private readonly stack: Int32Array;
  private readonly offsets: Int32Array;

  constructor(
    private readonly grid: PaddedRoi,
    dimension: TextureDimension,
  ) {
    this.visited = new Uint8Array(grid.levels.length);
    this.stack = new Int32Array(grid.voxels.length);
    // Chebyshev distance 1: 26 neighbours in 3D, the 8 in-plane ones in 2D.
    this.offsets = neighbourhoodOffsets(grid, dimension, 1);
  }

  /** Labels the zones whose voxels lie in voxels[from..to) (a slice, or the whole ROI). */
  label(from: number, to: number, distanceMap?: Int32Array): ZoneList {
    const { levels, voxels } = this.grid;
    const { visited, stack, offsets } = this;
    const n = to - from;
    const zoneLevels = new Int32Array(n);
    const zoneSizes = new Int32Array(n);
    const zoneDistances = distanceMap === undefined ? undefined : new Int32Array(n);
    let zones = 0;
    for (let k = from; k < to; k++) {
      const seed = voxels[k];
      if (visited[seed] !== 0) continue;
      const a = levels[seed];
      visited[seed] = 1;
      stack[0] = seed;
      let top = 1;
      let size = 0;
      let minDistance = Number.MAX_SAFE_INTEGER;
      while (top > 0) {
        const u = stack[--top];
        size++;
        if (distanceMap !== undefined && distanceMap[u] < minDistance) minDistance = distanceMap[u];
        for (let o = 0; o < offsets.length; o++) {
          const w = u + offsets[o];
          if (visited[w] === 0 && levels[w] === a) {
            visited[w] = 1;
            stack[top++] = w;
          }
        }
      }
      zoneLevels[zones] = a;
      zoneSizes[zones] = size;
      if (zoneDistances !== undefined) zoneDistances[zones] = minDistance;
      zones++;
    }
    return {
      count: zones,
      levels: zoneLevels.subarray(0, zones),
      sizes: zoneSizes.subarray(0, zones),
      distances: zoneDistances?.subarray(0, zones),
    };
  }
}
