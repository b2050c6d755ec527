import type { Volume } from '../volume.js';
import { roiBounds, type RoiBounds } from '../roi-bounds.js';
import { FftPlan, fftLength } from './fast-fourier-transform.js';

/**
 * IBSI 3.1.28 Moran's I (N365) and 3.1.29 Geary's C (NPT7) over the intensity mask, with
 * weights w_ij = 1/‖x_i − x_j‖ (world distance in mm, i ≠ j):
 *
 *   I = N/W · Σ_{i≠j} w_ij (X_i − µ)(X_j − µ) / Σ_i (X_i − µ)²
 *   C = (N − 1)/(2W) · Σ_{i≠j} w_ij (X_i − X_j)² / Σ_i (X_i − µ)²,   W = Σ_{i≠j} w_ij
 */
export interface SpatialAutocorrelation {
  moranI: number;
  gearyC: number;
}

/**
 * Exact, over every voxel pair, in O(n log n). With x_i = (X_i − µ)·m_i (m the mask) and K
 * the weight kernel (K(d) = 1/‖d‖, K(0) = 0), every pair sum is a sum over displacements d
 * of K(d) times a correlation of two images, so by the correlation theorem a sum over
 * frequencies k of the kernel's transform K̂ times a product of the images' transforms:
 *   Σ_{i≠j} w_ij x_i x_j            = Σ_d K(d) Σ_i x_i x_{i+d}    = (1/L³) Σ_k K̂(k) |x̂(k)|²
 *   W = Σ_{i≠j} w_ij                = Σ_d K(d) Σ_i m_i m_{i+d}    = (1/L³) Σ_k K̂(k) |m̂(k)|²
 *   Σ_{i≠j} w_ij x_i² = Σ_i x_i² W_i = Σ_d K(d) Σ_i x_i² m_{i+d} = (1/L³) Σ_k K̂(k) Re(conj(ŷ(k)) m̂(k)), y = x²
 *   Σ_{i≠j} w_ij (X_i − X_j)² = 2 Σ_{i≠j} w_ij x_i² − 2 Σ_{i≠j} w_ij x_i x_j.
 * The images live on the mask's bounding box (n_a voxels per axis), zero-padded to
 * L_a ≥ 2n_a − 1 so that the circular correlations equal the linear ones (displacements
 * |d_a| ≤ n_a − 1 never wrap onto each other). x, m and y are real: their transforms are
 * Hermitian, so only k_x ∈ [0, L_x/2] is computed (two real rows per complex transform)
 * and the other half enters the sums as the conjugate. K is real and even in each axis, so
 * K̂ is real and even: one octant is computed. No inverse transform is needed.
 * Memory: 3·(L_x/2 + 1)·L_y·n_z complex values (about 100 bytes per bounding-box voxel)
 * plus K̂'s octant. `within`, when given, is a box known to hold every voxel of the mask
 * (it only spares the search for the mask's bounding box).
 */
export function spatialAutocorrelationExact(image: Volume, intensityMask: Uint8Array, within?: RoiBounds): SpatialAutocorrelation {
  const bounds = roiBounds(image.dims, intensityMask, within);
  if (!bounds) return { moranI: NaN, gearyC: NaN };
  const box: Box = {
    x0: bounds.x0, y0: bounds.y0, z0: bounds.z0,
    bx: bounds.x1 - bounds.x0 + 1, by: bounds.y1 - bounds.y0 + 1, bz: bounds.z1 - bounds.z0 + 1,
  };
  const { count, mean, constant } = roiMean(image, intensityMask, box);
  // Undefined for fewer than two voxels or a constant ROI (Σ (X_i − µ)² = 0).
  if (count < 2 || constant) return { moranI: NaN, gearyC: NaN };

  // Lengths 2^a·3^b: radix-4, 2 and 3 passes only (at most 19% longer than the next 2^a·3^b·5^c).
  const plans: Plans = [
    new FftPlan(fftLength(2 * box.bx - 1, [2, 3])),
    new FftPlan(fftLength(2 * box.by - 1, [2, 3])),
    new FftPlan(fftLength(2 * box.bz - 1, [2, 3])),
  ];
  const [lx, ly, lz] = plans.map((p) => p.length) as [number, number, number];
  const hx = (lx >> 1) + 1, hy = (ly >> 1) + 1;
  const columns = box.by + Math.ceil(box.by / 2);
  const scratchSize = Math.max(lx * columns, ly * 3 * hx, lz * 3 * hx, lx * Math.ceil(hy / 2));
  const scratch: Scratch = { re: new Float64Array(scratchSize), im: new Float64Array(scratchSize) };
  const kernel = kernelTransformOctant(box, image.spacing, plans, scratch);
  const { spectra, denom } = halfSpectra(image, intensityMask, box, mean, plans, scratch);
  const sums = frequencySums(spectra, kernel, box.bz, plans, scratch);
  return {
    moranI: ((count / sums.weights) * sums.moran) / denom,
    gearyC: ((count - 1) * (sums.squaresByWeight - sums.moran)) / (sums.weights * denom),
  };
}

