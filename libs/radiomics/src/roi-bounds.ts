import type { Dims } from './volume.js';

/** The bounding box of the nonzero voxels of a mask, inclusive voxel indices. */
export interface RoiBounds {
  x0: number;
  y0: number;
  z0: number;
  x1: number;
  y1: number;
  z1: number;
}

/**
 * Bounding box of the nonzero voxels of `masks` together (null when all are empty). A brain
 * volume is millions of voxels around a ROI of a few percent of them, so the scan skips
 * zero bytes four at a time and decomposes only the nonzero voxels' indices. `within`, when
 * given, is a box known to hold every nonzero voxel: only it is scanned.
 */
export function roiBounds(dims: Dims, masks: Uint8Array | readonly Uint8Array[], within?: RoiBounds): RoiBounds | null {
  const [nx, ny] = dims;
  const sliceSize = nx * ny;
  const b = { x0: Infinity, y0: Infinity, z0: Infinity, x1: -1, y1: -1, z1: -1 };
  for (const mask of masks instanceof Uint8Array ? [masks as Uint8Array] : (masks as readonly Uint8Array[])) {
    if (within) {
      for (let z = within.z0; z <= within.z1; z++) {
        for (let y = within.y0; y <= within.y1; y++) {
          const row = nx * (y + ny * z);
          for (let i = row + within.x0; i <= row + within.x1; i++) if (mask[i] !== 0) include(b, i, nx, sliceSize);
        }
      }
      continue;
    }
    const aligned = mask.byteOffset % 4 === 0;
    const nWords = aligned ? mask.length >> 2 : 0;
    const words = aligned ? new Uint32Array(mask.buffer, mask.byteOffset, nWords) : new Uint32Array(0);
    for (let w = 0; w < nWords; w++) {
      if (words[w] === 0) continue;
      for (let i = 4 * w; i < 4 * w + 4; i++) if (mask[i] !== 0) include(b, i, nx, sliceSize);
    }
    for (let i = 4 * nWords; i < mask.length; i++) if (mask[i] !== 0) include(b, i, nx, sliceSize);
  }
  return b.x1 < 0 ? null : b;
}

function include(b: RoiBounds, i: number, nx: number, sliceSize: number): void {
  const z = Math.floor(i / sliceSize);
  const rest = i - z * sliceSize;
  const y = Math.floor(rest / nx);
  const x = rest - y * nx;
  if (x < b.x0) b.x0 = x;
  if (x > b.x1) b.x1 = x;
  if (y < b.y0) b.y0 = y;
  if (y > b.y1) b.y1 = y;
  if (z < b.z0) b.z0 = z;
  if (z > b.z1) b.z1 = z;
}
