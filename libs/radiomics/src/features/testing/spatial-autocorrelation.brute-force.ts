/**
 * Test reference: IBSI 3.1.28 (Moran's I) and 3.1.29 (Geary's C) evaluated literally, as a
 * double sum over every ordered pair of intensity-mask voxels i ≠ j with w_ij = 1/‖x_i − x_j‖
 * (world distance in mm), in O(N²). Every sum is compensated (Neumaier) so the reference is
 * accurate to a few roundings, whatever the order of the terms.
 */
import type { Volume } from '../../volume.js';

export interface BruteForceAutocorrelation {
  moranI: number;
  gearyC: number;
  /**
   * N/W · Σ_{i≠j} w_ij |X_i − µ||X_j − µ| / Σ (X_i − µ)²: Moran's I with every term taken
   * positive, the size of the terms that cancel in I (its condition).
   */
  moranScale: number;
}

class Sum {
  private s = 0;
  private c = 0;
  add(v: number): void {
    const t = this.s + v;
    this.c += Math.abs(this.s) >= Math.abs(v) ? this.s - t + v : v - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

export function spatialAutocorrelationBruteForce(image: Volume, intensityMask: Uint8Array): BruteForceAutocorrelation {
  const [nx, ny] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const voxels: number[] = [];
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) voxels.push(i);
  const n = voxels.length;
  const total = new Sum();
  for (const i of voxels) total.add(image.data[i]!);
  let mean = total.value / n;
  const residual = new Sum();
  for (const i of voxels) residual.add(image.data[i]! - mean);
  mean += residual.value / n;
  const px = Float64Array.from(voxels, (i) => (i % nx) * sx);
  const py = Float64Array.from(voxels, (i) => (Math.floor(i / nx) % ny) * sy);
  const pz = Float64Array.from(voxels, (i) => Math.floor(i / (nx * ny)) * sz);
  const value = Float64Array.from(voxels, (i) => image.data[i]!);
  const w = new Sum(), moran = new Sum(), moranAbs = new Sum(), geary = new Sum(), denom = new Sum();
  for (let a = 0; a < n; a++) {
    const da = value[a]! - mean;
    denom.add(da * da);
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const wab = 1 / Math.sqrt((px[a]! - px[b]!) ** 2 + (py[a]! - py[b]!) ** 2 + (pz[a]! - pz[b]!) ** 2);
      const db = value[b]! - mean;
      w.add(wab);
      moran.add(wab * da * db);
      moranAbs.add(Math.abs(wab * da * db));
      geary.add(wab * (value[a]! - value[b]!) ** 2);
    }
  }
  return {
    moranI: ((n / w.value) * moran.value) / denom.value,
    gearyC: ((n - 1) * geary.value) / (2 * w.value * denom.value),
    moranScale: ((n / w.value) * moranAbs.value) / denom.value,
  };
}
