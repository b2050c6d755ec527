import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Volume } from '../volume.js';
import { assertSameGrid, maskFromLabels, readNifti } from './nifti.reader.js';
import { writeNifti, type NiftiDatatype } from './nifti.writer.js';
import { sniffFormat } from './sniff-format.js';

const volume = (values: number[], dims: [number, number, number] = [values.length, 1, 1]): Volume => ({
  dims,
  spacing: [0.8, 0.9, 2.5],
  data: Float64Array.from(values),
});

const ranges: Record<NiftiDatatype, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  float32: [-1e6, 1e6],
  float64: [-1e12, 1e12],
};

test('every datatype round-trips through NIfTI-1 and NIfTI-2, plain and gzipped', () => {
  for (const [datatype, [lo, hi]] of Object.entries(ranges) as Array<[NiftiDatatype, [number, number]]>) {
    const values = [lo, hi, 0, lo < 0 ? -7 : 7];
    for (const version of [1, 2] as const) {
      for (const gzip of [false, true]) {
        const read = readNifti(writeNifti(volume(values, [2, 2, 1]), { datatype, version, gzip }));
        assert.deepEqual([...read.volume.data], values, `${datatype} v${version} gzip=${gzip}`);
        assert.equal(read.datatype, datatype);
        assert.equal(read.format, version === 1 ? 'nifti-1' : 'nifti-2');
        assert.deepEqual([...read.volume.dims], [2, 2, 1]);
        assert.ok(read.volume.spacing.every((s, k) => Math.abs(s - [0.8, 0.9, 2.5][k]!) < 1e-6));
      }
    }
  }
});

test('scl_slope and scl_inter are applied (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 20 }),
      fc.constantFrom(0.5, 2, 4),
      fc.integer({ min: -1024, max: 1024 }),
      (raw, slope, inter) => {
        const values = raw.map((r) => r * slope + inter);
        const read = readNifti(writeNifti(volume(values), { datatype: 'int16', sclSlope: slope, sclInter: inter }));
        assert.deepEqual([...read.volume.data], values);
      },
    ),
  );
});

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return `${error.code}: ${error.message}`;
  }
  return 'no error';
};

test('a 0-byte file, a truncated .nii.gz, truncated voxels and non-NIfTI bytes are IMAGE_UNREADABLE', () => {
  assert.match(code(() => readNifti(new Uint8Array(0), 'empty.nii')), /^IMAGE_UNREADABLE: empty\.nii .*0 bytes/);
  const gz = writeNifti(volume([1, 2, 3, 4, 5, 6, 7, 8]), { gzip: true });
  assert.match(code(() => readNifti(gz.subarray(0, gz.length - 12), 'cut.nii.gz')), /^IMAGE_UNREADABLE: cut\.nii\.gz .*gzip/);
  const plain = writeNifti(volume([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.match(code(() => readNifti(plain.subarray(0, plain.length - 3))), /^IMAGE_UNREADABLE: .*truncated/);
  assert.match(code(() => readNifti(new TextEncoder().encode('hello world'.repeat(40)))), /^IMAGE_UNREADABLE: .*magic/);
});

test('masks select a label or any nonzero voxel; an empty selection is MASK_EMPTY', () => {
  const labels = readNifti(writeNifti(volume([0, 1, 2, 2, 0, 1]), { datatype: 'uint8' }));
  assert.deepEqual([...maskFromLabels(labels).data], [0, 1, 1, 1, 0, 1]);
  assert.deepEqual([...maskFromLabels(labels, 2).data], [0, 0, 1, 1, 0, 0]);
  assert.match(code(() => maskFromLabels(labels, 7)), /^MASK_EMPTY: .*label 7/);
});

test('a mask on another grid is MASK_GRID_MISMATCH', () => {
  const a = readNifti(writeNifti(volume([1, 2, 3, 4], [2, 2, 1])));
  const b = readNifti(writeNifti(volume([1, 2, 3, 4], [4, 1, 1])));
  const c = readNifti(writeNifti({ ...volume([1, 2, 3, 4], [2, 2, 1]), spacing: [1, 1, 1] }));
  assertSameGrid(a.geometry, a.geometry);
  assert.match(code(() => assertSameGrid(a.geometry, b.geometry)), /^MASK_GRID_MISMATCH/);
  assert.match(code(() => assertSameGrid(a.geometry, c.geometry)), /^MASK_GRID_MISMATCH/);
});

test('sniffFormat tells NIfTI, gzipped NIfTI and other bytes apart', () => {
  assert.equal(sniffFormat(writeNifti(volume([1, 2]))), 'nifti');
  assert.equal(sniffFormat(writeNifti(volume([1, 2]), { version: 2 })), 'nifti');
  assert.equal(sniffFormat(writeNifti(volume([1, 2]), { gzip: true })), 'nifti-gz');
  assert.equal(sniffFormat(new Uint8Array(0)), 'unknown');
  assert.equal(sniffFormat(new TextEncoder().encode('{"not":"an image"}')), 'unknown');
  // ModelProto: ir_version = 8, then producer_name (field 2, length-delimited).
  assert.equal(sniffFormat(Uint8Array.from([0x08, 0x08, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74])), 'onnx');
});
