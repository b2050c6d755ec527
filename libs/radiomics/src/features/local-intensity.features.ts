import type { FeatureDefinition, FeatureValues, Volume } from '../volume.js';

/**
 * IBSI 3.2 local intensity features: the mean intensity in a 1 cm³ sphere (radius
 * r = (3/(4π))^{1/3} cm ≈ 6.2 mm) centred on a voxel, over every image voxel (inside or
 * outside the ROI) whose centre lies within r. Centres are intensity-mask voxels.
 */
export const localIntensityDefinitions: FeatureDefinition[] = [
  { code: 'VJGA', name: 'Local intensity peak', family: 'local-intensity' },
  { code: '0F91', name: 'Global intensity peak', family: 'local-intensity' },
];

const SPHERE_RADIUS_MM = 10 * Math.cbrt(3 / (4 * Math.PI));

export function computeLocalIntensity(image: Volume, intensityMask: Uint8Array): FeatureValues {
  const [nx, ny, nz] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const r = SPHERE_RADIUS_MM;
  // The sphere as x-runs per (dy, dz): |dx| ≤ half[dy,dz].
  const ry = Math.floor(r / sy);
  const rz = Math.floor(r / sz);
  const runs: Array<[number, number, number]> = [];
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      const rest = r * r - (dy * sy) ** 2 - (dz * sz) ** 2;
      if (rest < 0) continue;
      runs.push([dy, dz, Math.floor(Math.sqrt(rest) / sx + 1e-9)]);
    }
  }
  // Prefix sums along x over the ROI bounding box grown by the sphere radius.
  let x0 = nx, x1 = -1, y0 = ny, y1 = -1, z0 = nz, z1 = -1;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (intensityMask[i]) {
          if (x < x0) x0 = x; if (x > x1) x1 = x;
          if (y < y0) y0 = y; if (y > y1) y1 = y;
          if (z < z0) z0 = z; if (z > z1) z1 = z;
        }
  const rx = Math.floor(r / sx);
  const bx0 = Math.max(0, x0 - rx), bx1 = Math.min(nx - 1, x1 + rx);
  const by0 = Math.max(0, y0 - ry), by1 = Math.min(ny - 1, y1 + ry);
  const bz0 = Math.max(0, z0 - rz), bz1 = Math.min(nz - 1, z1 + rz);
  const bnx = bx1 - bx0 + 1, bny = by1 - by0 + 1, bnz = bz1 - bz0 + 1;
  const prefix = new Float64Array((bnx + 1) * bny * bnz);
  for (let z = 0; z < bnz; z++)
    for (let y = 0; y < bny; y++) {
      const row = (bnx + 1) * (y + bny * z);
      const src = bx0 + nx * (by0 + y + ny * (bz0 + z));
      let acc = 0;
      for (let x = 0; x < bnx; x++) {
        acc += image.data[src + x]!;
        prefix[row + x + 1] = acc;
      }
    }
  const sphereMean = (x: number, y: number, z: number): number => {
    let sum = 0;
    let count = 0;
    for (const [dy, dz, half] of runs) {
      const yy = y + dy, zz = z + dz;
      if (yy < by0 || yy > by1 || zz < bz0 || zz > bz1) continue;
      const lo = Math.max(x - half, bx0) - bx0;
      const hi = Math.min(x + half, bx1) - bx0;
      const row = (bnx + 1) * (yy - by0 + bny * (zz - bz0));
      sum += prefix[row + hi + 1]! - prefix[row + lo]!;
      count += hi - lo + 1;
    }
    return sum / count;
  };
  let maxIntensity = -Infinity;
  for (let i = 0; i < intensityMask.length; i++)
    if (intensityMask[i] && image.data[i]! > maxIntensity) maxIntensity = image.data[i]!;
  let localPeak = -Infinity;
  let globalPeak = -Infinity;
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const i = x + nx * (y + ny * z);
        if (!intensityMask[i]) continue;
        const m = sphereMean(x, y, z);
        if (m > globalPeak) globalPeak = m;
        if (image.data[i] === maxIntensity && m > localPeak) localPeak = m;
      }
  // IBSI 3.2.1 (VJGA): highest sphere mean over the voxels holding the maximum intensity.
  // IBSI 3.2.2 (0F91): highest sphere mean over all intensity-mask voxels.
  return { VJGA: localPeak, '0F91': globalPeak };
}
