/**
 * Moran's I (IBSI 3.1.28, N365) and Geary's C (IBSI 3.1.29, NPT7): the FFT method against
 * the IBSI formula evaluated pair by pair (testing/spatial-autocorrelation.brute-force.ts)
 * and against the IBSI digital phantom's reference values.
 *
 * Tolerance 1e-12, relative. Geary's C is a sum of positive terms: relative to C. Moran's
 * numerator sums terms of both signs; where they nearly cancel (I ≈ 0) no floating-point
 * evaluation, the pair-by-pair one included, is relatively accurate, so I is compared
 * relative to the larger of |I| and the same sum with every term taken positive.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { maskFromLabels, readNifti } from '../io/nifti.reader.js';
import type { Volume } from '../volume.js';
import { computeMorphology } from './morphology.features.js';
import { spatialAutocorrelationExact, spatialAutocorrelationSampled } from './spatial-autocorrelation.js';
import { spatialAutocorrelationBruteForce } from './testing/spatial-autocorrelation.brute-force.js';

const TOLERANCE = 1e-12;

function assertAgrees(image: Volume, mask: Uint8Array, label: string): void {
  const exact = spatialAutocorrelationExact(image, mask);
  const reference = spatialAutocorrelationBruteForce(image, mask);
  if (!Number.isFinite(reference.moranI)) {
    assert.ok(Number.isNaN(exact.moranI) && Number.isNaN(exact.gearyC), `${label}: undefined (NaN) where the reference is`);
    return;
  }
  const moranError = Math.abs(exact.moranI - reference.moranI) / Math.max(Math.abs(reference.moranI), reference.moranScale);
  const gearyError = Math.abs(exact.gearyC - reference.gearyC) / Math.abs(reference.gearyC);
  assert.ok(moranError <= TOLERANCE, `${label}: Moran's I ${exact.moranI} vs ${reference.moranI} (error ${moranError})`);
  assert.ok(gearyError <= TOLERANCE, `${label}: Geary's C ${exact.gearyC} vs ${reference.gearyC} (error ${gearyError})`);
}

const maskedImage = fc
  .record({
    dims: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 })),
    spacing: fc.tuple(
      fc.double({ min: 0.2, max: 4, noNaN: true }),
      fc.double({ min: 0.2, max: 4, noNaN: true }),
      fc.double({ min: 0.2, max: 6, noNaN: true }),
    ),
    offset: fc.constantFrom(0, 1000, -1e6, 1e9),
    density: fc.double({ min: 0.05, max: 1, noNaN: true }),
    smooth: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ dims, spacing, offset, density, smooth, seed }) => {
    const n = dims[0] * dims[1] * dims[2];
    let state = seed >>> 0;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const data = new Float64Array(n);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      // Smooth fields give I far from 0; integer noise gives ties and I near 0.
      data[i] = offset + (smooth ? 100 * Math.sin(i / 5) + random() : Math.round(5 * random()));
      mask[i] = random() < density ? 1 : 0;
    }
    const image: Volume = { dims, spacing, data };
    return { image, mask };
  });

test('exact Moran\'s I and Geary\'s C equal the pair-by-pair IBSI sums on random masks (anisotropic voxels, offsets up to 1e9)', () => {
  fc.assert(
    fc.property(maskedImage, ({ image, mask }) => assertAgrees(image, mask, `${image.dims.join('×')} @ ${image.spacing.join('×')} mm`)),
    { numRuns: 300 },
  );
});

test('exact method on shapes the random masks rarely give: one voxel, two voxels, one slice, one line, constant intensities', () => {
  const image = (dims: [number, number, number], values: number[]): Volume => ({ dims, spacing: [1, 1, 2.5], data: Float64Array.from(values) });
  // One voxel, or a constant ROI: Σ (X_i − µ)² = 0, undefined.
  assert.ok(Number.isNaN(spatialAutocorrelationExact(image([1, 1, 1], [5]), Uint8Array.of(1)).moranI));
  assert.ok(Number.isNaN(spatialAutocorrelationExact(image([3, 1, 1], [0.1, 0.1, 0.1]), Uint8Array.of(1, 1, 1)).gearyC));
  // Two voxels: I = −1 and C = 1 for any distance and values.
  const two = spatialAutocorrelationExact(image([4, 1, 1], [3, 0, 0, 10]), Uint8Array.of(1, 0, 0, 1));
  assert.ok(Math.abs(two.moranI + 1) < 1e-12 && Math.abs(two.gearyC - 1) < 1e-12, JSON.stringify(two));
  assertAgrees(image([7, 1, 1], [1, 4, 2, 8, 5, 7, 3]), Uint8Array.of(1, 1, 1, 1, 1, 1, 1), 'a line along x');
  assertAgrees(image([1, 1, 6], [1, 4, 2, 8, 5, 7]), Uint8Array.of(1, 1, 0, 1, 1, 1), 'a line along z');
  assertAgrees(image([4, 3, 1], [1, 4, 2, 8, 5, 7, 3, 3, 9, 0, 2, 6]), Uint8Array.of(1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1), 'one slice');
});

test('a larger ROI (a 3,400-voxel ellipsoid in a 24 × 22 × 16 grid) agrees too', () => {
  const dims: [number, number, number] = [24, 22, 16];
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  const mask = new Uint8Array(data.length);
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        const r = ((x - 12) / 11) ** 2 + ((y - 11) / 10) ** 2 + ((z - 8) / 7.5) ** 2;
        mask[i] = r <= 1 ? 1 : 0;
        data[i] = 300 + 80 * Math.exp(-r) + ((x * 7 + y * 13 + z * 5) % 17);
      }
  assert.ok(mask.reduce((s, v) => s + v, 0) > 3300);
  assertAgrees({ dims, spacing: [0.9, 0.9, 1.5], data }, mask, 'blob');
});

test('IBSI digital phantom: N365 and NPT7 equal the pair-by-pair sums to 1e-12 and the IBSI reference within its tolerance', () => {
  const dir = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'ibsi-phantom', 'ibsi_1_digital_phantom', 'nifti');
  const image = readNifti(readFileSync(join(dir, 'image', 'phantom.nii.gz'))).volume;
  const mask = maskFromLabels(readNifti(readFileSync(join(dir, 'mask', 'mask.nii.gz'))), 1).data;
  const exact = spatialAutocorrelationExact(image, mask);
  const reference = spatialAutocorrelationBruteForce(image, mask);
  assert.ok(Math.abs(exact.moranI / reference.moranI - 1) <= TOLERANCE, `${exact.moranI} vs ${reference.moranI}`);
  assert.ok(Math.abs(exact.gearyC / reference.gearyC - 1) <= TOLERANCE, `${exact.gearyC} vs ${reference.gearyC}`);
  // libs/radiomics/testdata/ibsi-phantom/digital_phantom_reference.csv: N365 0.0397 ± 0.0003, NPT7 0.974 ± 0.006.
  assert.ok(Math.abs(exact.moranI - 0.0397) <= 0.0003, String(exact.moranI));
  assert.ok(Math.abs(exact.gearyC - 0.974) <= 0.006, String(exact.gearyC));
});

test('the setting picks the method: null is exact, a number keeps the sampled method recorded feature sets were computed with', () => {
  const dims: [number, number, number] = [12, 12, 8];
  const data = Float64Array.from({ length: 12 * 12 * 8 }, (_, i) => 50 * Math.sin(i / 7) + (i % 11));
  const mask = new Uint8Array(data.length).fill(1);
  const image: Volume = { dims, spacing: [1, 1, 2], data };
  const morphology = (max: number | null) =>
    computeMorphology({ image, morphologicalMask: { dims, spacing: image.spacing, data: mask }, intensityMask: mask, spatialAutocorrelationMaxVoxels: max });
  const exact = morphology(null);
  const sampled = morphology(300);
  const reference = spatialAutocorrelationBruteForce(image, mask);
  assert.ok(Math.abs(exact.N365! / reference.moranI - 1) <= TOLERANCE);
  // 1,152 voxels above a maximum of 300: an evenly strided subset, a different number.
  const subset = spatialAutocorrelationSampled(image, mask, 300);
  assert.equal(sampled.N365, subset.moranI);
  assert.equal(sampled.NPT7, subset.gearyC);
  assert.ok(Math.abs(sampled.N365! - exact.N365!) > 1e-6);
  // At or above the ROI size the sampled method is the whole pair sum too.
  const whole = spatialAutocorrelationSampled(image, mask, 8000);
  assert.ok(Math.abs(whole.moranI / reference.moranI - 1) <= 1e-9);
});
