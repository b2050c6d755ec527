import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { fixtureImage } from '../testing/imaging-fixtures.js';
import { niftiGzipBomb, patchedNifti } from '../../../../libs/radiomics/src/io/nifti-bomb.fixture.js';

const MiB = 1024 * 1024;

/**
 * Issue 12 item 8: a 2 MB .nii.gz (a header, then 2 GiB of zeros) drove the API to a 10 GB
 * peak RSS. Uploads are now sized from the header before inflating and inflated with an
 * output cap; these run over HTTP against the real app, in this process, so its peak RSS
 * (getrusage ru_maxrss) is the API's.
 */
describe('POST /artifacts: image size limits and header checks before inflating', () => {
  let api: TestApi;
  let operator: string;
  const upload = (bytes: Uint8Array) =>
    request(api.app.getHttpServer()).post('/artifacts?kind=image').set('authorization', `Bearer ${operator}`).set('content-type', 'application/octet-stream').send(Buffer.from(bytes));
  const storedFiles = (): number => {
    const walk = (dir: string): number => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? walk(join(dir, e.name)) : 1), 0) : 0);
    return walk(join(api.dataDir, 'artifacts'));
  };
  const peakRssBytes = (): number => process.resourceUsage().maxRSS * 1024;

  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_MAX_DECOMPRESSED_BYTES: String(16 * MiB), RADLEDGER_MAX_VOXELS: String(4_000_000) });
    operator = await api.tokenFor('u-op', [{ role: 'site-operator' }], 'Otto Operator');
    // Warm the upload path so the peak measured below is the bomb's, not the first request's.
    assert.equal((await upload(fixtureImage(3))).status, 201);
  });
  after(async () => api.close());

  test('a gzip bomb whose header declares 2 GiB is refused from the header: 413 IMAGE_TOO_LARGE, nothing stored', async () => {
    const bomb = niftiGzipBomb([2048, 1024, 1024], 2048 * MiB);
    assert.ok(bomb.length < 3 * MiB, `the bomb is ${bomb.length} bytes`);
    const files = storedFiles();
    const peakBefore = peakRssBytes();
    const res = await upload(bomb);
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'IMAGE_TOO_LARGE');
    assert.match(res.body.error.message, /NIfTI header field dim declares 2048×1024×1024 = 2147483648 voxels, more than the limit of 4000000/);
    assert.ok(peakRssBytes() - peakBefore < 300 * MiB, `peak RSS grew by ${((peakRssBytes() - peakBefore) / MiB).toFixed(0)} MiB`);
    assert.equal(storedFiles(), files);
  });

  test('a small header followed by 2 GiB of zeros is refused as soon as the output passes the declared size', async () => {
    const bomb = niftiGzipBomb([32, 32, 32], 2048 * MiB);
    const files = storedFiles();
    const rssBefore = process.memoryUsage().rss;
    const peakBefore = peakRssBytes();
    const res = await upload(bomb);
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'IMAGE_TOO_LARGE');
    assert.match(res.body.error.message, /^upload: the decompressed data is larger than \d+ bytes/);
    // Memory bounds, not timing: a full inflate would have needed 2 GiB.
    assert.ok(peakRssBytes() - peakBefore < 300 * MiB, `peak RSS grew by ${((peakRssBytes() - peakBefore) / MiB).toFixed(0)} MiB`);
    assert.ok(process.memoryUsage().rss - rssBefore < 300 * MiB);
    assert.equal(storedFiles(), files);
  });

  test('RADLEDGER_MAX_VOXELS and RADLEDGER_MAX_DECOMPRESSED_BYTES are what the API enforces', async () => {
    const files = storedFiles();
    const voxels = await upload(gzipSync(patchedNifti([160, 160, 160])));
    assert.equal(voxels.status, 413);
    assert.equal(voxels.body.error.code, 'IMAGE_TOO_LARGE');
    assert.match(voxels.body.error.message, /4096000 voxels, more than the limit of 4000000/);
    const bytes = await upload(gzipSync(patchedNifti([150, 150, 150], { datatype: 64, bitpix: 64 }).subarray(0, 352)));
    assert.equal(bytes.status, 413);
    assert.match(bytes.body.error.message, /declare 27000352 bytes, more than the limit of 16777216/);
    assert.equal(storedFiles(), files);
  });

  test('negative dimensions, a NaN data offset and other impossible header fields are 400 IMAGE_HEADER_INVALID naming the field, nothing stored', async () => {
    const files = storedFiles();
    const cases: Array<[string, Uint8Array]> = [
      ['dim[2]', patchedNifti([8, 8, 8], { dim: [undefined, undefined, -8] })],
      ['vox_offset', patchedNifti([8, 8, 8], { voxOffset: Number.NaN })],
      ['dim[0]', patchedNifti([8, 8, 8], { dim: [9] })],
      ['pixdim[1]', patchedNifti([8, 8, 8], { pixdim: [undefined, Number.NaN] })],
      ['bitpix', patchedNifti([8, 8, 8], { bitpix: 32 })],
    ];
    for (const [field, bytes] of cases) {
      for (const body of [bytes, gzipSync(bytes)]) {
        const res = await upload(body);
        assert.equal(res.status, 400, `${field}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'IMAGE_HEADER_INVALID');
        assert.ok(res.body.error.message.startsWith(`upload: NIfTI header field ${field}: expected`), res.body.error.message);
      }
    }
    assert.equal(storedFiles(), files);
  });
});
