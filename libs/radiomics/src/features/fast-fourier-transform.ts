/**
 * Mixed-radix complex FFT (radices 4, 2, 3, 5) for the exact spatial autocorrelation
 * (Moran's I, Geary's C). Our own Stockham autosort formulation: every pass reads one
 * buffer and writes the other, so no digit-reversal permutation is needed, and a pass can
 * read from and write to strided storage. That lets one kernel transform many lines at
 * once ("batched"): a block of `batch` contiguous values per row, rows `rowStride` apart,
 * which is how the 3D transforms walk their y and z axes without gathering lines.
 *
 * Accuracy: twiddle factors are computed directly (Math.cos/Math.sin of 2π·(jk mod n)/n),
 * never by recurrence, so the transform's error grows like ε·log n.
 */

export type FftDirection = 1 | -1;

/** The smallest length ≥ n whose prime factors are among `primes` (2, 3 and 5 by default). */
export function fftLength(n: number, primes: readonly number[] = [2, 3, 5]): number {
  for (let m = Math.max(1, Math.ceil(n)); ; m++) {
    let r = m;
    for (const p of primes) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

interface Stage {
  radix: number;
  /** Sub-sequence length before this pass (n_s = radix · m). */
  n: number;
  m: number;
  /** Twiddles ω_n^{jk}, j ∈ [0, m), k ∈ [1, radix): index j·(radix − 1) + k − 1. */
  twRe: Float64Array;
  twIm: Float64Array;
}

/** A transform plan for one length: its radix passes and their twiddles (both directions). */
export class FftPlan {
  readonly length: number;
  private readonly stages: Stage[];

  constructor(length: number) {
    if (!Number.isInteger(length) || length < 1 || fftLength(length) !== length) {
      throw new RangeError(`FFT length must be a positive 2^a·3^b·5^c integer, got ${length}`);
    }
    this.length = length;
    const radices: number[] = [];
    let r = length;
    while (r % 4 === 0) { radices.push(4); r /= 4; }
    while (r % 2 === 0) { radices.push(2); r /= 2; }
    while (r % 3 === 0) { radices.push(3); r /= 3; }
    while (r % 5 === 0) { radices.push(5); r /= 5; }
    this.stages = [];
    let n = length;
    for (const radix of radices) {
      const m = n / radix;
      const twRe = new Float64Array(m * (radix - 1));
      const twIm = new Float64Array(m * (radix - 1));
      for (let j = 0; j < m; j++) {
        for (let k = 1; k < radix; k++) {
          const angle = (2 * Math.PI * ((j * k) % n)) / n;
          twRe[j * (radix - 1) + k - 1] = Math.cos(angle);
          twIm[j * (radix - 1) + k - 1] = -Math.sin(angle); // forward: e^{−2πi jk/n}
        }
      }
      this.stages.push({ radix, n, m, twRe, twIm });
      n = m;
    }
  }

  /**
   * Transforms `batch` interleaved sequences in place: element t of sequence b is at
   * offset + t·rowStride + b (split real/imaginary arrays). direction −1 is the forward
   * transform Σ x_t e^{−2πi tk/n}, +1 the inverse without the 1/n factor. `scratch` must
   * hold at least length·batch values per array.
   */
  transform(
    re: Float64Array,
    im: Float64Array,
    offset: number,
    rowStride: number,
    batch: number,
    direction: FftDirection,
    scratchRe: Float64Array,
    scratchIm: Float64Array,
  ): void {
    const stages = this.stages;
    if (stages.length === 0) return;
    // Ping-pong between the caller's storage (strided) and the scratch (contiguous rows).
    let srcRe = re, srcIm = im, srcOff = offset, srcStride = rowStride;
    for (let k = 0, s = 1; k < stages.length; k++) {
      const toScratch = k % 2 === 0;
      const dstRe = toScratch ? scratchRe : re;
      const dstIm = toScratch ? scratchIm : im;
      const dstOff = toScratch ? 0 : offset;
      const dstStride = toScratch ? batch : rowStride;
      pass(stages[k]!, s, batch, direction, srcRe, srcIm, srcOff, srcStride, dstRe, dstIm, dstOff, dstStride);
      s *= stages[k]!.radix;
      srcRe = dstRe; srcIm = dstIm; srcOff = dstOff; srcStride = dstStride;
    }
    if (stages.length % 2 === 1) {
      const n = this.length;
      for (let t = 0; t < n; t++) {
        const from = t * batch;
        const to = offset + t * rowStride;
        for (let b = 0; b < batch; b++) {
          re[to + b] = scratchRe[from + b]!;
          im[to + b] = scratchIm[from + b]!;
        }
      }
    }
  }
}

const SIN_60 = Math.sqrt(3) / 2;
const COS_72 = Math.cos((2 * Math.PI) / 5);
const COS_144 = Math.cos((4 * Math.PI) / 5);
const SIN_72 = Math.sin((2 * Math.PI) / 5);
const SIN_144 = Math.sin((4 * Math.PI) / 5);

/**
 * One Stockham pass (decimation in frequency): with s sequences already interleaved and
 * sub-length n = radix·m, output (q + s·(radix·j + k)) = ω_n^{jk} · Σ_r in(q + s·(j + r·m)) ω_radix^{rk}.
 * One function per radix keeps each hot loop small and monomorphic for the JIT.
 */
function pass(
  stage: Stage,
  s: number,
  batch: number,
  direction: FftDirection,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  xs: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
  ys: number,
): void {
  // sg: +1 forward, −1 inverse (the inverse conjugates twiddles and butterfly roots).
  const sg = -direction;
  switch (stage.radix) {
    case 4: return pass4(stage, s, batch, sg, xr, xi, xo, xs, yr, yi, yo, ys);
    case 2: return pass2(stage, s, batch, sg, xr, xi, xo, xs, yr, yi, yo, ys);
    case 3: return pass3(stage, s, batch, sg, xr, xi, xo, xs, yr, yi, yo, ys);
    default: return pass5(stage, s, batch, sg, xr, xi, xo, xs, yr, yi, yo, ys);
  }
}

function pass4(
  stage: Stage,
  s: number,
  batch: number,
  sg: number,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  xs: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
  ys: number,
): void {
  const { m, twRe, twIm } = stage;
  for (let j = 0; j < m; j++) {
    const w1r = twRe[3 * j]!, w1i = sg * twIm[3 * j]!;
    const w2r = twRe[3 * j + 1]!, w2i = sg * twIm[3 * j + 1]!;
    const w3r = twRe[3 * j + 2]!, w3i = sg * twIm[3 * j + 2]!;
    for (let q = 0; q < s; q++) {
      const i0 = xo + (q + s * j) * xs;
      const di = s * m * xs;
      const o0 = yo + (q + s * 4 * j) * ys;
      const dout = s * ys;
      for (let b = 0; b < batch; b++) {
        const a0 = i0 + b, a1 = a0 + di, a2 = a1 + di, a3 = a2 + di;
        const x0r = xr[a0]!, x0i = xi[a0]!, x1r = xr[a1]!, x1i = xi[a1]!;
        const x2r = xr[a2]!, x2i = xi[a2]!, x3r = xr[a3]!, x3i = xi[a3]!;
        const t0r = x0r + x2r, t0i = x0i + x2i, t1r = x0r - x2r, t1i = x0i - x2i;
        const t2r = x1r + x3r, t2i = x1i + x3i;
        // −i·sg·(x1 − x3)
        const t3r = sg * (x1i - x3i), t3i = -sg * (x1r - x3r);
        const c1r = t1r + t3r, c1i = t1i + t3i;
        const c2r = t0r - t2r, c2i = t0i - t2i;
        const c3r = t1r - t3r, c3i = t1i - t3i;
        const b0 = o0 + b, b1 = b0 + dout, b2 = b1 + dout, b3 = b2 + dout;
        yr[b0] = t0r + t2r; yi[b0] = t0i + t2i;
        yr[b1] = c1r * w1r - c1i * w1i; yi[b1] = c1r * w1i + c1i * w1r;
        yr[b2] = c2r * w2r - c2i * w2i; yi[b2] = c2r * w2i + c2i * w2r;
        yr[b3] = c3r * w3r - c3i * w3i; yi[b3] = c3r * w3i + c3i * w3r;
      }
    }
  }
}

function pass2(
  stage: Stage,
  s: number,
  batch: number,
  sg: number,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  xs: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
  ys: number,
): void {
  const { m, twRe, twIm } = stage;
  for (let j = 0; j < m; j++) {
    const wr = twRe[j]!, wi = sg * twIm[j]!;
    for (let q = 0; q < s; q++) {
      const i0 = xo + (q + s * j) * xs;
      const di = s * m * xs;
      const o0 = yo + (q + s * 2 * j) * ys;
      const dout = s * ys;
      for (let b = 0; b < batch; b++) {
        const a0 = i0 + b, a1 = a0 + di;
        const x0r = xr[a0]!, x0i = xi[a0]!, x1r = xr[a1]!, x1i = xi[a1]!;
        const dr = x0r - x1r, di2 = x0i - x1i;
        const b0 = o0 + b, b1 = b0 + dout;
        yr[b0] = x0r + x1r; yi[b0] = x0i + x1i;
        yr[b1] = dr * wr - di2 * wi; yi[b1] = dr * wi + di2 * wr;
      }
    }
  }
}

function pass3(
  stage: Stage,
  s: number,
  batch: number,
  sg: number,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  xs: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
  ys: number,
): void {
  const { m, twRe, twIm } = stage;
  const sn = sg * SIN_60;
  for (let j = 0; j < m; j++) {
    const w1r = twRe[2 * j]!, w1i = sg * twIm[2 * j]!;
    const w2r = twRe[2 * j + 1]!, w2i = sg * twIm[2 * j + 1]!;
    for (let q = 0; q < s; q++) {
      const i0 = xo + (q + s * j) * xs;
      const di = s * m * xs;
      const o0 = yo + (q + s * 3 * j) * ys;
      const dout = s * ys;
      for (let b = 0; b < batch; b++) {
        const a0 = i0 + b, a1 = a0 + di, a2 = a1 + di;
        const x0r = xr[a0]!, x0i = xi[a0]!;
        const sr = xr[a1]! + xr[a2]!, si = xi[a1]! + xi[a2]!;
        const dr = xr[a1]! - xr[a2]!, dq = xi[a1]! - xi[a2]!;
        const mr = x0r - 0.5 * sr, mi = x0i - 0.5 * si;
        // ∓ i·sin60·(x1 − x2)
        const c1r = mr + sn * dq, c1i = mi - sn * dr;
        const c2r = mr - sn * dq, c2i = mi + sn * dr;
        const b0 = o0 + b, b1 = b0 + dout, b2 = b1 + dout;
        yr[b0] = x0r + sr; yi[b0] = x0i + si;
        yr[b1] = c1r * w1r - c1i * w1i; yi[b1] = c1r * w1i + c1i * w1r;
        yr[b2] = c2r * w2r - c2i * w2i; yi[b2] = c2r * w2i + c2i * w2r;
      }
    }
  }
}

function pass5(
  stage: Stage,
  s: number,
  batch: number,
  sg: number,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  xs: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
  ys: number,
): void {
  const { m, twRe, twIm } = stage;
  const s1 = sg * SIN_72, s2 = sg * SIN_144;
  for (let j = 0; j < m; j++) {
    const w1r = twRe[4 * j]!, w1i = sg * twIm[4 * j]!;
    const w2r = twRe[4 * j + 1]!, w2i = sg * twIm[4 * j + 1]!;
    const w3r = twRe[4 * j + 2]!, w3i = sg * twIm[4 * j + 2]!;
    const w4r = twRe[4 * j + 3]!, w4i = sg * twIm[4 * j + 3]!;
    for (let q = 0; q < s; q++) {
      const i0 = xo + (q + s * j) * xs;
      const di = s * m * xs;
      const o0 = yo + (q + s * 5 * j) * ys;
      const dout = s * ys;
      for (let b = 0; b < batch; b++) {
        const a0 = i0 + b, a1 = a0 + di, a2 = a1 + di, a3 = a2 + di, a4 = a3 + di;
        const x0r = xr[a0]!, x0i = xi[a0]!;
        const p1r = xr[a1]! + xr[a4]!, p1i = xi[a1]! + xi[a4]!;
        const m1r = xr[a1]! - xr[a4]!, m1i = xi[a1]! - xi[a4]!;
        const p2r = xr[a2]! + xr[a3]!, p2i = xi[a2]! + xi[a3]!;
        const m2r = xr[a2]! - xr[a3]!, m2i = xi[a2]! - xi[a3]!;
        const r1r = x0r + COS_72 * p1r + COS_144 * p2r, r1i = x0i + COS_72 * p1i + COS_144 * p2i;
        const r2r = x0r + COS_144 * p1r + COS_72 * p2r, r2i = x0i + COS_144 * p1i + COS_72 * p2i;
        // −i·sg·(sin72·m1 + sin144·m2) and −i·sg·(sin144·m1 − sin72·m2)
        const u1r = s1 * m1i + s2 * m2i, u1i = -(s1 * m1r + s2 * m2r);
        const u2r = s2 * m1i - s1 * m2i, u2i = -(s2 * m1r - s1 * m2r);
        const c1r = r1r + u1r, c1i = r1i + u1i;
        const c4r = r1r - u1r, c4i = r1i - u1i;
        const c2r = r2r + u2r, c2i = r2i + u2i;
        const c3r = r2r - u2r, c3i = r2i - u2i;
        const b0 = o0 + b, b1 = b0 + dout, b2 = b1 + dout, b3 = b2 + dout, b4 = b3 + dout;
        yr[b0] = x0r + p1r + p2r; yi[b0] = x0i + p1i + p2i;
        yr[b1] = c1r * w1r - c1i * w1i; yi[b1] = c1r * w1i + c1i * w1r;
        yr[b2] = c2r * w2r - c2i * w2i; yi[b2] = c2r * w2i + c2i * w2r;
        yr[b3] = c3r * w3r - c3i * w3i; yi[b3] = c3r * w3i + c3i * w3r;
        yr[b4] = c4r * w4r - c4i * w4i; yi[b4] = c4r * w4i + c4i * w4r;
      }
    }
  }
}
