import type { Dims, Mask, Spacing, Volume } from '../volume.js';

/**
 * IBSI 2.4 interpolation grid: n_new = ceil(n·s/s_new) per axis, and the new grid's centre
 * coincides with the original grid's centre, so new voxel j sits at original index
 * (n − 1)/2 + (j − (n_new − 1)/2)·s_new/s. Outside the grid the nearest edge value is used.
 */
export interface ResampleGrid {
  dims: Dims;
  spacing: Spacing;
  /** Original (fractional) index of new voxel 0 along each axis, and the step. */
  start: [number, number, number];
  step: [number, number, number];
}

export function resampleGrid(dims: Dims, spacing: Spacing, target: readonly (number | null)[]): ResampleGrid {
  const newDims: number[] = [];
  const newSpacing: number[] = [];
  const start: number[] = [];
  const step: number[] = [];
  for (let a = 0; a < 3; a++) {
    const s = spacing[a]!;
    const n = dims[a]!;
    const sNew = target[a] ?? s;
    const nNew = Math.ceil((n * s) / sNew - 1e-9);
    newDims.push(nNew);
    newSpacing.push(sNew);
    step.push(sNew / s);
    start.push((n - 1) / 2 - ((nNew - 1) / 2) * (sNew / s));
  }
  return {
    dims: newDims as unknown as Dims,
    spacing: newSpacing as unknown as Spacing,
    start: start as [number, number, number],
    step: step as [number, number, number],
  };
}

function sampleAxis(n: number, start: number, step: number, nNew: number, nearest: boolean) {
  const i0 = new Int32Array(nNew);
  const i1 = new Int32Array(nNew);
  const w = new Float64Array(nNew);
  for (let j = 0; j < nNew; j++) {
    const p = Math.min(Math.max(start + j * step, 0), n - 1);
    if (nearest) {
      // Round half away from the lower index, deterministic.
      const k = Math.min(n - 1, Math.floor(p + 0.5));
      i0[j] = k;
      i1[j] = k;
      w[j] = 0;
    } else {
      const k = Math.min(Math.floor(p), n - 1);
      i0[j] = k;
      i1[j] = Math.min(k + 1, n - 1);
      w[j] = p - k;
    }
  }
  return { i0, i1, w };
}

/** Separable trilinear (or nearest-neighbour) interpolation onto the grid. */
export function interpolate(
  data: ArrayLike<number>,
  dims: Dims,
  grid: ResampleGrid,
  method: 'nearest' | 'linear' | 'cubic-spline',
): Float64Array {
  if (method === 'cubic-spline') return interpolateCubicSpline(data, dims, grid);
  const nearest = method === 'nearest';
  const [nx, ny] = dims;
  const [mx, my, mz] = grid.dims;
  const ax = sampleAxis(dims[0], grid.start[0], grid.step[0], mx, nearest);
  const ay = sampleAxis(dims[1], grid.start[1], grid.step[1], my, nearest);
  const az = sampleAxis(dims[2], grid.start[2], grid.step[2], mz, nearest);
  const out = new Float64Array(mx * my * mz);
  const v = (x: number, y: number, z: number): number => data[x + nx * (y + ny * z)]!;
  for (let z = 0, o = 0; z < mz; z++) {
    const z0 = az.i0[z]!, z1 = az.i1[z]!, wz = az.w[z]!;
    for (let y = 0; y < my; y++) {
      const y0 = ay.i0[y]!, y1 = ay.i1[y]!, wy = ay.w[y]!;
      for (let x = 0; x < mx; x++, o++) {
        const x0 = ax.i0[x]!, x1 = ax.i1[x]!, wx = ax.w[x]!;
        const c00 = v(x0, y0, z0) * (1 - wx) + v(x1, y0, z0) * wx;
        const c10 = v(x0, y1, z0) * (1 - wx) + v(x1, y1, z0) * wx;
        const c01 = v(x0, y0, z1) * (1 - wx) + v(x1, y0, z1) * wx;
        const c11 = v(x0, y1, z1) * (1 - wx) + v(x1, y1, z1) * wx;
        const c0 = c00 * (1 - wy) + c10 * wy;
        const c1 = c01 * (1 - wy) + c11 * wy;
        out[o] = c0 * (1 - wz) + c1 * wz;
      }
    }
  }
  return out;
}

export function resampleVolume(
  image: Volume,
  grid: ResampleGrid,
  method: 'nearest' | 'linear' | 'cubic-spline',
  rounding: 'none' | 'nearest-integer',
): Volume {
  const data = interpolate(image.data, image.dims, grid, method);
  // IBSI 2.4: CT intensities are rounded to the nearest integer after interpolation.
  if (rounding === 'nearest-integer') for (let i = 0; i < data.length; i++) data[i] = Math.round(data[i]!);
  return { dims: grid.dims, spacing: grid.spacing, data };
}

