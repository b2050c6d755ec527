import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readNifti, writeNifti } from '@radledger/radiomics';
import { writeCtSlice } from '../../../../libs/radiomics/src/io/dicom.fixture.js';

const PHANTOM = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'ibsi-phantom', 'ibsi_1_digital_phantom', 'nifti');
const IMAGE = join(PHANTOM, 'image', 'phantom.nii.gz');
const MASK = join(PHANTOM, 'mask', 'mask.nii.gz');
const SETTINGS = join(process.cwd(), 'settings', 'ibsi-digital-phantom.json');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', 'features', ...args],
      { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'radledger-features-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('features prints { settings, features, names } for the IBSI phantom', async () => {
  const run = await cli('--image', IMAGE, '--mask', MASK, '--settings', SETTINGS);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { settings: unknown; features: Record<string, number>; names: Record<string, string> };
  assert.deepEqual(Object.keys(out), ['settings', 'features', 'names']);
  assert.deepEqual(out.settings, JSON.parse(readFileSync(SETTINGS, 'utf8')));
  assert.ok(Math.abs(out.features.RNU0! - 556) <= 4); // IBSI RNU0 556 ± 4
  assert.equal(Number(out.features.Q4LE!.toPrecision(3)), 2.15); // IBSI Q4LE 2.15
  assert.ok('GYBY@IAZD' in out.features, 'the 3D-merged GLCM joint maximum is keyed GYBY@IAZD');
  assert.equal(out.names.RNU0, 'Volume (mesh)');
  assert.deepEqual(Object.keys(out.names).sort(), Object.keys(out.features).sort());
  assert.equal(run.stderr, '', 'no progress bar when stderr is not a TTY');
});

test('--format csv prints one row per feature with its PyRadiomics name', async () => {
  const run = await cli('--image', IMAGE, '--mask', MASK, '--settings', SETTINGS, '--format', 'csv', '--label', '1');
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines[0], 'key,value,name,pyradiomics_name');
  assert.ok(lines.some((l) => l.startsWith('RNU0,') && l.endsWith(',Volume (mesh),original_shape_MeshVolume')));
  assert.equal(lines.length, 1 + 482 - 3 + 3); // 482 reference rows, every one a feature
});

test('bad inputs give a one-line error naming the problem and a nonzero exit', async () => {
  const empty = join(dir, 'empty.nii');
  writeFileSync(empty, new Uint8Array(0));
  const gz = readFileSync(IMAGE);
  const truncated = join(dir, 'truncated.nii.gz');
  writeFileSync(truncated, gz.subarray(0, gz.length - 40));
  const image = readNifti(new Uint8Array(gz)).volume;
  const otherGrid = join(dir, 'other-grid.nii');
  writeFileSync(otherGrid, writeNifti({ dims: [4, 5, 4], spacing: [2, 2, 2], data: new Float64Array(80).fill(1) }, { datatype: 'uint8' }));
  const nanImage = join(dir, 'nan.nii');
  const withNan = Float64Array.from(image.data);
  withNan[withNan.findIndex((v) => v === 1)] = NaN;
  writeFileSync(nanImage, writeNifti({ ...image, data: withNan }, { datatype: 'float32' }));
  const sameGridMask = join(dir, 'mask.nii');
  writeFileSync(sameGridMask, writeNifti(readNifti(new Uint8Array(readFileSync(MASK))).volume, { datatype: 'uint8' }));
  const badSettings = join(dir, 'bad-settings.json');
  writeFileSync(badSettings, JSON.stringify({ schemaVersion: 1 }));
  const series = join(dir, 'series');
  mkdirSync(series);
  for (const z of [0, 2, 6]) {
    writeFileSync(join(series, `z${z}.dcm`), writeCtSlice(2, 2, { z, pixels: Int16Array.of(1, 2, 3, 4) }));
  }
  const cases: Array<[string[], RegExp]> = [
    [['--image', empty, '--mask', MASK], /IMAGE_UNREADABLE.*0 bytes/],
    [['--image', truncated, '--mask', MASK], /IMAGE_UNREADABLE.*(gzip|truncated)/],
    [['--image', IMAGE, '--mask', otherGrid], /MASK_GRID_MISMATCH/],
    [['--image', IMAGE, '--mask', MASK, '--label', '7'], /MASK_EMPTY.*label 7/],
    [['--image', nanImage, '--mask', sameGridMask, '--settings', SETTINGS], /IMAGE_HAS_NAN/],
    [['--image', IMAGE, '--mask', MASK, '--settings', badSettings], /SETTINGS_INVALID/],
    [['--image', series, '--mask', MASK], /DICOM_SERIES_INCOMPLETE.*missing/],
    [['--image', join(dir, 'nope.nii'), '--mask', MASK], /FILE_NOT_FOUND/],
  ];
  const runs = await Promise.all(cases.map(([args]) => cli(...args)));
  runs.forEach((run, k) => {
    const [args, pattern] = cases[k]!;
    assert.notEqual(run.code, 0, args.join(' '));
    assert.match(run.stderr, pattern, args.join(' '));
    assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`);
    assert.equal(run.stdout, '');
  });
});

const PYRADIOMICS = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'pyradiomics');

test('--compat pyradiomics on PyRadiomics NRRD test data keys features by PyRadiomics names', async () => {
  const settings = join(process.cwd(), 'settings', 'pyradiomics-baseline.json');
  const run = await cli('--image', join(PYRADIOMICS, 'brain2_image.nrrd'), '--mask', join(PYRADIOMICS, 'brain2_label.nrrd'), '--label', '1', '--settings', settings, '--compat', 'pyradiomics');
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { features: Record<string, number>; ibsiKeys: Record<string, string> };
  // data/baseline/baseline_glcm.csv, brain2: original_glcm_Contrast 29.29383905070301.
  assert.ok(Math.abs(out.features.original_glcm_Contrast! / 29.29383905070301 - 1) < 1e-6);
  assert.equal(out.ibsiKeys.original_glcm_Contrast, 'ACUI@ITBB');
  const csv = await cli('--image', join(PYRADIOMICS, 'brain2_image.nrrd'), '--mask', join(PYRADIOMICS, 'brain2_label.nrrd'), '--label', '1', '--compat', 'pyradiomics', '--format', 'csv');
  assert.equal(csv.code, 0, csv.stderr);
  assert.equal(csv.stdout.split('\n')[0], 'key,value,name,ibsi_key');
  assert.ok(csv.stdout.includes('\noriginal_firstorder_Kurtosis,'));
});

test('the IBSI CSV gives a PyRadiomics name to the 3D-averaged row only, never to two rows', async () => {
  const run = await cli('--image', IMAGE, '--mask', MASK, '--settings', SETTINGS, '--format', 'csv');
  assert.equal(run.code, 0, run.stderr);
  const rows = run.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
  const named = rows.map((r) => r.at(-1)!).filter((n) => n !== '');
  assert.equal(new Set(named).size, named.length);
  assert.equal(rows.find((r) => r[0] === 'ACUI@ITBB')!.at(-1), 'original_glcm_Contrast');
  assert.equal(rows.find((r) => r[0] === 'ACUI@IAZD')!.at(-1), '');
  assert.equal(rows.find((r) => r[0] === 'SODN@KOBO')!.at(-1), 'original_gldm_SmallDependenceEmphasis');
});
