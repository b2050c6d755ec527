import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readDicomSeries } from '../io/dicom-series.reader.js';
import { writeCtSlice } from '../io/dicom.fixture.js';
import { maskFromLabels } from '../io/nifti.reader.js';
import { readNrrd } from '../io/nrrd.reader.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { isDicomSeg, readDicomSeg, segmentationLabelMap, segmentMask } from './dicom-seg.reader.js';
import { writeDicomSeg, type SegmentInput } from './dicom-seg.writer.js';

const rows = 4;
const cols = 5;
const image = readDicomSeries(
  [0, 2, 4].map((z) => ({ name: `z${z}.dcm`, bytes: writeCtSlice(rows, cols, { z, pixels: Int16Array.from({ length: rows * cols }, (_, i) => i + z) }) })),
);
const software = { name: 'RadLedger', version: '0.1.0' };
const createdAt = new Date('2026-03-01T10:00:00.000Z');

const voxels = (...on: number[]) => {
  const m = new Uint8Array(rows * cols * 3);
  for (const i of on) m[i] = 1;
  return m;
};
const enhancing: SegmentInput = { number: 1, label: 'enhancing tumour', mask: voxels(3, 25, 26, 27), algorithmType: 'MANUAL' };
const necrosis: SegmentInput = { number: 2, label: 'necrosis', mask: voxels(45, 59), algorithmType: 'AUTOMATIC', algorithmName: 'nnU-Net' };

const failure = (fn: () => unknown): RadiomicsInputError => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return error;
  }
  return assert.fail('expected an error');
};

test('our SEG → our reader gives back the same masks, segment identities and source reference', () => {
  const written = writeDicomSeg({ geometry: image.geometry, segments: [enhancing, necrosis], source: image.dicom!, createdAt, uidSeed: 'mask-sha', software });
  assert.ok(isDicomSeg(written.bytes));
  const seg = readDicomSeg(written.bytes, { name: 'seg.dcm', image });
  assert.equal(seg.segmentationType, 'BINARY');
  assert.equal(seg.referencedSeriesInstanceUid, image.dicom!.seriesInstanceUid);
  assert.equal(seg.sopInstanceUid, written.sopInstanceUid);
  assert.deepEqual(seg.segments.map((s) => [s.number, s.label, s.algorithmType, s.algorithmName]), [
    [1, 'enhancing tumour', 'MANUAL', undefined],
    [2, 'necrosis', 'AUTOMATIC', 'nnU-Net'],
  ]);
  assert.deepEqual([...segmentMask(seg, 1).data], [...enhancing.mask]);
  assert.deepEqual([...segmentMask(seg, 2).data], [...necrosis.mask]);
  const labels = segmentationLabelMap(seg);
  assert.deepEqual([...maskFromLabels(labels, 2).data], [...necrosis.mask]);
  // The same mask and seed give the same instance (an export is reproducible).
  assert.deepEqual(writeDicomSeg({ geometry: image.geometry, segments: [enhancing, necrosis], source: image.dicom!, createdAt, uidSeed: 'mask-sha', software }).bytes, written.bytes);
});

test('a FRACTIONAL SEG keeps fractions to 1/255', () => {
  const fractions = new Float64Array(rows * cols * 3);
  fractions[7] = 0.25;
  fractions[8] = 1;
  fractions[30] = 0.6;
  const bytes = writeDicomSeg({
    geometry: image.geometry,
    segments: [{ number: 1, label: 'tumour probability', mask: fractions, algorithmType: 'AUTOMATIC', algorithmName: 'model v3' }],
    source: image.dicom!,
    fractionalType: 'PROBABILITY',
    createdAt,
    uidSeed: 'p',
    software,
  }).bytes;
  const seg = readDicomSeg(bytes, { image });
  assert.equal(seg.segmentationType, 'FRACTIONAL');
  assert.equal(seg.fractionalType, 'PROBABILITY');
  const values = seg.segments[0]!.values;
  for (let i = 0; i < fractions.length; i++) assert.ok(Math.abs(values[i]! - fractions[i]!) <= 0.5 / 255, `voxel ${i}`);
  assert.deepEqual([...segmentMask(seg, 1).data.entries()].filter(([, v]) => v).map(([i]) => i), [8, 30]);
});