interface Box {
  x0: number; y0: number; z0: number;
  bx: number; by: number; bz: number;
}
type Plans = readonly [FftPlan, FftPlan, FftPlan];
interface Scratch { re: Float64Array; im: Float64Array }

/** Voxel count and mean of the ROI (refined by one correction pass), and whether it is constant. */
function roiMean(image: Volume, mask: Uint8Array, box: Box): { count: number; mean: number; constant: boolean } {
  const [nx, ny] = image.dims;
  const data = image.data;
  let count = 0, sum = 0, min = Infinity, max = -Infinity;
  for (let z = 0; z < box.bz; z++) {
    for (let y = 0; y < box.by; y++) {
      const row = box.x0 + nx * (box.y0 + y + ny * (box.z0 + z));
      for (let i = row; i < row + box.bx; i++) {
        if (!mask[i]) continue;
        const v = data[i]!;
        count++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  let mean = sum / count;
  let residual = 0;
  for (let z = 0; z < box.bz; z++) {
    for (let y = 0; y < box.by; y++) {
      const row = box.x0 + nx * (box.y0 + y + ny * (box.z0 + z));
      for (let i = row; i < row + box.bx; i++) if (mask[i]) residual += data[i]! - mean;
    }
  }
  mean += residual / count;
  return { count, mean, constant: min === max };
}

/**
 * x̂, m̂ and ŷ transformed along x (k_x ∈ [0, L_x/2]) and y, for the box's slices:
 * [z][k_y][x̂ | m̂ | ŷ] with (L_x/2 + 1) complex values per part. Also Σ x_i².
 */
function halfSpectra(
  image: Volume,
  mask: Uint8Array,
  box: Box,
  mean: number,
  plans: Plans,
  scratch: Scratch,
): { spectra: Scratch; denom: number } {
  const [nx, ny] = image.dims;
  const data = image.data;
  const [planX, planY] = plans;
  const lx = planX.length, ly = planY.length;
  const hx = (lx >> 1) + 1, row3 = 3 * hx, sliceSize = ly * row3;
  const { bx, by, bz } = box;
  // Per slice, rows as columns of [x][column]: by columns x + i·m, then ⌈by/2⌉ columns
  // packing the y = x² rows two by two (even row real part, odd row imaginary part).
  const columns = by + Math.ceil(by / 2);
  const lineRe = new Float64Array(lx * columns);
  const lineIm = new Float64Array(lx * columns);
  const re = new Float64Array(bz * sliceSize);
  const im = new Float64Array(bz * sliceSize);
  let denom = 0;
  for (let z = 0; z < bz; z++) {
    lineRe.fill(0);
    lineIm.fill(0);
    for (let y = 0; y < by; y++) {
      const src = box.x0 + nx * (box.y0 + y + ny * (box.z0 + z));
      const yColumn = by + (y >> 1);
      const yPart = y & 1 ? lineIm : lineRe;
      for (let x = 0; x < bx; x++) {
        if (!mask[src + x]) continue;
        const xi = data[src + x]! - mean;
        const sq = xi * xi;
        denom += sq;
        lineRe[x * columns + y] = xi;
        lineIm[x * columns + y] = 1;
        yPart[x * columns + yColumn] = sq;
      }
    }
    planX.transform(lineRe, lineIm, 0, columns, columns, -1, scratch.re, scratch.im);
    // A packed transform Z of two real rows a + i·b splits as â(k) = (Z(k) + conj Z(−k))/2,
    // b̂(k) = (Z(k) − conj Z(−k))/(2i).
    const base = z * sliceSize;
    for (let y = 0; y < by; y++) {
      const out = base + y * row3;
      const yColumn = by + (y >> 1);
      const odd = (y & 1) === 1;
      for (let k = 0; k < hx; k++) {
        const a = k * columns, b = (k === 0 ? 0 : lx - k) * columns;
        const zr = lineRe[a + y]!, zi = lineIm[a + y]!, cr = lineRe[b + y]!, ci = lineIm[b + y]!;
        re[out + k] = (zr + cr) / 2;
        im[out + k] = (zi - ci) / 2;
        re[out + hx + k] = (zi + ci) / 2;
        im[out + hx + k] = (cr - zr) / 2;
        const wr = lineRe[a + yColumn]!, wi = lineIm[a + yColumn]!, vr = lineRe[b + yColumn]!, vi = lineIm[b + yColumn]!;
        re[out + 2 * hx + k] = odd ? (wi + vi) / 2 : (wr + vr) / 2;
        im[out + 2 * hx + k] = odd ? (vr - wr) / 2 : (wi - vi) / 2;
      }
    }
    planY.transform(re, im, base, row3, row3, -1, scratch.re, scratch.im);
  }
  return { spectra: { re, im }, denom };
}

/**
 * Transforms the half spectra along z, one k_y at a time, and sums K̂·|x̂|², K̂·|m̂|² and
 * K̂·Re(conj(ŷ)·m̂) over every frequency (`kernel` carries the factor 2 of the k_x that
 * stand for their conjugates too).
 */
function frequencySums(
  spectra: Scratch,
  kernel: Float64Array,
  bz: number,
  plans: Plans,
  scratch: Scratch,
): { moran: number; weights: number; squaresByWeight: number } {
  const [planX, planY, planZ] = plans;
  const lx = planX.length, ly = planY.length, lz = planZ.length;
  const hx = (lx >> 1) + 1, hy = (ly >> 1) + 1, row3 = 3 * hx, sliceSize = ly * row3;
  const lineRe = new Float64Array(lz * row3);
  const lineIm = new Float64Array(lz * row3);
  const moran = new CompensatedSum();
  const weights = new CompensatedSum();
  const squaresByWeight = new CompensatedSum();
  for (let ky = 0; ky < ly; ky++) {
    lineRe.fill(0);
    lineIm.fill(0);
    for (let z = 0; z < bz; z++) {
      const from = z * sliceSize + ky * row3;
      lineRe.set(spectra.re.subarray(from, from + row3), z * row3);
      lineIm.set(spectra.im.subarray(from, from + row3), z * row3);
    }
    planZ.transform(lineRe, lineIm, 0, row3, row3, -1, scratch.re, scratch.im);
    const fy = Math.min(ky, ly - ky);
    for (let kz = 0; kz < lz; kz++) {
      const kRow = hx * (fy + hy * Math.min(kz, lz - kz));
      const at = kz * row3;
      let sxx = 0, smm = 0, sym = 0;
      for (let kx = 0; kx < hx; kx++) {
        const kw = kernel[kRow + kx]!;
        const xr = lineRe[at + kx]!, xi = lineIm[at + kx]!;
        const mr = lineRe[at + hx + kx]!, mi = lineIm[at + hx + kx]!;
        const yr = lineRe[at + 2 * hx + kx]!, yi = lineIm[at + 2 * hx + kx]!;
        sxx += kw * (xr * xr + xi * xi);
        smm += kw * (mr * mr + mi * mi);
        sym += kw * (yr * mr + yi * mi);
      }
      moran.add(sxx);
      weights.add(smm);
      squaresByWeight.add(sym);
    }
  }
  return { moran: moran.value(), weights: weights.value(), squaresByWeight: squaresByWeight.value() };
}

/**
 * The transform of the weight kernel on the padded grid, divided by L_x·L_y·L_z (the
 * inverse transform's factor), as its first octant [kz][ky][kx] with k_a ∈ [0, L_a/2],
 * with the weight of each k_x in the half-spectrum sums.
 * K(d) = 1/‖(d_x s_x, d_y s_y, d_z s_z)‖ for |d_a| < n_a (the displacements two voxels of
 * the box can have), 0 at d = 0 and at the padding displacements (never used).
 */
function kernelTransformOctant(box: Box, spacing: readonly number[], plans: Plans, scratch: Scratch): Float64Array {
  const [lx, ly, lz] = plans.map((p) => p.length) as [number, number, number];
  const hx = (lx >> 1) + 1, hy = (ly >> 1) + 1, hz = (lz >> 1) + 1;
  const out = new Float64Array(hx * hy * hz);
  const [sx, sy, sz] = spacing as [number, number, number];
  for (let dz = 0; dz < box.bz; dz++) {
    for (let dy = 0; dy < box.by; dy++) {
      const row = hx * (dy + hy * dz);
      const ryz = (dy * sy) ** 2 + (dz * sz) ** 2;
      for (let dx = 0; dx < box.bx; dx++) {
        const r2 = (dx * sx) ** 2 + ryz;
        out[row + dx] = r2 === 0 ? 0 : 1 / Math.sqrt(r2);
      }
    }
  }
  // One axis at a time (x, y, z), lines indexed (i, j): start i·stride1 + j·stride2, values
  // `step` apart.
  evenLines(out, plans[0], 1, hy, hx, hz, hx * hy, scratch);
  evenLines(out, plans[1], hx, hx, 1, hz, hx * hy, scratch);
  evenLines(out, plans[2], hx * hy, hx, 1, hy, hx, scratch);
  // k_x in (0, L_x/2) stands for itself and for its conjugate L_x − k_x in the sums (same
  // K̂, conjugate spectra): counted twice.
  const scale = 1 / (lx * ly * lz);
  for (let i = 0, kx = 0; i < out.length; i++, kx = kx + 1 === hx ? 0 : kx + 1) {
    out[i] = out[i]! * (kx === 0 || 2 * kx === lx ? scale : 2 * scale);
  }
  return out;
}

/**
 * Transforms, in place, lines that each hold the first half of a real even sequence of
 * length L (value at t and L − t equal). The transform of such a sequence is real and even,
 * so lines i and i + 1 go through one complex transform as its real and imaginary parts,
 * and the first half of each result is written back.
 */
function evenLines(
  out: Float64Array,
  plan: FftPlan,
  step: number,
  count1: number,
  stride1: number,
  count2: number,
  stride2: number,
  scratch: Scratch,
): void {
  const l = plan.length;
  const h = (l >> 1) + 1;
  const pairs = Math.ceil(count1 / 2);
  const odd = count1 % 2 === 1;
  const re = new Float64Array(l * pairs);
  const im = new Float64Array(l * pairs);
  for (let j = 0; j < count2; j++) {
    const base = j * stride2;
    for (let t = 0; t < l; t++) {
      const src = base + step * Math.min(t, l - t);
      const dst = t * pairs;
      for (let p = 0; p < pairs; p++) {
        re[dst + p] = out[src + 2 * p * stride1]!;
        im[dst + p] = odd && p === pairs - 1 ? 0 : out[src + (2 * p + 1) * stride1]!;
      }
    }
    plan.transform(re, im, 0, pairs, pairs, -1, scratch.re, scratch.im);
    for (let k = 0; k < h; k++) {
      const dst = base + step * k;
      const src = k * pairs;
      for (let p = 0; p < pairs; p++) {
        out[dst + 2 * p * stride1] = re[src + p]!;
        if (!odd || p < pairs - 1) out[dst + (2 * p + 1) * stride1] = im[src + p]!;
      }
    }
  }
}

/** Neumaier's compensated summation (the error of a long sum stays near one rounding). */
class CompensatedSum {
  private sum = 0;
  private carry = 0;
  add(v: number): void {
    const t = this.sum + v;
    this.carry += Math.abs(this.sum) >= Math.abs(v) ? this.sum - t + v : v - t + this.sum;
    this.sum = t;
  }
  value(): number {
    return this.sum + this.carry;
  }
}

/**
 * The pre-exact method, kept so that feature sets recorded with
 * `morphology.spatialAutocorrelationMaxVoxels` set reproduce bit for bit: O(N²) over the
 * intensity-mask voxels, and above maxVoxels over an evenly strided, ordered subset of
 * maxVoxels of them. Do not change its arithmetic.
 */
export function spatialAutocorrelationSampled(
  image: Volume,
  intensityMask: Uint8Array,
  maxVoxels: number,
): SpatialAutocorrelation {
  const [nx, ny] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const all: number[] = [];
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) all.push(i);
  const stride = all.length > maxVoxels ? all.length / maxVoxels : 1;
  const count = Math.min(all.length, maxVoxels);
  const px = new Float64Array(count), py = new Float64Array(count), pz = new Float64Array(count);
  const val = new Float64Array(count);
  let mean = 0;
  for (let k = 0; k < count; k++) {
    const i = all[Math.floor(k * stride)]!;
    const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
    px[k] = x * sx; py[k] = y * sy; pz[k] = z * sz;
    val[k] = image.data[i]!;
    mean += val[k]!;
  }
  mean /= count;
  let wTotal = 0, moranNum = 0, gearyNum = 0, denom = 0;
  for (let a = 0; a < count; a++) {
    const da = val[a]! - mean;
    denom += da * da;
    for (let b = a + 1; b < count; b++) {
      const dx = px[a]! - px[b]!, dy = py[a]! - py[b]!, dz = pz[a]! - pz[b]!;
      const w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
      const db = val[b]! - mean;
      const diff = val[a]! - val[b]!;
      wTotal += 2 * w; // both (a, b) and (b, a)
      moranNum += 2 * w * da * db;
      gearyNum += 2 * w * diff * diff;
    }
  }
  if (count < 2 || denom === 0) return { moranI: NaN, gearyC: NaN };
  return {
    moranI: ((count / wTotal) * moranNum) / denom, // N/Σw · Σ w (x_i−µ)(x_j−µ) / Σ (x_i−µ)²
    gearyC: ((count - 1) * gearyNum) / (2 * wTotal * denom), // (N−1) Σ w (x_i−x_j)² / (2 Σw Σ (x_i−µ)²)
  };
}
