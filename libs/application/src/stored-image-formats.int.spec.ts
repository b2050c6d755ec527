import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultRadiomicsSettings, readDicomSeries, writeDicomSeg, writeNifti, type SegmentInput } from '@radledger/radiomics';
import { openRuntime, type Runtime } from '@radledger/application';
import { writeCtSlice } from '../../radiomics/src/io/dicom.fixture.js';

const OPERATOR = { actor: 'op-formats', role: 'site-operator', correlationId: 'formats', client: 'radledger-test' };
const TRIAL = 'TRIAL-FMT';
const SITE = 'SITE-FMT';
const SUBJECT = 'SUBJ-FMT-1';
const [NX, NY, NZ] = [8, 8, 4];

/** A raw little-endian NRRD (int16) of the test volume; `cut` bytes are dropped from its end. */
function nrrd(values: Int16Array, cut = 0): Uint8Array {
  const header = `NRRD0004\ntype: short\ndimension: 3\nsizes: ${NX} ${NY} ${NZ}\nspace: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,2)\nspace origin: (0,0,0)\nendian: little\nencoding: raw\n\n`;
  const bytes = Buffer.concat([Buffer.from(header, 'ascii'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
  return new Uint8Array(bytes.subarray(0, bytes.length - cut));
}

const volume = Int16Array.from({ length: NX * NY * NZ }, (_, i) => 100 + ((i * 37) % 23) + (i % NX > 2 && i % NX < 6 ? 200 : 0));
const ball = Float64Array.from({ length: NX * NY * NZ }, (_, i) => {
  const x = i % NX;
  const y = Math.floor(i / NX) % NY;
  return x > 1 && x < 6 && y > 1 && y < 6 ? 1 : 0;
});

describe('stored NRRD images, DICOM images and DICOM-SEG masks through the ledger (SQLite): recorded, or refused with a typed error and nothing appended', () => {
  let dir: string;
  let runtime: Runtime;
  const head = async () => (await runtime.store.head()).size;
  const put = async (bytes: Uint8Array) => (await runtime.artifacts.put(Buffer.from(bytes))).sha256;
  const acquire = async (sha: string) => {
    const r = await runtime.commands.execute(
      { type: 'AcquireImage', data: { trialId: TRIAL, siteId: SITE, subjectId: SUBJECT, modality: 'T1c', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 2000, teMs: 10, sliceThicknessMm: 2, artifactSha256: sha } },
      OPERATOR,
    );
    return String((r.events[0]!.data as { imageId: string }).imageId);
  };
  const segment = async (imageId: string, imageSha256: string, maskSha256: string) => {
    const r = await runtime.commands.execute({ type: 'CreateSegmentation', data: { imageId, imageSha256, method: 'manual', tool: 't', toolVersion: '1', region: 'enhancing-tumour', maskSha256 } }, OPERATOR);
    const d = r.events[0]!.data as { segmentationId: string; versionId: string };
    return { segmentationId: d.segmentationId, maskVersionId: d.versionId };
  };
  const compute = (imageId: string, seg: { segmentationId: string; maskVersionId: string }) => runtime.features.compute({ imageId, ...seg, settings: defaultRadiomicsSettings() }, OPERATOR);
  const code = (expected: string) => (e: Error & { code?: string }) => {
    assert.equal(e.code, expected, e.message);
    return true;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-formats-'));
    runtime = await openRuntime({ store: `sqlite:${join(dir, 'ledger.db')}`, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
    await runtime.commands.execute({ type: 'RegisterTrial', data: { trialId: TRIAL, title: 'formats', sponsor: 's' } }, OPERATOR);
    await runtime.commands.execute({ type: 'EnrollSite', data: { trialId: TRIAL, siteId: SITE, name: 'site' } }, OPERATOR);
    await runtime.commands.execute({ type: 'EnrollSubject', data: { trialId: TRIAL, siteId: SITE, subjectId: SUBJECT } }, OPERATOR);
  });
  after(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an NRRD image with an NRRD mask is computed and recorded like a NIfTI one', async () => {
    const image = await put(nrrd(volume));
    const imageId = await acquire(image);
    const seg = await segment(imageId, image, await put(nrrd(Int16Array.from(ball))));
    const r = await compute(imageId, seg);
    assert.equal(r.events[0]!.type, 'FeaturesComputed');
    // The same voxels as NIfTI give the same intensity features.
    const nifti = await put(writeNifti({ dims: [NX, NY, NZ], spacing: [1, 1, 2], data: Float64Array.from(volume) }, { datatype: 'int16' }));
    const niftiId = await acquire(nifti);
    const niftiSeg = await segment(niftiId, nifti, await put(writeNifti({ dims: [NX, NY, NZ], spacing: [1, 1, 2], data: ball }, { datatype: 'uint8' })));
    const n = await compute(niftiId, niftiSeg);
    const features = (x: typeof r) => (x.events[0]!.data as { features: Record<string, number> }).features;
    assert.equal(features(r)['Q4LE'], features(n)['Q4LE']);
  });

  test('image QC reads an NRRD image as it reads a NIfTI one: the same metrics recorded for the same voxels', async () => {
    const quality = async (bytes: Uint8Array) => {
      const r = await runtime.science.assessImageQuality({ imageId: await acquire(await put(bytes)) }, OPERATOR);
      assert.equal(r.events[0]!.type, 'ImageQualityAssessed');
      const d = r.events[0]!.data as Record<string, unknown>;
      return { snr: d['snr'], cnr: d['cnr'], ghostToSignalRatio: d['ghostToSignalRatio'], metadataCompleteness: d['metadataCompleteness'] };
    };
    const fromNrrd = await quality(nrrd(volume));
    assert.deepEqual(fromNrrd, await quality(writeNifti({ dims: [NX, NY, NZ], spacing: [1, 1, 2], data: Float64Array.from(volume) }, { datatype: 'int16' })));
    assert.equal(typeof fromNrrd.metadataCompleteness, 'number');
  });

  test('a truncated NRRD image is IMAGE_UNREADABLE at feature computation, and nothing is appended', async () => {
    const truncated = await put(nrrd(volume, 50));
    const imageId = await acquire(truncated);
    const seg = await segment(imageId, truncated, await put(writeNifti({ dims: [NX, NY, NZ], spacing: [1, 1, 2], data: ball }, { datatype: 'uint8' })));
    const before = await head();
    await assert.rejects(compute(imageId, seg), code('IMAGE_UNREADABLE'));
    assert.equal(await head(), before);
  });

  describe('DICOM image and DICOM-SEG masks', () => {
    const rows = 6;
    const cols = 6;
    const sliceBytes = writeCtSlice(rows, cols, { z: 0, pixels: Int16Array.from({ length: rows * cols }, (_, i) => 50 + ((i * 13) % 17) + (i % cols > 1 ? 100 : 0)) });
    const image = readDicomSeries([{ name: 'slice.dcm', bytes: sliceBytes }]);
    const other = readDicomSeries([{ name: 'other.dcm', bytes: writeCtSlice(rows, cols, { z: 0, pixels: new Int16Array(rows * cols), seriesInstanceUid: '1.2.826.0.1.3680043.2.1125.9.777' }) }]);
    const software = { name: 'RadLedger', version: 'test' };
    const createdAt = new Date('2026-03-01T10:00:00.000Z');
    const mask = (...on: number[]) => Uint8Array.from({ length: rows * cols }, (_, i) => (on.includes(i) ? 1 : 0));
    const a: SegmentInput = { number: 1, label: 'enhancing', mask: mask(7, 8, 9, 13, 14, 15, 19, 20, 21), algorithmType: 'MANUAL' };
    const b: SegmentInput = { number: 2, label: 'necrosis', mask: mask(14, 15, 26), algorithmType: 'MANUAL' };
    let imageSha: string;
    let imageId: string;

    before(async () => {
      imageSha = await put(sliceBytes);
      imageId = await acquire(imageSha);
    });

    test('a DICOM-SEG of the image series is placed on the image and computed', async () => {
      const seg = writeDicomSeg({ geometry: image.geometry, segments: [a], source: image.dicom!, createdAt, uidSeed: 'a', software });
      const r = await compute(imageId, await segment(imageId, imageSha, await put(seg.bytes)));
      assert.equal(r.events[0]!.type, 'FeaturesComputed');
    });

    test('a DICOM-SEG referencing another series is SEG_REFERENCES_OTHER_SERIES, and nothing is appended', async () => {
      const seg = writeDicomSeg({ geometry: image.geometry, segments: [a], source: other.dicom!, createdAt, uidSeed: 'other', software });
      const recorded = await segment(imageId, imageSha, await put(seg.bytes));
      const before = await head();
      await assert.rejects(compute(imageId, recorded), code('SEG_REFERENCES_OTHER_SERIES'));
      assert.equal(await head(), before);
    });

    test('a DICOM-SEG with overlapping segments is SEG_SEGMENTS_OVERLAP when recorded as a mask, and nothing is appended', async () => {
      const seg = writeDicomSeg({ geometry: image.geometry, segments: [a, b], source: image.dicom!, createdAt, uidSeed: 'overlap', software });
      const sha = await put(seg.bytes);
      const before = await head();
      await assert.rejects(segment(imageId, imageSha, sha), code('SEG_SEGMENTS_OVERLAP'));
      assert.equal(await head(), before);
    });
  });
});