test('a SEG on a NRRD grid (no DICOM source) round-trips onto the PyRadiomics brain2 label', () => {
  const dir = new URL('../../testdata/pyradiomics/', import.meta.url);
  const labels = readNrrd(new Uint8Array(readFileSync(new URL('brain2_label.nrrd', dir))));
  const mask = maskFromLabels(labels, 1);
  const bytes = writeDicomSeg({ geometry: labels.geometry, segments: [{ number: 1, label: 'brain2 label 1', mask: mask.data, algorithmType: 'MANUAL' }], createdAt, uidSeed: 'brain2', software }).bytes;
  const onImage = readDicomSeg(bytes, { image: labels });
  assert.deepEqual(segmentMask(onImage, 1).data, mask.data);
  // Without an image, the grid spans the SEG's own frames: same orientation and spacing.
  // Without an image, the grid spans the SEG's own frames: the same voxels in the world.
  const own = readDicomSeg(bytes);
  const world = (values: ArrayLike<number>, g: typeof labels.geometry): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < values.length; i++) {
      if (!values[i]) continue;
      const v = [i % g.dims[0], Math.floor(i / g.dims[0]) % g.dims[1], Math.floor(i / (g.dims[0] * g.dims[1])), 1];
      out.push(g.affine.slice(0, 3).map((row) => row[0]! * v[0]! + row[1]! * v[1]! + row[2]! * v[2]! + row[3]!));
    }
    // Sorted on a 0.1 mm lattice (voxels are ≥ 0.78 mm apart), compared within 1e-6 mm.
    return out.sort((a, b) => Math.round(a[0]! * 10) - Math.round(b[0]! * 10) || Math.round(a[1]! * 10) - Math.round(b[1]! * 10) || Math.round(a[2]! * 10) - Math.round(b[2]! * 10));
  };
  const ours = world(own.segments[0]!.values, own.geometry);
  const theirs = world(mask.data, labels.geometry);
  assert.equal(ours.length, theirs.length);
  ours.forEach((p, k) => assert.ok(p.every((c, w) => Math.abs(c - theirs[k]![w]!) < 1e-6), `voxel ${k}: ${p} vs ${theirs[k]}`));
});

test('a SEG referencing another series is SEG_REFERENCES_OTHER_SERIES', () => {
  const bytes = writeDicomSeg({ geometry: image.geometry, segments: [enhancing], source: { ...image.dicom!, seriesInstanceUid: '1.2.3.4.5' }, createdAt, uidSeed: 'x', software }).bytes;
  const error = failure(() => readDicomSeg(bytes, { name: 'other.dcm', image }));
  assert.equal(error.code, 'SEG_REFERENCES_OTHER_SERIES');
  assert.match(error.message, /other\.dcm references series 1\.2\.3\.4\.5, the image is series 1\.2\.826\.0\.1\.3680043\.2\.1125\.9\.2/);
});

test('overlapping segments are SEG_SEGMENTS_OVERLAP as a label map, and readable one by one', () => {
  const overlapping: SegmentInput = { ...necrosis, mask: voxels(26, 45) };
  const seg = readDicomSeg(writeDicomSeg({ geometry: image.geometry, segments: [enhancing, overlapping], source: image.dicom!, createdAt, uidSeed: 'o', software }).bytes, { image });
  const error = failure(() => segmentationLabelMap(seg));
  assert.equal(error.code, 'SEG_SEGMENTS_OVERLAP');
  assert.match(error.message, /segments 1 and 2 overlap at voxel \(1, 1, 1\)/);
  assert.deepEqual([...segmentMask(seg, 2).data], [...overlapping.mask]);
});

test('a SEG on another grid, a non-SEG file and a truncated SEG are typed errors', () => {
  const bytes = writeDicomSeg({ geometry: image.geometry, segments: [enhancing], createdAt, uidSeed: 'g', software }).bytes;
  const shifted = { ...image, dicom: undefined, geometry: { ...image.geometry, affine: image.geometry.affine.map((r, i) => (i === 2 ? [r[0]!, r[1]!, r[2]!, r[3]! + 1] : r)) } };
  assert.equal(failure(() => readDicomSeg(bytes, { image: shifted })).code, 'MASK_GRID_MISMATCH');
  assert.equal(failure(() => readDicomSeg(writeCtSlice(2, 2, { z: 0, pixels: new Int16Array(4) }))).code, 'DICOM_SEG_INVALID');
  assert.ok(['IMAGE_UNREADABLE', 'DICOM_SEG_INVALID'].includes(failure(() => readDicomSeg(bytes.subarray(0, bytes.length - 20), { image })).code));
  assert.equal(failure(() => writeDicomSeg({ geometry: image.geometry, segments: [{ ...enhancing, mask: voxels() }], createdAt, uidSeed: 'e', software })).code, 'MASK_EMPTY');
});
