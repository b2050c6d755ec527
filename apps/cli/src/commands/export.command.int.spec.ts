import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadDicomDecoders, parseDicom, readDicomSeg, readDicomSeries, segmentMask, writeNifti } from '@radledger/radiomics';
import { writeCtSlice } from '../../../../libs/radiomics/src/io/dicom.fixture.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args],
      { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const rows = 10;
const cols = 12;
const slices = [0, 2, 4, 6];
let dir: string;
let series: string;
let labelsPath: string;
const labels = new Float64Array(rows * cols * slices.length);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'radledger-export-'));
  series = join(dir, 'series');
  mkdirSync(series);
  for (const z of slices) {
    const pixels = Int16Array.from({ length: rows * cols }, (_, i) => 1000 + ((i * 13 + z * 7) % 40));
    writeFileSync(join(series, `ct-${z}.dcm`), writeCtSlice(rows, cols, { z, pixels }));
  }
  for (let i = 0; i < labels.length; i++) {
    const x = i % cols, y = Math.floor(i / cols) % rows, z = Math.floor(i / (rows * cols));
    if (x >= 3 && x <= 8 && y >= 2 && y <= 7 && z >= 1 && z <= 2) labels[i] = x <= 5 ? 1 : 2;
  }
  labelsPath = join(dir, 'labels.nii');
  writeFileSync(labelsPath, writeNifti({ dims: [cols, rows, slices.length], spacing: [0.75, 0.5, 2], data: labels }, { datatype: 'uint8' }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('export dicom-seg → features in a SEG segment → export dicom-sr referencing it', async () => {
  const seg = join(dir, 'seg.dcm');
  const segRun = await cli('export', '--format', 'dicom-seg', '--image', series, '--mask', labelsPath, '--out', seg);
  assert.equal(segRun.code, 0, segRun.stderr);
  assert.match(JSON.parse(segRun.stdout).sha256, /^[0-9a-f]{64}$/);
  const image = readDicomSeries(slices.map((z) => ({ name: `ct-${z}.dcm`, bytes: new Uint8Array(readFileSync(join(series, `ct-${z}.dcm`))) })));
  const read = readDicomSeg(new Uint8Array(readFileSync(seg)), { image });
  assert.deepEqual(read.segments.map((s) => s.label), ['label 1', 'label 2']);
  assert.deepEqual([...segmentMask(read, 2).data], [...labels].map((v) => (v === 2 ? 1 : 0)));

  const features = await cli('features', '--image', series, '--mask', seg, '--label', '2');
  assert.equal(features.code, 0, features.stderr);
  const featuresPath = join(dir, 'features-2.json');
  writeFileSync(featuresPath, features.stdout);
  assert.equal(JSON.parse(features.stdout).features.YEKZ, 36 * 0.75 * 0.5 * 2); // label 2: 3 × 6 × 2 voxels of 0.75 × 0.5 × 2 mm

  const sr = join(dir, 'sr.dcm');
  const srRun = await cli('export', '--format', 'dicom-sr', '--image', series, '--seg', seg, '--roi', `2=${featuresPath}`, '--out', sr);
  assert.equal(srRun.code, 0, srRun.stderr);
  const { dataset } = parseDicom({ name: 'sr.dcm', bytes: new Uint8Array(readFileSync(sr)) });
  assert.equal(dataset.SOPClassUID, '1.2.840.10008.5.1.4.1.1.88.22');
  assert.equal((dataset.ContentTemplateSequence as { TemplateIdentifier: string }[])[0]!.TemplateIdentifier, '1500');
});

test('a SEG of another series and a bad --roi are one-line typed errors', async () => {
  // The same geometry under another series UID.
  const other = join(dir, 'other-series');
  mkdirSync(other);
  for (const z of slices) {
    const pixels = new Int16Array(rows * cols);
    writeFileSync(join(other, `ct-${z}.dcm`), writeCtSlice(rows, cols, { z, pixels, seriesInstanceUid: '1.2.826.0.1.3680043.2.1125.9.7', sopInstanceUid: `1.2.826.0.1.3680043.2.1125.9.7.${z}` }));
  }
  const seg = join(dir, 'seg-other.dcm');
  assert.equal((await cli('export', '--format', 'dicom-seg', '--image', other, '--mask', labelsPath, '--out', seg)).code, 0);
  const run = await cli('features', '--image', series, '--mask', seg, '--label', '1');
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error \[SEG_REFERENCES_OTHER_SERIES\]: .*references series 1\.2\.826\.0\.1\.3680043\.2\.1125\.9\.7, the image is series 1\.2\.826\.0\.1\.3680043\.2\.1125\.9\.2\n$/);
  const bad = await cli('export', '--format', 'dicom-sr', '--image', series, '--seg', seg, '--roi', 'one', '--out', join(dir, 'x.dcm'));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /SEG_REFERENCES_OTHER_SERIES|--roi must be/);
});

test('features reads a compressed DICOM series (JPEG-LS) like the uncompressed one', async () => {
  await loadDicomDecoders();
  const fixtures = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'dicom-compressed');
  const compressed = join(dir, 'jls');
  mkdirSync(compressed);
  copyFileSync(join(fixtures, 'ct-jpeg-ls.dcm'), join(compressed, 'slice.dcm'));
  const mask = join(dir, 'jls-mask.nii');
  writeFileSync(mask, writeNifti({ dims: [32, 24, 1], spacing: [0.75, 0.5, 1], data: Float64Array.from({ length: 32 * 24 }, (_, i) => (i % 32 > 4 && i % 32 < 20 ? 1 : 0)) }, { datatype: 'uint8' }));
  const a = await cli('features', '--image', compressed, '--mask', mask, '--settings', join(process.cwd(), 'settings', 'pyradiomics-default.json'));
  const b = await cli('features', '--image', join(fixtures, 'ct-explicit-le.dcm'), '--mask', mask, '--settings', join(process.cwd(), 'settings', 'pyradiomics-default.json'));
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(JSON.parse(a.stdout).features, JSON.parse(b.stdout).features);
});
