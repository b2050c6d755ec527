import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { readNifti } from './nifti.reader.js';
import { niftiGzipBomb, patchedNifti } from './nifti-bomb.fixture.js';

const refusal = (fn: () => unknown): { code: string; message: string; field: unknown } => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return { code: error.code, message: error.message, field: (error.details as { field?: unknown }).field };
  }
  assert.fail('expected a refusal');
};

test('impossible header fields are IMAGE_HEADER_INVALID naming the field, plain and gzipped', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['dim[1]', patchedNifti([4, 4, 4], { dim: [undefined, -4] })],
    ['dim[3]', patchedNifti([4, 4, 4], { dim: [undefined, undefined, undefined, 0] })],
    ['dim[0]', patchedNifti([4, 4, 4], { dim: [0] })],
    ['dim[0]', patchedNifti([4, 4, 4], { dim: [8] })],
    ['vox_offset', patchedNifti([4, 4, 4], { voxOffset: Number.NaN })],
    ['vox_offset', patchedNifti([4, 4, 4], { voxOffset: -352 })],
    ['vox_offset', patchedNifti([4, 4, 4], { voxOffset: Number.POSITIVE_INFINITY })],
    ['pixdim[2]', patchedNifti([4, 4, 4], { pixdim: [undefined, undefined, Number.NaN] })],
    ['bitpix', patchedNifti([4, 4, 4], { bitpix: 16 })],
  ];
  for (const [field, bytes] of cases) {
    for (const input of [bytes, gzipSync(bytes)]) {
      const r = refusal(() => readNifti(input, 'scan.nii'));
      assert.equal(r.code, 'IMAGE_HEADER_INVALID', `${field}: ${r.message}`);
      assert.equal(r.field, field);
      assert.ok(r.message.startsWith('scan.nii: NIfTI header field ' + field), r.message);
    }
  }
});

test('a header declaring more voxels or bytes than the limits is IMAGE_TOO_LARGE before anything is inflated', () => {
  const bytes = patchedNifti([4, 4, 4]);
  assert.equal(readNifti(bytes, 'ok', { limits: { maxVoxels: 64, maxDecompressedBytes: 352 + 64 } }).volume.data.length, 64);
  const voxels = refusal(() => readNifti(bytes, 'scan.nii', { limits: { maxVoxels: 63, maxDecompressedBytes: 1 << 20 } }));
  assert.equal(voxels.code, 'IMAGE_TOO_LARGE');
  assert.match(voxels.message, /dim declares 4×4×4 = 64 voxels, more than the limit of 63/);
  const size = refusal(() => readNifti(gzipSync(bytes), 'scan.nii.gz', { limits: { maxVoxels: 64, maxDecompressedBytes: 352 + 63 } }));
  assert.equal(size.code, 'IMAGE_TOO_LARGE');
  assert.match(size.message, /declare 416 bytes, more than the limit of 415/);
  // 2048×1024×1024 uint8 (2 GiB) with the default limits (1 GiB, 512 Mi voxels): refused from the header.
  const bomb = niftiGzipBomb([2048, 1024, 1024], 64 * 1024 * 1024);
  assert.equal(refusal(() => readNifti(bomb, 'bomb.nii.gz')).code, 'IMAGE_TOO_LARGE');
});

test('a small header followed by 2 GiB of zeros stops inflating just past the declared size', () => {
  const before = process.memoryUsage().rss;
  const bomb = niftiGzipBomb([16, 16, 16], 2 * 1024 * 1024 * 1024);
  assert.ok(bomb.length < 3 * 1024 * 1024, `the bomb packs into ${bomb.length} bytes`);
  const r = refusal(() => readNifti(bomb, 'bomb.nii.gz'));
  assert.equal(r.code, 'IMAGE_TOO_LARGE');
  assert.match(r.message, /decompressed data is larger than \d+ bytes/);
  // A memory bound, not a timing one: inflating the bomb would take 2 GiB.
  assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024, 'RSS grew by less than 256 MiB');
});

test('a gzipped file within the limits still reads, and 1 MiB of trailing bytes is tolerated', () => {
  const bytes = patchedNifti([8, 8, 8]);
  const padded = new Uint8Array(bytes.length + 1024 * 1024);
  padded.set(bytes);
  assert.equal(readNifti(gzipSync(padded)).volume.data.length, 512);
  assert.equal(refusal(() => readNifti(gzipSync(new Uint8Array(padded.length + 1).fill(0).map((_, i) => padded[i] ?? 0)))).code, 'IMAGE_TOO_LARGE');
});
