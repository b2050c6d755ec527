import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { roiBounds } from './roi-bounds.js';
import type { Dims } from './volume.js';

function naive(dims: Dims, masks: Uint8Array[]) {
  const [nx, ny, nz] = dims;
  let b: { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number } | null = null;
  for (const mask of masks)
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          if (!mask[i]) continue;
          b ??= { x0: x, y0: y, z0: z, x1: x, y1: y, z1: z };
          b = { x0: Math.min(b.x0, x), y0: Math.min(b.y0, y), z0: Math.min(b.z0, z), x1: Math.max(b.x1, x), y1: Math.max(b.y1, y), z1: Math.max(b.z1, z) };
        }
  return b;
}

test('roiBounds equals the voxel-by-voxel bounding box, for sparse masks, unaligned views and several masks at once', () => {
  fc.assert(
    fc.property(
      fc.tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 })),
      fc.integer({ min: 0, max: 3 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 3 }),
      (dims, shift, voxels, others) => {
        const n = dims[0] * dims[1] * dims[2];
        // A view `shift` bytes into its buffer: the word-at-a-time scan must not assume alignment.
        const mask = new Uint8Array(new ArrayBuffer(n + shift), shift, n);
        for (const v of voxels) mask[v % n] = 1 + (v % 200);
        const other = new Uint8Array(n);
        for (const v of others) other[v % n] = 1;
        assert.deepEqual(roiBounds(dims, mask), naive(dims, [mask]));
        const both = naive(dims, [mask, other]);
        assert.deepEqual(roiBounds(dims, [mask, other]), both);
        // Searching only a box that holds every voxel gives the same box.
        if (both) assert.deepEqual(roiBounds(dims, [mask, other], both), both);
      },
    ),
    { numRuns: 400 },
  );
});