/** IBSI 2.4: interpolate the 0/1 mask, keep voxels with value ≥ the partial-volume threshold. */
export function resampleMask(
  mask: Mask,
  grid: ResampleGrid,
  method: 'nearest' | 'linear',
  threshold: number,
): Mask {
  const frac = interpolate(mask.data, mask.dims, grid, method);
  const data = new Uint8Array(frac.length);
  for (let i = 0; i < frac.length; i++) data[i] = frac[i]! >= threshold - 1e-12 ? 1 : 0;
  return { dims: grid.dims, spacing: grid.spacing, data };
}

/**
 * Tricubic B-spline interpolation (IBSI configuration E): coefficients by the causal and
 * anti-causal recursive prefilter along each axis (Unser 1999, pole z = √3 − 2, mirror
 * boundaries), then evaluation with the cubic B-spline weights. The result passes through
 * the original voxel values at the original grid points.
 */
function interpolateCubicSpline(data: ArrayLike<number>, dims: Dims, grid: ResampleGrid): Float64Array {
  const [nx, ny, nz] = dims;
  const c = Float64Array.from(data as ArrayLike<number>);
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    if (n < 2) continue;
    const stride = strides[axis]!;
    const line = new Float64Array(n);
    const others = (nx * ny * nz) / n;
    for (let k = 0; k < others; k++) {
      // Base index of the k-th line along this axis.
      let base: number;
      if (axis === 0) base = k * nx;
      else if (axis === 1) base = (k % nx) + Math.floor(k / nx) * nx * ny;
      else base = k;
      for (let i = 0; i < n; i++) line[i] = c[base + i * stride]!;
      prefilterLine(line);
      for (let i = 0; i < n; i++) c[base + i * stride] = line[i]!;
    }
  }
  const [mx, my, mz] = grid.dims;
  const out = new Float64Array(mx * my * mz);
  const mirror = (i: number, n: number): number => {
    if (n === 1) return 0;
    const period = 2 * n - 2;
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - j;
    return j;
  };
  const weights = (t: number): [number, number, number, number] => {
    const u = 1 - t;
    return [(u * u * u) / 6, (4 - 6 * t * t + 3 * t * t * t) / 6, (4 - 6 * u * u + 3 * u * u * u) / 6, (t * t * t) / 6];
  };
  const axisTaps = (n: number, start: number, step: number, m: number) => {
    const idx = new Int32Array(4 * m);
    const w = new Float64Array(4 * m);
    for (let j = 0; j < m; j++) {
      const p = Math.min(Math.max(start + j * step, 0), n - 1);
      const f = Math.floor(p);
      const ws = weights(p - f);
      for (let k = 0; k < 4; k++) {
        idx[4 * j + k] = mirror(f - 1 + k, n);
        w[4 * j + k] = ws[k]!;
      }
    }
    return { idx, w };
  };
  const ax = axisTaps(nx, grid.start[0], grid.step[0], mx);
  const ay = axisTaps(ny, grid.start[1], grid.step[1], my);
  const az = axisTaps(nz, grid.start[2], grid.step[2], mz);
  for (let z = 0, o = 0; z < mz; z++) {
    for (let y = 0; y < my; y++) {
      for (let x = 0; x < mx; x++, o++) {
        let sum = 0;
        for (let kz = 0; kz < 4; kz++) {
          const wz = az.w[4 * z + kz]!;
          if (wz === 0) continue;
          const zz = az.idx[4 * z + kz]! * nx * ny;
          for (let ky = 0; ky < 4; ky++) {
            const wzy = wz * ay.w[4 * y + ky]!;
            if (wzy === 0) continue;
            const row = zz + ay.idx[4 * y + ky]! * nx;
            for (let kx = 0; kx < 4; kx++) sum += wzy * ax.w[4 * x + kx]! * c[row + ax.idx[4 * x + kx]!]!;
          }
        }
        out[o] = sum;
      }
    }
  }
  return out;
}

/** In-place cubic B-spline prefilter of one line with mirror boundaries. */
function prefilterLine(line: Float64Array): void {
  const n = line.length;
  const z = Math.sqrt(3) - 2;
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < n; i++) line[i]! *= gain;
  // Causal initialisation, exact for the mirror-extended (period 2n − 2) signal.
  const period = 2 * n - 2;
  let sum = 0;
  let zk = 1;
  for (let k = 0; k < period; k++) {
    sum += zk * line[k < n ? k : period - k]!;
    zk *= z;
  }
  line[0] = sum / (1 - zk);
  for (let i = 1; i < n; i++) line[i] = line[i]! + z * line[i - 1]!;
  line[n - 1] = (z / (z * z - 1)) * (line[n - 1]! + z * line[n - 2]!);
  for (let i = n - 2; i >= 0; i--) line[i] = z * (line[i + 1]! - line[i]!);
}
