/**
 * The demo site pipeline's preprocessing, run for real on the generated volumes so that
 * the recorded PreprocessingApplied events name outputs that exist and differ from their
 * inputs:
 *   1. bias-field correction: a 2nd-order polynomial fitted by least squares to the
 *      log-intensity of foreground voxels (the multiplicative field becomes additive in
 *      log space), divided out, keeping the foreground mean;
 *   2. intensity normalisation: z-score over the foreground (MRI has no absolute units;
 *      IBSI 2.3 leaves normalisation to the pipeline and asks that it be recorded).
 * Deterministic: fixed iteration order, no randomness.
 */
export const PREPROCESSING_TOOL = { name: 'radledger-demo-preprocess', version: '1.0.0' } as const;

export interface BiasFieldParameters {
  model: 'polynomial-log-intensity';
  degree: 2;
  /** Foreground = voxels above this fraction of the 99th intensity percentile. */
  foregroundFraction: number;
  /** Every n-th foreground voxel enters the fit. */
  fitStride: number;
}

export interface ZScoreParameters {
  method: 'z-score';
  region: 'foreground';
  foregroundFraction: number;
}

/** Both steps in one pass: what one PreprocessingApplied records (tool, version, every parameter). */
export function preprocessVolume(values: ArrayLike<number>, dims: readonly [number, number, number]): Float32Array {
  return zScore(correctBiasField(values, dims, BIAS_FIELD_PARAMETERS), Z_SCORE_PARAMETERS);
}

export const BIAS_FIELD_PARAMETERS: BiasFieldParameters = { model: 'polynomial-log-intensity', degree: 2, foregroundFraction: 0.15, fitStride: 5 };
export const Z_SCORE_PARAMETERS: ZScoreParameters = { method: 'z-score', region: 'foreground', foregroundFraction: 0.15 };

/**
 * The voxels above `fraction` of the 99th percentile (a head mask without a skull-stripping
 * tool). The percentile comes from every 17th voxel: a fixed, deterministic subsample.
 */
export function foregroundMask(values: ArrayLike<number>, fraction: number): Uint8Array {
  const sample = new Float64Array(Math.ceil(values.length / 17));
  for (let i = 0, s = 0; i < values.length; i += 17, s++) sample[s] = values[i]!;
  sample.sort();
  const p99 = sample[Math.min(sample.length - 1, Math.floor(0.99 * sample.length))]!;
  const cut = fraction * p99;
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) if (values[i]! > cut) mask[i] = 1;
  return mask;
}

/** Monomials of degree ≤ 2 in normalised coordinates: 1, x, y, z, x², y², z², xy, xz, yz. */
function basis(x: number, y: number, z: number, out: Float64Array): void {
  out[0] = 1;
  out[1] = x;
  out[2] = y;
  out[3] = z;
  out[4] = x * x;
  out[5] = y * y;
  out[6] = z * z;
  out[7] = x * y;
  out[8] = x * z;
  out[9] = y * z;
}

export function correctBiasField(values: ArrayLike<number>, dims: readonly [number, number, number], params: BiasFieldParameters = BIAS_FIELD_PARAMETERS): Float32Array {
  const [nx, ny, nz] = dims;
  const fg = foregroundMask(values, params.foregroundFraction);
  const m = 10;
  const ata = new Float64Array(m * m);
  const atb = new Float64Array(m);
  const phi = new Float64Array(m);
  const norm = (i: number, n: number) => (2 * i) / (n - 1) - 1;
  let count = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        if (!fg[idx] || count++ % params.fitStride !== 0) continue;
        basis(norm(i, nx), norm(j, ny), norm(k, nz), phi);
        const target = Math.log(values[idx]!);
        for (let a = 0; a < m; a++) {
          atb[a] += phi[a]! * target;
          for (let b = a; b < m; b++) ata[a * m + b] += phi[a]! * phi[b]!;
        }
      }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) ata[a * m + b] = ata[b * m + a]!;
  const beta = solveSymmetric(ata, atb, m);
  const out = new Float32Array(values.length);
  // beta[0] is the mean log-intensity: it stays in the image, only the spatial part is removed.
  // Per row (j, k) the field is c + l·x + beta[4]·x² (same monomials as basis()).
  for (let k = 0; k < nz; k++) {
    const z = norm(k, nz);
    for (let j = 0; j < ny; j++) {
      const y = norm(j, ny);
      const c = beta[2]! * y + beta[3]! * z + beta[5]! * y * y + beta[6]! * z * z + beta[9]! * y * z;
      const l = beta[1]! + beta[7]! * y + beta[8]! * z;
      const row = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        const x = norm(i, nx);
        out[row + i] = values[row + i]! / Math.exp(c + l * x + beta[4]! * x * x);
      }
    }
  }
  return out;
}

export function zScore(values: ArrayLike<number>, params: ZScoreParameters = Z_SCORE_PARAMETERS): Float32Array {
  const fg = foregroundMask(values, params.foregroundFraction);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!fg[i]) continue;
    n++;
    sum += values[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (fg[i]) ss += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / n) || 1;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! - mean) / sd;
  return out;
}

/** Gaussian elimination with partial pivoting on a small dense system (m = 10). */
function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]!) > Math.abs(A[p * m + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k]!, A[c * m + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    const pivot = A[c * m + c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r * m + k] -= f * A[c * m + k]!;
      x[r] -= f * x[c]!;
    }
  }
  for (let c = m - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let k = c + 1; k < m; k++) s -= A[c * m + k]! * x[k]!;
    const pivot = A[c * m + c]!;
    x[c] = Math.abs(pivot) < 1e-12 ? 0 : s / pivot;
  }
  return x;
}
