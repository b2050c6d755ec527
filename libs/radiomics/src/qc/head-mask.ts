import type { Dims, Volume } from '../volume.js';

/**
 * Otsu's threshold (IEEE Trans SMC 1979) over a 256-bin histogram between the volume's minimum
 * and maximum: the cut that maximises the between-class variance of background and object.
 */
export function otsuThreshold(data: ArrayLike<number>, bins = 256): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return min;
  const width = (max - min) / bins;
  const hist = new Float64Array(bins);
  for (let i = 0; i < data.length; i++) hist[Math.min(bins - 1, Math.floor((data[i]! - min) / width))]!++;
  let total = 0;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) {
    total += hist[b]!;
    sumAll += b * hist[b]!;
  }
  let w0 = 0;
  let sum0 = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < bins; b++) {
    w0 += hist[b]!;
    sum0 += b * hist[b]!;
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return min + (bestBin + 1) * width;
}

/**
 * The head (object) mask: everything not reachable from the volume's border through voxels below
 * the Otsu threshold (6-connected flood fill), so dark structures inside the head (ventricles,
 * necrosis) stay inside it. 1 = head, 0 = background.
 */
export function headMask(volume: Volume, threshold = otsuThreshold(volume.data)): Uint8Array {
  const [nx, ny, nz] = volume.dims;
  const n = nx * ny * nz;
  const background = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const push = (i: number) => {
    if (background[i] === 0 && volume.data[i]! < threshold) {
      background[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) if (x === 0 || y === 0 || z === 0 || x === nx - 1 || y === ny - 1 || z === nz - 1) push(x + nx * (y + ny * z));
  while (head < tail) {
    const i = queue[head++]!;
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / (nx * ny));
    if (x > 0) push(i - 1);
    if (x < nx - 1) push(i + 1);
    if (y > 0) push(i - nx);
    if (y < ny - 1) push(i + nx);
    if (z > 0) push(i - nx * ny);
    if (z < nz - 1) push(i + nx * ny);
  }
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = background[i] ? 0 : 1;
  return mask;
}

/** 6-connected dilation repeated `steps` times (a city-block ball of that radius). */
export function dilate(mask: Uint8Array, dims: Dims, steps: number): Uint8Array {
  const [nx, ny, nz] = dims;
  let current = mask;
  for (let s = 0; s < steps; s++) {
    const next = current.slice();
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const i = x + nx * (y + ny * z);
          if (current[i]) continue;
          if ((x > 0 && current[i - 1]) || (x < nx - 1 && current[i + 1]) || (y > 0 && current[i - nx]) || (y < ny - 1 && current[i + nx]) || (z > 0 && current[i - nx * ny]) || (z < nz - 1 && current[i + nx * ny])) next[i] = 1;
        }
    current = next;
  }
  return current;
}

/** The mask shifted by half the grid along one axis, wrapping around: where an N/2 (Nyquist) ghost of the object lands. */
export function halfFovShift(mask: Uint8Array, dims: Dims, axis: 0 | 1 | 2): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(mask.length);
  const shift = Math.floor(dims[axis] / 2);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (!mask[x + nx * (y + ny * z)]) continue;
        const c = [x, y, z];
        c[axis] = (c[axis]! + shift) % dims[axis];
        out[c[0]! + nx * (c[1]! + ny * c[2]!)] = 1;
      }
  return out;
}
