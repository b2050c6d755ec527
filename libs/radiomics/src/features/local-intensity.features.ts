import { roiBounds, type RoiBounds } from '../roi-bounds.js';
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

/** `within`, when given, is a box known to hold every intensity-mask voxel (spares the search). */
export function computeLocalIntensity(image: Volume, intensityMask: Uint8Array, within?: RoiBounds): FeatureValues {
  const [nx, ny, nz] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const data = image.data;
  const r = SPHERE_RADIUS_MM;
  // The sphere as x-runs per (dy, dz): |dx| ≤ half[dy,dz].
  const ry = Math.floor(r / sy);
  const rz = Math.floor(r / sz);
  const runDy: number[] = [], runDz: number[] = [], runHalf: number[] = [];
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      const rest = r * r - (dy * sy) ** 2 - (dz * sz) ** 2;
      if (rest < 0) continue;
      runDy.push(dy);
      runDz.push(dz);
      runHalf.push(Math.floor(Math.sqrt(rest) / sx + 1e-9));
    }
  }
  const bounds = roiBounds(image.dims, intensityMask, within);
  if (!bounds) return { VJGA: -Infinity, '0F91': -Infinity };
  const { x0, x1, y0, y1, z0, z1 } = bounds;
  // Prefix sums along x over the ROI bounding box grown by the sphere radius.
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
        acc += data[src + x]!;
        prefix[row + x + 1] = acc;
      }
    }
  // Each run as a row offset in `prefix` relative to the centre's row and its half width.
  const runs = runDy.length;
  const runRow = Int32Array.from(runDy, (dy, k) => (bnx + 1) * (dy + bny * runDz[k]!));
  const half = Int32Array.from(runHalf);
  const dys = Int32Array.from(runDy), dzs = Int32Array.from(runDz);
  // A sphere that lies inside the prefix box needs no clipping: each run is a difference of
  // two prefix sums at fixed offsets from the centre, and the voxel count is fixed. Same
  // operations in the same order as the clipped path, so the same rounding.
  const runHi = new Int32Array(runs), runLo = new Int32Array(runs);
  let fullCount = 0, maxHalf = 0;
  for (let k = 0; k < runs; k++) {
    runHi[k] = runRow[k]! + half[k]! + 1;
    runLo[k] = runRow[k]! - half[k]!;
    fullCount += 2 * half[k]! + 1;
    if (half[k]! > maxHalf) maxHalf = half[k]!;
  }
  const sphereMean = (x: number, y: number, z: number): number => {
    if (x - maxHalf >= bx0 && x + maxHalf <= bx1 && y - ry >= by0 && y + ry <= by1 && z - rz >= bz0 && z + rz <= bz1) {
      const centre = (bnx + 1) * (y - by0 + bny * (z - bz0)) + x - bx0;
      let sum = 0;
      for (let k = 0; k < runs; k++) sum += prefix[centre + runHi[k]!]! - prefix[centre + runLo[k]!]!;
      return sum / fullCount;
    }
    let sum = 0;
    let count = 0;
    const centreRow = (bnx + 1) * (y - by0 + bny * (z - bz0));
    for (let k = 0; k < runs; k++) {
      const yy = y + dys[k]!, zz = z + dzs[k]!;
      if (yy < by0 || yy > by1 || zz < bz0 || zz > bz1) continue;
      const h = half[k]!;
      const lo = (x - h > bx0 ? x - h : bx0) - bx0;
      const hi = (x + h < bx1 ? x + h : bx1) - bx0;
      const row = centreRow + runRow[k]!;
      sum += prefix[row + hi + 1]! - prefix[row + lo]!;
      count += hi - lo + 1;
    }
    return sum / count;
  };
  let maxIntensity = -Infinity;
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++)
      for (let x = x0, i = x0 + nx * (y + ny * z); x <= x1; x++, i++)
        if (intensityMask[i] && data[i]! > maxIntensity) maxIntensity = data[i]!;
  let localPeak = -Infinity;
  let globalPeak = -Infinity;
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++)
      for (let x = x0, i = x0 + nx * (y + ny * z); x <= x1; x++, i++) {
        if (!intensityMask[i]) continue;
        const m = sphereMean(x, y, z);
        if (m > globalPeak) globalPeak = m;
        if (data[i] === maxIntensity && m > localPeak) localPeak = m;
      }
  // IBSI 3.2.1 (VJGA): highest sphere mean over the voxels holding the maximum intensity.
  // IBSI 3.2.2 (0F91): highest sphere mean over all intensity-mask voxels.
  return { VJGA: localPeak, '0F91': globalPeak };
}
