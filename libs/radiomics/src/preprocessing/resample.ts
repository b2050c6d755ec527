import { RadiomicsInputError } from '../radiomics.errors.js';
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
  if (method === 'cubic-spline') {
    throw new RadiomicsInputError(
      'SETTINGS_INVALID',
      'settings /resampling/imageInterpolation: cubic-spline is not implemented yet (use linear or nearest)',
    );
  }
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
