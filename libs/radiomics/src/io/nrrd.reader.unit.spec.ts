import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { readNifti } from './nifti.reader.js';
import { writeNifti } from './nifti.writer.js';
import { readNrrd } from './nrrd.reader.js';
import { sniffFormat } from './sniff-format.js';

const testdata = new URL('../../testdata/pyradiomics/', import.meta.url);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

const failure = (fn: () => unknown): RadiomicsInputError => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return error;
  }
  assert.fail('expected an error');
};

// 3×2×2 int16 voxels 0..11 (x fastest), little-endian.
const voxels = Int16Array.from({ length: 12 }, (_, i) => i * 10 - 50);
const raw = new Uint8Array(voxels.buffer);
const header = (extra: string) =>
  `NRRD0004\n# test\ntype: short\ndimension: 3\nsizes: 3 2 2\nspace: right-anterior-superior\nspace directions: (0.5,0,0) (0,0.75,0) (0,0,2)\nspace origin: (0,0,0)\nkinds: domain domain domain\nendian: little\n${extra}`;

test('an attached raw NRRD in RAS gives the same image model as the same NIfTI', () => {
  const nrrd = readNrrd(concat(enc(header('encoding: raw\n\n')), raw), 'x.nrrd');
  const nifti = readNifti(writeNifti({ dims: [3, 2, 2], spacing: [0.5, 0.75, 2], data: Float64Array.from(voxels) }, { datatype: 'int16' }));
  assert.deepEqual(nrrd.volume, nifti.volume);
  assert.deepEqual(nrrd.geometry.affine, nifti.geometry.affine);
  assert.equal(nrrd.geometry.orientation, nifti.geometry.orientation);
  assert.equal(nrrd.format, 'nrrd');
  assert.equal(nrrd.datatype, 'int16');
});

test('a .nhdr with detached raw or gzip data reads the data file through the resolver', () => {
  const files: Record<string, Uint8Array> = { 'v.raw': raw, 'v.raw.gz': gzipSync(raw) };
  const plain = readNrrd(enc(header('encoding: raw\ndata file: v.raw\n')), 'v.nhdr', (name) => files[name]);
  const gz = readNrrd(enc(header('encoding: gzip\ndata file: v.raw.gz\n')), 'v.nhdr', (name) => files[name]);
  assert.deepEqual([...plain.volume.data], [...voxels]);
  assert.deepEqual([...gz.volume.data], [...voxels]);
  const missing = failure(() => readNrrd(enc(header('encoding: raw\ndata file: gone.raw\n')), 'v.nhdr', () => undefined));
  assert.equal(missing.code, 'IMAGE_UNREADABLE');
  assert.match(missing.message, /gone\.raw/);
});

test('big-endian and ascii encodings', () => {
  const be = new Uint8Array(24);
  const view = new DataView(be.buffer);
  voxels.forEach((v, i) => view.setInt16(2 * i, v, false));
  const big = readNrrd(concat(enc(header('encoding: raw\n\n').replace('endian: little', 'endian: big')), be));
  assert.deepEqual([...big.volume.data], [...voxels]);
  const text = readNrrd(enc(`${header('encoding: ascii\n\n')}${[...voxels].join(' ')}\n`));
  assert.deepEqual([...text.volume.data], [...voxels]);
});

test("PyRadiomics' brain1 (gzip, LPS) reads with its header geometry in RAS", () => {
  const bytes = new Uint8Array(readFileSync(new URL('brain1_image.nrrd', testdata)));
  assert.equal(sniffFormat(bytes), 'nrrd');
  const image = readNrrd(bytes, 'brain1_image.nrrd');
  assert.deepEqual([...image.volume.dims], [256, 256, 25]);
  assert.ok(Math.abs(image.volume.spacing[0] - 0.78125) < 1e-12 && Math.abs(image.volume.spacing[2] - 6.5) < 1e-12);
  // space directions (0.78125,0,0) (0,-0.78125,0) (0,0,6.5) in LPS → RAS: x and y negated.
  assert.ok(Math.abs(image.geometry.affine[0]![0]! + 0.78125) < 1e-12);
  assert.ok(Math.abs(image.geometry.affine[1]![1]! - 0.78125) < 1e-12);
  assert.ok(Math.abs(image.geometry.affine[0]![3]! - 99.609375) < 1e-9);
  assert.ok(Math.abs(image.geometry.affine[1]![3]! + 99.609375) < 1e-9);
  assert.equal(image.geometry.orientation, 'LAS');
  // PyRadiomics' diagnostics for brain1: image minimum 0, maximum 3057, mean 385.6564080810547.
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of image.volume.data) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
  assert.equal(min, 0);
  assert.equal(max, 3057);
  assert.ok(Math.abs(sum / image.volume.data.length - 385.6564080810547) < 1e-9);
});

test('truncated NRRD data, truncated gzip, a missing field and an unsupported type are IMAGE_UNREADABLE', () => {
  const short = failure(() => readNrrd(concat(enc(header('encoding: raw\n\n')), raw.subarray(0, 20)), 'short.nrrd'));
  assert.equal(short.code, 'IMAGE_UNREADABLE');
  assert.match(short.message, /short\.nrrd.*truncated \(20 bytes/);
  const gz = gzipSync(raw);
  const cut = failure(() => readNrrd(concat(enc(header('encoding: gzip\n\n')), gz.subarray(0, gz.length - 8)), 'cut.nrrd'));
  assert.match(cut.message, /gzip stream is truncated/);
  const bytes = new Uint8Array(readFileSync(new URL('brain1_label.nrrd', testdata)));
  assert.match(failure(() => readNrrd(bytes.subarray(0, bytes.length - 100), 'brain1_label.nrrd')).message, /truncated/);
  assert.match(failure(() => readNrrd(enc('NRRD0004\ntype: short\nsizes: 2 2\n\n'))).message, /"dimension" is missing/);
  assert.match(failure(() => readNrrd(enc(header('encoding: raw\n\n').replace('type: short', 'type: int64')))).message, /type "int64"/);
  assert.match(failure(() => readNrrd(enc('NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n'))).message, /no blank line/);
});
