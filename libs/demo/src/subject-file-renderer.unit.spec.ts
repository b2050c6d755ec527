import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { readNifti } from '@radledger/radiomics';
import { SubjectFileRenderer } from './synthetic/subject-file-renderer.js';
import { SUBJECT_FILE_KEYS, renderSubjectFiles, type SubjectFiles } from './synthetic/subject-files.js';

const request = { seed: 5, subjectId: 'GRA-WRK-001', scanner: { fieldStrengthT: 1.5, vendor: 'GE' as const }, phenotype: 'wildtype-like' as const };
const digests = (files: SubjectFiles) => Object.fromEntries(SUBJECT_FILE_KEYS.map((k) => [k, createHash('sha256').update(files[k]).digest('hex')]));

describe('subject file rendering', () => {
  it('gives the same bytes on the worker thread as in this thread, and readable NIfTI files', async () => {
    const renderer = new SubjectFileRenderer({ useWorker: true });
    try {
      const [viaWorker, again] = await Promise.all([renderer.render(request), renderer.render(request)]);
      const local = renderSubjectFiles(request);
      assert.deepEqual(digests(viaWorker), digests(local));
      assert.deepEqual(digests(again), digests(local));
    } finally {
      await renderer.close();
    }
    const local = renderSubjectFiles(request);
    assert.equal(new Set(Object.values(digests(local))).size, SUBJECT_FILE_KEYS.length, 'seven distinct files');
    const t1c = readNifti(local.t1c);
    const pre = readNifti(local.t1cPreprocessed);
    assert.equal(t1c.datatype, 'int16');
    assert.equal(pre.datatype, 'float32');
    assert.deepEqual([...pre.volume.dims], [...t1c.volume.dims]);
    assert.equal(readNifti(local.wholeTumour).datatype, 'uint8');
  });

  it('renders in this thread when asked to', async () => {
    const renderer = new SubjectFileRenderer({ useWorker: false });
    assert.deepEqual(digests(await renderer.render(request)), digests(renderSubjectFiles(request)));
    await renderer.close();
  });
});
