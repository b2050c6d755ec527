import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { loadDicomDecoders } from './dicom-pixel-decoders.js';
import { parseDicom, readDicomSeries } from './dicom-series.reader.js';

// Fixtures written by independent encoders (dcmtk, OpenJPEG): scripts/write-compressed-dicom-fixtures.ts.
const dir = new URL('../../testdata/dicom-compressed/', import.meta.url);
const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) });

before(() => loadDicomDecoders());

const reference = readDicomSeries([file('ct-explicit-le.dcm')]);

for (const [name, uid] of [
  ['ct-rle.dcm', '1.2.840.10008.1.2.5'],
  ['ct-jpeg-lossless.dcm', '1.2.840.10008.1.2.4.57'],
  ['ct-jpeg-lossless-sv1.dcm', '1.2.840.10008.1.2.4.70'],
  ['ct-jpeg-ls.dcm', '1.2.840.10008.1.2.4.80'],
  ['ct-jpeg2000-lossless.dcm', '1.2.840.10008.1.2.4.90'],
] as const) {
  test(`${name} (${uid}) decodes to the uncompressed slice, signed samples and rescale included`, () => {
    assert.equal(parseDicom(file(name)).transferSyntax, uid);
    const image = readDicomSeries([file(name)]);
    assert.deepEqual(image.volume.dims, reference.volume.dims);
    assert.deepEqual([...image.volume.data], [...reference.volume.data]);
    assert.ok(reference.volume.data.some((v) => v < -1024), 'the fixture has negative stored values');
  });
}

test('a lossy transfer syntax is TRANSFER_SYNTAX_UNSUPPORTED naming it', () => {
  try {
    readDicomSeries([file('ct-jpeg-extended-lossy.dcm')]);
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    assert.equal(error.code, 'TRANSFER_SYNTAX_UNSUPPORTED');
    assert.match(error.message, /1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG Extended \(Process 2 & 4\), lossy\)/);
  }
});

test('a truncated JPEG-LS stream is IMAGE_UNREADABLE, not a crash', () => {
  const { bytes } = file('ct-jpeg-ls.dcm');
  try {
    readDicomSeries([{ name: 'cut.dcm', bytes: bytes.subarray(0, bytes.length - 200) }]);
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    assert.equal(error.code, 'IMAGE_UNREADABLE');
  }
});
