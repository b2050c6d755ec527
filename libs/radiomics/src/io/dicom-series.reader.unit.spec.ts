import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { deidentifyDicom } from './dicom-deidentify.js';
import { parseDicom, readDicomSeries } from './dicom-series.reader.js';
import { writeCtSlice } from './dicom.fixture.js';
import { sniffFormat } from './sniff-format.js';

const rows = 2;
const cols = 3;
const sliceAt = (z: number, base: number, slope = 1, intercept = -1024) =>
  writeCtSlice(rows, cols, { z, pixels: Int16Array.from({ length: rows * cols }, (_, i) => base + i), slope, intercept });

const failure = (fn: () => unknown): RadiomicsInputError => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return error;
  }
  assert.fail('expected an error');
};

test('a shuffled series is sorted along the slice normal and rescaled per slice', () => {
  const files = [
    { name: 's3.dcm', bytes: sliceAt(7, 300, 2, -1000) },
    { name: 's1.dcm', bytes: sliceAt(3, 100) },
    { name: 's2.dcm', bytes: sliceAt(5, 200) },
  ];
  const image = readDicomSeries(files);
  assert.deepEqual([...image.volume.dims], [3, 2, 3]);
  assert.deepEqual([...image.volume.spacing], [0.75, 0.5, 2]);
  const d = image.volume.data;
  assert.deepEqual([...d.subarray(0, 6)], [100, 101, 102, 103, 104, 105].map((v) => v - 1024));
  assert.deepEqual([...d.subarray(6, 12)], [200, 201, 202, 203, 204, 205].map((v) => v - 1024));
  assert.deepEqual([...d.subarray(12, 18)], [300, 301, 302, 303, 304, 305].map((v) => 2 * v - 1000));
  assert.equal(image.geometry.orientation, 'LPS');
});

test('a series with a missing slice is DICOM_SERIES_INCOMPLETE', () => {
  const error = failure(() =>
    readDicomSeries([3, 5, 9, 11].map((z) => ({ name: `z${z}.dcm`, bytes: sliceAt(z, z) }))),
  );
  assert.equal(error.code, 'DICOM_SERIES_INCOMPLETE');
  assert.match(error.message, /z5\.dcm and z9\.dcm.*1 slice\(s\) missing/);
});

test('a 0-byte or non-DICOM file is IMAGE_UNREADABLE', () => {
  assert.equal(failure(() => readDicomSeries([{ name: 'empty.dcm', bytes: new Uint8Array(0) }])).code, 'IMAGE_UNREADABLE');
  assert.equal(
    failure(() => readDicomSeries([{ name: 'x.dcm', bytes: new TextEncoder().encode('x'.repeat(300)) }])).code,
    'IMAGE_UNREADABLE',
  );
});

test('sniffFormat recognises DICOM Part 10', () => {
  assert.equal(sniffFormat(sliceAt(0, 0)), 'dicom');
});

test('de-identification blanks identity, replaces UIDs by hash UIDs, keeps pixels', () => {
  const original = sliceAt(3, 100);
  const result = deidentifyDicom(original, 'trial-salt');
  const { dataset } = parseDicom({ name: 'out.dcm', bytes: result.bytes });
  assert.equal(dataset.PatientID, '');
  assert.equal(dataset.PatientBirthDate, '');
  assert.equal(dataset.InstitutionName, '');
  assert.ok(!JSON.stringify(dataset.PatientName ?? '').includes('Doe'));
  assert.deepEqual(result.blanked.sort(), ['InstitutionName', 'PatientBirthDate', 'PatientID', 'PatientName'].sort());
  assert.match(String(dataset.StudyInstanceUID), /^2\.25\.\d+$/);
  assert.notEqual(dataset.SeriesInstanceUID, '1.2.826.0.1.3680043.2.1125.9.2');
  assert.match(result.uidHashes.SeriesInstanceUID!, /^[0-9a-f]{64}$/);
  assert.equal(deidentifyDicom(original, 'trial-salt').uidHashes.SOPInstanceUID, result.uidHashes.SOPInstanceUID);
  assert.notEqual(deidentifyDicom(original, 'other').uidHashes.SOPInstanceUID, result.uidHashes.SOPInstanceUID);
  assert.equal(result.header.PixelData, undefined);
  const image = readDicomSeries([{ name: 'out.dcm', bytes: result.bytes }]);
  assert.deepEqual([...image.volume.data], [100, 101, 102, 103, 104, 105].map((v) => v - 1024));
});
