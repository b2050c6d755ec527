/**
 * The mixed-radix FFT against the DFT's definition X_k = Σ_t x_t e^{∓2πi tk/n}, summed
 * directly (twiddles reduced to [0, n) first, so the reference itself is accurate).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FftPlan, fftLength } from './fast-fourier-transform.js';

function dft(re: number[], im: number[], direction: 1 | -1): { re: number[]; im: number[] } {
  const n = re.length;
  const outRe: number[] = [], outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (direction * 2 * Math.PI * ((t * k) % n)) / n;
      const c = Math.cos(angle), s = Math.sin(angle);
      sr += re[t]! * c - im[t]! * s;
      si += re[t]! * s + im[t]! * c;
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return { re: outRe, im: outIm };
}

test('fftLength: the smallest 2^a·3^b·5^c at or above n', () => {
  assert.deepEqual([1, 7, 11, 13, 17, 101, 109, 139, 241].map((n) => fftLength(n)), [1, 8, 12, 15, 18, 108, 120, 144, 243]);
  assert.deepEqual([101, 109, 139].map((n) => fftLength(n, [2, 3])), [108, 128, 144]);
  assert.throws(() => new FftPlan(7), RangeError);
});

test('batched, strided transforms equal the DFT of each sequence, forward and inverse, leaving other values alone', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 18, 20, 24, 25, 27, 30, 32, 36, 40, 45, 48, 50, 60, 64, 72, 75, 81, 90, 96, 100, 120, 125, 128),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(1 as const, -1 as const),
      fc.integer(),
      (n, batch, extra, direction, seed) => {
        const rowStride = batch + extra;
        let state = seed >>> 0;
        const random = (): number => {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          return state / 2 ** 31 - 1;
        };
        const offset = 2;
        const size = offset + n * rowStride + 1;
        const re = Float64Array.from({ length: size }, random);
        const im = Float64Array.from({ length: size }, random);
        const before = { re: Float64Array.from(re), im: Float64Array.from(im) };
        new FftPlan(n).transform(re, im, offset, rowStride, batch, direction, new Float64Array(n * batch), new Float64Array(n * batch));
        const touched = new Set<number>();
        for (let b = 0; b < batch; b++) {
          const at = (t: number) => offset + t * rowStride + b;
          const want = dft(
            Array.from({ length: n }, (_, t) => before.re[at(t)]!),
            Array.from({ length: n }, (_, t) => before.im[at(t)]!),
            direction,
          );
          for (let k = 0; k < n; k++) {
            touched.add(at(k));
            assert.ok(Math.abs(re[at(k)]! - want.re[k]!) <= 1e-12 * n && Math.abs(im[at(k)]! - want.im[k]!) <= 1e-12 * n, `n ${n}, k ${k}`);
          }
        }
        for (let i = 0; i < size; i++) if (!touched.has(i)) assert.ok(re[i] === before.re[i] && im[i] === before.im[i], `value ${i} changed`);
      },
    ),
    { numRuns: 200 },
  );
});

test('inverse after forward gives n times the input (error of order ε·log n times the largest value)', () => {
  for (const n of [144, 120, 108, 250, 243]) {
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const plan = new FftPlan(n);
    const scratch = [new Float64Array(n), new Float64Array(n)] as const;
    plan.transform(re, im, 0, 1, 1, -1, ...scratch);
    plan.transform(re, im, 0, 1, 1, 1, ...scratch);
    const bound = 4 * Number.EPSILON * Math.log2(n) * 1e3;
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(re[i]! / n - Math.sin(i) * 1e3) <= bound && Math.abs(im[i]! / n - Math.cos(3 * i)) <= bound, `n ${n}, i ${i}`);
    }
  }
});
