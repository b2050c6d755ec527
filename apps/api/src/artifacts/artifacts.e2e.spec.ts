import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unsupportedOperatorOnnx } from '@radledger/inference';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { fixtureImage } from '../testing/imaging-fixtures.js';
import { writeCtSlice } from '../../../../libs/radiomics/src/io/dicom.fixture.js';

describe('POST /artifacts: content checks before anything is stored', () => {
  let api: TestApi;
  let operator: string;
  const upload = (bytes: Uint8Array, query = '') =>
    request(api.app.getHttpServer()).post(`/artifacts${query}`).set('authorization', `Bearer ${operator}`).set('content-type', 'application/octet-stream').send(Buffer.from(bytes));

  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_MAX_UPLOAD_BYTES: '50000' });
    operator = await api.tokenFor('u-op', [{ role: 'site-operator' }], 'Otto Operator');
  });
  after(async () => api.close());

  test('an upload over RADLEDGER_MAX_UPLOAD_BYTES is refused with ARTIFACT_TOO_LARGE (raw and multipart)', async () => {
    const big = new Uint8Array(60_000).fill(7);
    const raw = await upload(big);
    assert.equal(raw.status, 413);
    assert.equal(raw.body.error.code, 'ARTIFACT_TOO_LARGE');
    const multipart = await request(api.app.getHttpServer()).post('/artifacts').set('authorization', `Bearer ${operator}`).attach('file', Buffer.from(big), 'big.nii');
    assert.equal(multipart.status, 413);
    assert.equal(multipart.body.error.code, 'ARTIFACT_TOO_LARGE');
  });

  test('a NIfTI upload by multipart answers its sha256, the same as the raw upload of the same bytes', async () => {
    const bytes = fixtureImage(11);
    const raw = await upload(bytes, '?kind=image');
    const multipart = await request(api.app.getHttpServer()).post('/artifacts').set('authorization', `Bearer ${operator}`).attach('file', Buffer.from(bytes), 'scan.nii.gz');
    assert.equal(raw.status, 201);
    assert.equal(multipart.status, 201);
    assert.equal(multipart.body.sha256, raw.body.sha256);
    assert.equal(multipart.body.created, false, 'the same bytes are stored once');
  });

  test('DICOM headers are de-identified on ingest: the stored file holds no patient name, id or birth date', async () => {
    const pixels = new Int16Array(16).fill(40);
    const res = await upload(writeCtSlice(4, 4, { z: 0, pixels }), '?kind=image');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.format, 'dicom');
    assert.match(res.body.dicom.uidHashes.StudyInstanceUID, /^[0-9a-f]{64}$/);
    const stored = readFileSync(join(api.dataDir, 'artifacts', 'sha256', res.body.sha256.slice(0, 2), res.body.sha256)).toString('latin1');
    for (const phi of ['Doe^Jane', 'MRN-0042', '19700101']) assert.ok(!stored.includes(phi), `${phi} removed`);
  });

  test('an ONNX model with an unsupported operator and a kind mismatch are refused with typed errors', async () => {
    const unsupported = await upload(unsupportedOperatorOnnx(), '?kind=model');
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error.code, 'MODEL_UNSUPPORTED');
    const mismatch = await upload(fixtureImage(12), '?kind=model');
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.error.code, 'ARTIFACT_FORMAT_UNSUPPORTED');
    const empty = await upload(new Uint8Array(0));
    assert.equal(empty.body.error.code, 'ARTIFACT_EMPTY');
  });
});
