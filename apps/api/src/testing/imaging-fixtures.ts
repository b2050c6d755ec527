import { writeNifti } from '@radledger/radiomics';

export const FIXTURE_DIMS = [24, 24, 12] as const;
export const FIXTURE_SPACING = [1, 1, 2] as const;

/** A small MR-like volume: a bright ellipsoidal lesion with a darker core in a noisy background (seeded). */
export function fixtureImage(seed = 1): Uint8Array {
  const [nx, ny, nz] = FIXTURE_DIMS;
  const data = new Float64Array(nx * ny * nz);
  let state = seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const r = Math.hypot((x - 12) / 6, (y - 12) / 5, (z - 6) / 3);
        const lesion = r < 1 ? (r < 0.5 ? 300 : 700) : 200;
        data[x + nx * (y + ny * z)] = lesion + random() * 40;
      }
  return writeNifti({ dims: FIXTURE_DIMS, spacing: FIXTURE_SPACING, data }, { datatype: 'float32', gzip: true });
}

/** A binary mask: an ellipsoid of radii (rx, ry, rz) voxels at the volume centre. */
export function fixtureMask(rx = 6, ry = 5, rz = 3, dims: readonly [number, number, number] = FIXTURE_DIMS): Uint8Array {
  const [nx, ny, nz] = dims;
  const data = new Float64Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (Math.hypot((x - 12) / rx, (y - 12) / ry, (z - 6) / rz) <= 1) data[x + nx * (y + ny * z)] = 1;
      }
  return writeNifti({ dims, spacing: FIXTURE_SPACING, data }, { datatype: 'uint8', gzip: true });
}
