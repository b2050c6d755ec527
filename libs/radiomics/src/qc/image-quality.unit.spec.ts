import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '@radledger/platform';
import type { Mask, Volume } from '../volume.js';
import { assessImageQuality } from './image-quality.js';
import { CONTRAST_FIELDS, DEFAULT_REQUIRED_FIELDS, metadataCompleteness } from './acquisition-metadata.js';
import { headMask, otsuThreshold } from './head-mask.js';

/**
 * A phantom with known noise: an ellipsoid "head" of signal 500 (a 900 "lesion" and a 200 dark
 * "ventricle" inside) on a 64 × 64 × 24 grid, Rician magnitude noise with σ = 20 everywhere.
 */
const DIMS = [64, 64, 24] as const;
const SIGMA = 20;
function phantom(options: { ghost?: number; ghostAxis?: 0 | 1; seed?: number } = {}): { volume: Volume; lesion: Mask; tissue: Mask } {
  const [nx, ny, nz] = DIMS;
  const rng = SeededRandom.forLabel(options.seed ?? 1, 'qc-phantom');
  const truth = new Float64Array(nx * ny * nz);
  const lesion = new Uint8Array(truth.length);
  const tissue = new Uint8Array(truth.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const r = ((x - 31.5) / 20) ** 2 + ((y - 31.5) / 14) ** 2 + ((z - 11.5) / 9) ** 2;
        if (r > 1) continue;
        const l = ((x - 38) / 5) ** 2 + ((y - 30) / 4) ** 2 + ((z - 11.5) / 3) ** 2;
        const v = ((x - 24) / 3) ** 2 + ((y - 32) / 3) ** 2 + ((z - 11.5) / 3) ** 2;
        truth[i] = l <= 1 ? 900 : v <= 1 ? 200 : 500;
        if (l <= 1) lesion[i] = 1;
        else if (v > 1.5 && r < 0.8) tissue[i] = 1;
      }
  const signal = truth.slice();
  if (options.ghost) {
    // An N/2 (Nyquist) ghost: a copy of the object shifted by half the field of view along the phase-encoding axis.
    const axis = options.ghostAxis ?? 1;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const c = [x, y];
          c[axis] = (c[axis]! + DIMS[axis] / 2) % DIMS[axis];
          signal[c[0]! + nx * (c[1]! + ny * z)]! += options.ghost * truth[x + nx * (y + ny * z)]!;
        }
  }
  const data = new Float64Array(signal.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.hypot(signal[i]! + SIGMA * rng.normal(), SIGMA * rng.normal());
  const spacing = [1, 1, 1] as const;
  return { volume: { dims: DIMS, spacing, data }, lesion: { dims: DIMS, spacing, data: lesion }, tissue: { dims: DIMS, spacing, data: tissue } };
}

const complete = { fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 1, scanner: { vendor: 'Siemens', model: 'Prisma' } };

test('the head mask keeps dark structures inside the head (flood fill from the border)', () => {
  const { volume } = phantom();
  const t = otsuThreshold(volume.data);
  assert.ok(t > 100 && t < 450, `Otsu threshold ${t} should fall between background and tissue`);
  const mask = headMask(volume);
  const ventricleCentre = 24 + 64 * (32 + 64 * 11);
  assert.ok(volume.data[ventricleCentre]! < 450 && mask[ventricleCentre] === 1);
  assert.equal(mask[0], 0);
});

test('known noise: σ, SNR and CNR are recovered within 5%; a clean image passes', () => {
  const { volume, lesion, tissue } = phantom();
  const report = assessImageQuality(volume, { metadata: complete });
  assert.ok(Math.abs(report.metrics.noiseSigma / SIGMA - 1) < 0.05, `σ ${report.metrics.noiseSigma} vs ${SIGMA}`);
  const lesionVsTissue = assessImageQuality(volume, { roi: lesion, reference: tissue, metadata: complete });
  assert.ok(Math.abs(lesionVsTissue.metrics.snr / (900 / SIGMA) - 1) < 0.05, `SNR ${lesionVsTissue.metrics.snr} vs ${900 / SIGMA}`);
  assert.ok(Math.abs(lesionVsTissue.metrics.cnr / ((900 - 500) / SIGMA) - 1) < 0.05, `CNR ${lesionVsTissue.metrics.cnr} vs ${(900 - 500) / SIGMA}`);
  assert.equal(lesionVsTissue.metrics.contrastReference, 'reference-roi');
  assert.ok(Math.abs(report.metrics.worstGhost!.ratio) < 0.015, `clean ghost ratio ${report.metrics.worstGhost!.ratio}`);
  assert.equal(report.verdict, 'pass', JSON.stringify(report.failures));
});

test('an injected 6% N/2 ghost along y is measured (≈ 0.06 along y) and fails; along x it is found along x', () => {
  const ghosted = assessImageQuality(phantom({ ghost: 0.06 }).volume, { metadata: complete });
  assert.equal(ghosted.metrics.worstGhost!.axis, 'y');
  assert.ok(Math.abs(ghosted.metrics.ghostToSignalRatio.y! - 0.06) < 0.015, `gsr_y ${ghosted.metrics.ghostToSignalRatio.y}`);
  assert.equal(ghosted.verdict, 'fail');
  assert.deepEqual(ghosted.failures.map((f) => f.code), ['QC_GHOSTING']);
  const alongX = assessImageQuality(phantom({ ghost: 0.06, ghostAxis: 0 }).volume, { metadata: complete });
  assert.equal(alongX.metrics.worstGhost!.axis, 'x');
  // The threshold is a parameter.
  assert.equal(assessImageQuality(phantom({ ghost: 0.06 }).volume, { metadata: complete, thresholds: { maxGhostToSignalRatio: 0.1 } }).verdict, 'pass');
});

test('low SNR and low CNR fail with their codes, thresholds as parameters', () => {
  const { volume, lesion, tissue } = phantom();
  const strict = assessImageQuality(volume, { roi: lesion, reference: tissue, metadata: complete, thresholds: { minSnr: 100, minCnr: 50 } });
  assert.deepEqual(strict.failures.map((f) => f.code), ['QC_SNR_LOW', 'QC_CNR_LOW']);
  assert.equal(strict.failures[0]!.threshold, 100);
});

test('metadata completeness: missing fields are named; contrast timing is required only when the protocol asks for it', () => {
  const { volume } = phantom();
  const report = assessImageQuality(volume, { metadata: { ...complete, teMs: null, scanner: { vendor: 'GE', model: '' } } });
  assert.deepEqual(report.metadata.missing, ['teMs', 'scanner.model']);
  assert.deepEqual(report.failures.map((f) => f.code), ['QC_METADATA_INCOMPLETE']);
  assert.equal(report.metadata.completeness, 4 / 6);
  const withContrast = metadataCompleteness({ ...complete, contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: null } }, [...DEFAULT_REQUIRED_FIELDS, ...CONTRAST_FIELDS]);
  assert.deepEqual(withContrast.missing, ['contrast.delayS']);
  assert.throws(() => assessImageQuality(volume, { roi: { dims: [2, 2, 2], spacing: [1, 1, 1], data: new Uint8Array(8) } }), { code: 'MASK_GRID_MISMATCH', message: /roi/ });
});
