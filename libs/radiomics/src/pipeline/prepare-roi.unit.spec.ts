import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discretise } from '../preprocessing/discretise.js';
import { resampleGrid, resampleVolume } from '../preprocessing/resample.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { defaultRadiomicsSettings, type RadiomicsSettings } from '../settings/radiomics-settings.js';
import type { Mask, Volume } from '../volume.js';
import { extractFeatures } from './extract-features.js';
import { prepareRoi } from './prepare-roi.js';

const image = (values: number[], dims: [number, number, number]): Volume => ({ dims, spacing: [1, 1, 1], data: Float64Array.from(values) });
const mask = (bits: number[], dims: [number, number, number]): Mask => ({ dims, spacing: [1, 1, 1], data: Uint8Array.from(bits) });

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return error.code;
  }
  return 'no error';
};

test('bad inputs are refused with a typed code before any feature is computed', () => {
  const s = defaultRadiomicsSettings();
  const img = image([1, 2, 3, 4], [2, 2, 1]);
  assert.equal(codeOf(() => extractFeatures(img, mask([1, 1, 1, 1], [4, 1, 1]), s)), 'MASK_GRID_MISMATCH');
  assert.equal(codeOf(() => extractFeatures(img, { ...mask([1, 1, 1, 1], [2, 2, 1]), spacing: [1, 1, 2] }, s)), 'MASK_GRID_MISMATCH');
  assert.equal(codeOf(() => extractFeatures(img, mask([0, 0, 0, 0], [2, 2, 1]), s)), 'MASK_EMPTY');
  assert.equal(codeOf(() => extractFeatures(image([1, NaN, 3, 4], [2, 2, 1]), mask([1, 1, 0, 0], [2, 2, 1]), s)), 'IMAGE_HAS_NAN');
  // NaN outside the ROI is harmless.
  assert.equal(codeOf(() => prepareRoi(image([1, NaN, 3, 4], [2, 2, 1]), mask([1, 0, 1, 1], [2, 2, 1]), s)), 'no error');
  const reseg: RadiomicsSettings = { ...s, reSegmentation: { range: [100, 200], outlierFiltering: { method: 'none' } } };
  assert.equal(codeOf(() => extractFeatures(img, mask([1, 1, 1, 1], [2, 2, 1]), reseg)), 'MASK_EMPTY');
  const none: RadiomicsSettings = { ...s, discretisation: { ...s.discretisation, textureAndHistogram: { method: 'none' } } };
  assert.equal(codeOf(() => prepareRoi(image([1.5, 2, 3, 4], [2, 2, 1]), mask([1, 1, 1, 1], [2, 2, 1]), none)), 'DISCRETISATION_INVALID');
});

test('IBSI 2.7 fixed bin number and fixed bin size', () => {
  const values = Float64Array.of(-500, -480, -475.5, 0, 399.9, 400);
  const fbn = discretise(values, { method: 'fixed-bin-number', bins: 4 });
  // ⌊4 (X − X_min)/(X_max − X_min)⌋ + 1, X_max → N_g
  assert.deepEqual([...fbn.levels], [1, 1, 1, 3, 4, 4]);
  const fbs = discretise(values, { method: 'fixed-bin-size', width: 25, lowerBound: -500 });
  // ⌊(X − X_min)/w⌋ + 1 with X_min = −500 (the re-segmentation lower bound)
  assert.deepEqual([...fbs.levels], [1, 1, 1, 21, 36, 37]);
  assert.equal(fbs.nGreyLevels, 37);
});

test('IBSI 2.4 grid: the resampled grid is centred on the original grid', () => {
  const grid = resampleGrid([4, 5, 3], [1, 1, 3], [2, 2, null]);
  assert.deepEqual([...grid.dims], [2, 3, 3]);
  assert.deepEqual(grid.start, [0.5, 0, 0]);
  const vol = resampleVolume(image([0, 10, 20, 30], [4, 1, 1]), resampleGrid([4, 1, 1], [1, 1, 1], [2, null, null]), 'linear', 'none');
  assert.deepEqual([...vol.data], [5, 25]);
});

test('z-score normalisation makes ROI intensity statistics mean 0, variance 1', () => {
  const s: RadiomicsSettings = { ...defaultRadiomicsSettings(), intensityNormalisation: { method: 'z-score' }, families: ['intensity-statistics'] };
  const r = extractFeatures(image([3, 5, 7, 100], [2, 2, 1]), mask([1, 1, 1, 0], [2, 2, 1]), s);
  assert.ok(Math.abs(r.features.Q4LE!) < 1e-12);
  assert.ok(Math.abs(r.features.ECT3! - 1) < 1e-12);
});

test('tricubic B-spline interpolation passes through the voxel values and follows smooth data', () => {
  const n = 12;
  const f = (x: number, y: number, z: number) => 3 + 0.5 * x - 0.2 * y + 0.1 * z * z + Math.sin(x / 3);
  const data: number[] = [];
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data.push(f(x, y, z));
  const vol = image(data, [n, n, n]);
  const same = resampleVolume(vol, resampleGrid([n, n, n], [1, 1, 1], [1, 1, 1]), 'cubic-spline', 'none');
  same.data.forEach((v, i) => assert.ok(Math.abs(v - data[i]!) < 1e-9, `voxel ${i}: ${v} vs ${data[i]}`));
  const half = resampleGrid([n, n, n], [1, 1, 1], [0.5, 0.5, 0.5]);
  const fine = resampleVolume(vol, half, 'cubic-spline', 'none');
  const [mx, my] = half.dims;
  // Interior sample at original index (5.25, 5.25, 5.25): within 1e-2 of the smooth function.
  const j = (5.25 - half.start[0]) / half.step[0];
  const v = fine.data[j + mx * (j + my * j)]!;
  assert.ok(Math.abs(v - f(5.25, 5.25, 5.25)) < 1e-2, `${v} vs ${f(5.25, 5.25, 5.25)}`);
});
