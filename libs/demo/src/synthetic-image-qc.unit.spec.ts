import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessImageQuality, CONTRAST_FIELDS, DEFAULT_REQUIRED_FIELDS, type Mask, type Volume } from '@radledger/radiomics';
import { DEMO_GRID, TISSUE, generateSyntheticSubject, type ScannerProfile } from './synthetic/synthetic-brain.js';

/** Image QC on the demo's synthetic heads, whose noise is known: Rician σ = 16 (3 T) or 26 (1.5 T) times the vendor scale. */
const VENDOR_SCALE = { Siemens: 1, GE: 1.6, Philips: 0.7 } as const;
const metadata = { fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 2, scanner: { vendor: 'Siemens', model: 'Prisma' }, contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 90 } };
const required = [...DEFAULT_REQUIRED_FIELDS, ...CONTRAST_FIELDS];

function subject(scanner: ScannerProfile) {
  const s = generateSyntheticSubject({ seed: 20261125, subjectId: 'GRA-QC-001', scanner });
  const grid = { dims: DEMO_GRID.dims, spacing: DEMO_GRID.spacing };
  const mask = (tissue: number): Mask => ({ ...grid, data: Uint8Array.from(s.labels, (l) => (l === tissue ? 1 : 0)) });
  return { s, volume: { ...grid, data: Float64Array.from(s.t1c) } as Volume, enhancing: mask(TISSUE.enhancing), white: mask(TISSUE.white) };
}

for (const scanner of [{ fieldStrengthT: 3, vendor: 'Siemens' }, { fieldStrengthT: 1.5, vendor: 'GE' }] as const) {
  test(`the synthetic ${scanner.fieldStrengthT} T ${scanner.vendor} T1c passes QC, with the generator's σ recovered within 5%`, () => {
    const { volume, enhancing, white } = subject(scanner);
    const sigma = (scanner.fieldStrengthT === 3 ? 16 : 26) * VENDOR_SCALE[scanner.vendor];
    const report = assessImageQuality(volume, { roi: enhancing, reference: white, metadata, requiredFields: required });
    assert.ok(Math.abs(report.metrics.noiseSigma / sigma - 1) < 0.05, `σ ${report.metrics.noiseSigma} vs ${sigma}`);
    assert.equal(report.verdict, 'pass', JSON.stringify(report.failures));
  });
}

test('an injected 5% N/2 ghost along the phase-encoding axis (y) fails QC with QC_GHOSTING', () => {
  const { volume } = subject({ fieldStrengthT: 3, vendor: 'Siemens' });
  const [nx, ny, nz] = volume.dims;
  const ghosted = volume.data.slice();
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) ghosted[x + nx * (((y + ny / 2) % ny) + ny * z)]! += 0.05 * volume.data[x + nx * (y + ny * z)]!;
  const clean = assessImageQuality(volume, { metadata, requiredFields: required });
  const report = assessImageQuality({ ...volume, data: ghosted }, { metadata, requiredFields: required });
  assert.equal(report.verdict, 'fail');
  assert.deepEqual(report.failures.map((f) => f.code), ['QC_GHOSTING']);
  assert.equal(report.metrics.worstGhost!.axis, 'y');
  assert.ok(report.metrics.worstGhost!.ratio > 0.03, `ghost ratio ${report.metrics.worstGhost!.ratio}`);
  assert.ok(clean.metrics.worstGhost!.ratio < 0.01, `clean ghost ratio ${clean.metrics.worstGhost!.ratio}`);
});

test('missing contrast timing fails the metadata check when the protocol prescribes contrast', () => {
  const { volume } = subject({ fieldStrengthT: 3, vendor: 'Siemens' });
  const report = assessImageQuality(volume, { metadata: { ...metadata, contrast: null }, requiredFields: required });
  assert.deepEqual(report.metadata.missing, ['contrast.agent', 'contrast.injectionRateMlPerS', 'contrast.delayS']);
  assert.deepEqual(report.failures.map((f) => f.code), ['QC_METADATA_INCOMPLETE']);
});
