import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { writeDicomSeg } from '../dicom/dicom-seg.writer.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { maskFromLabels } from './nifti.reader.js';
import { readStoredImage, readStoredMask } from './read-stored-image.js';

const dir = new URL('../../testdata/', import.meta.url);

test('stored NRRD, compressed DICOM and DICOM-SEG artifacts read by content', async () => {
  const labelBytes = new Uint8Array(readFileSync(new URL('pyradiomics/brain2_label.nrrd', dir)));
  const labels = await readStoredImage(labelBytes, 'mask abc');
  assert.equal(labels.format, 'nrrd');
  const fromNrrd = await readStoredMask(labelBytes, labels, 'mask abc', 1);
  assert.deepEqual(fromNrrd, maskFromLabels(labels, 1));
  const seg = writeDicomSeg({ geometry: labels.geometry, segments: [{ number: 1, label: 'l1', mask: fromNrrd.data, algorithmType: 'MANUAL' }], createdAt: new Date(0), uidSeed: 's', software: { name: 'RadLedger', version: '0' } }).bytes;
  assert.deepEqual((await readStoredMask(seg, labels, 'seg')).data, fromNrrd.data);
  const jls = await readStoredImage(new Uint8Array(readFileSync(new URL('dicom-compressed/ct-jpeg-ls.dcm', dir))), 'image jls');
  const plain = await readStoredImage(new Uint8Array(readFileSync(new URL('dicom-compressed/ct-explicit-le.dcm', dir))), 'image plain');
  assert.deepEqual(jls.volume.data, plain.volume.data);
  await assert.rejects(readStoredImage(new TextEncoder().encode('not an image'), 'x'), (e: unknown) => e instanceof RadiomicsInputError && e.code === 'IMAGE_UNREADABLE');
});
