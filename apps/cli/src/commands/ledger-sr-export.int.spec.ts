import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRuntime, type Runtime } from '@radledger/application';
import { defaultRadiomicsSettings, readDicomSeries, writeDicomSeg, writeNifti } from '@radledger/radiomics';
import { writeCtSlice } from '../../../../libs/radiomics/src/io/dicom.fixture.js';

const OPERATOR = { actor: 'op-sr', role: 'site-operator', correlationId: 'sr', client: 'radledger-test' };
const TRIAL = 'TRIAL-SR';
const SITE = 'SITE-SR';
const ENHANCED_SR = '1.2.840.10008.5.1.4.1.1.88.22';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['RADLEDGER_SIGNING_KEY', 'RADLEDGER_STORE', 'RADLEDGER_DATA_DIR', 'RADLEDGER_READ_STORE', 'RADLEDGER_KEY_ENCRYPTION_KEY']) delete env[name];
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let store: string;
let runtime: Runtime;
const sets: Record<string, string> = {};
let redactTarget: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radledger-sr-'));
  store = `sqlite:${join(dir, 'ledger.db')}`;
  runtime = await openRuntime({ store, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
  const run = (type: string, data: Record<string, unknown>, meta = OPERATOR) => runtime.commands.execute({ type, data } as never, meta);
  await run('RegisterTrial', { trialId: TRIAL, title: 'sr', sponsor: 's' });
  await run('EnrollSite', { trialId: TRIAL, siteId: SITE, name: 'site' });
  const rows = 6;
  const cols = 6;
  const slice = writeCtSlice(rows, cols, { z: 0, pixels: Int16Array.from({ length: rows * cols }, (_, i) => 40 + ((i * 11) % 13) + (i % cols > 1 ? 90 : 0)) });
  const image = readDicomSeries([{ name: 'slice.dcm', bytes: slice }]);
  const inside = Uint8Array.from({ length: rows * cols }, (_, i) => (i % cols > 1 && i % cols < 5 && Math.floor(i / cols) > 0 && Math.floor(i / cols) < 5 ? 1 : 0));
  const seg = writeDicomSeg({ geometry: image.geometry, segments: [{ number: 1, label: 'enhancing tumour', mask: inside, algorithmType: 'MANUAL' }], source: image.dicom!, createdAt: new Date('2026-03-01T10:00:00Z'), uidSeed: 'sr', software: { name: 'RadLedger', version: 'test' } });
  const niftiMask = writeNifti({ dims: [cols, rows, 1], spacing: [0.75, 0.5, 1], data: Float64Array.from(inside) }, { datatype: 'uint8' });
  for (const subjectId of ['SUBJ-SR-1', 'SUBJ-SR-2']) {
    await run('EnrollSubject', { trialId: TRIAL, siteId: SITE, subjectId });
    const imageSha = (await runtime.artifacts.put(Buffer.from(slice))).sha256;
    const acquired = await run('AcquireImage', { trialId: TRIAL, siteId: SITE, subjectId, modality: 'T1c', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 1, artifactSha256: imageSha });
    const imageId = String((acquired.events[0]!.data as { imageId: string }).imageId);
    for (const [kind, bytes] of [['seg', seg.bytes], ['nifti', niftiMask]] as const) {
      const maskSha = (await runtime.artifacts.put(Buffer.from(bytes))).sha256;
      const created = await run('CreateSegmentation', { imageId, imageSha256: imageSha, method: 'manual', tool: 't', toolVersion: '1', region: 'enhancing-tumour', maskSha256: maskSha });
      const d = created.events[0]!.data as { segmentationId: string; versionId: string };
      if (subjectId === 'SUBJ-SR-2' && kind === 'seg') redactTarget = created.events[0]!.eventId;
      const computed = await runtime.features.compute({ imageId, segmentationId: d.segmentationId, maskVersionId: d.versionId, settings: defaultRadiomicsSettings() }, OPERATOR);
      sets[`${subjectId}/${kind}`] = String((computed.events[0]!.data as { featureSetId: string }).featureSetId);
    }
  }
  // Subject 2 is crypto-shredded by two people (ADR 0007).
  await run('RedactPayload', { eventId: redactTarget, justification: 'PHI in a free-text field' }, { ...OPERATOR, actor: 'reg-1', role: 'regulatory' });
  await run('RedactPayload', { eventId: redactTarget, justification: 'PHI in a free-text field' }, { ...OPERATOR, actor: 'adm-1', role: 'admin' });
});

after(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

test('dicom-sr from the ledger: the recorded feature sets of one image, referencing the stored SEG segment, or a SEG written beside the SR for a label-image mask', () => {
  const out = join(dir, 'report.dcm');
  const r = cli(['export', '--format', 'dicom-sr', '--feature-set', sets['SUBJ-SR-1/seg']!, '--feature-set', sets['SUBJ-SR-1/nifti']!, '--store', store, '--data-dir', dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const bytes = readFileSync(out);
  assert.equal(bytes.subarray(128, 132).toString('latin1'), 'DICM');
  const text = bytes.toString('latin1');
  assert.ok(text.includes(ENHANCED_SR) && text.includes('Q4LE') && text.includes('enhancing tumour'));
  const summary = JSON.parse(r.stdout) as { seg: string; sha256: string };
  assert.ok(existsSync(summary.seg), 'the SEG of the NIfTI mask is written beside the SR');
  // The same feature sets give the same report.
  const again = cli(['export', '--format', 'dicom-sr', '--feature-set', sets['SUBJ-SR-1/seg']!, '--feature-set', sets['SUBJ-SR-1/nifti']!, '--store', store, '--data-dir', dir, '--out', join(dir, 'again.dcm')]);
  assert.equal((JSON.parse(again.stdout) as { sha256: string }).sha256, summary.sha256);
});

test('dicom-sr of a redacted subject is SUBJECT_REDACTED: no file written, nothing appended', async () => {
  const before = (await runtime.store.head()).size;
  const out = join(dir, 'redacted.dcm');
  const r = cli(['export', '--format', 'dicom-sr', '--feature-set', sets['SUBJ-SR-2/nifti']!, '--store', store, '--data-dir', dir, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error \[SUBJECT_REDACTED\]: --feature-set .*subject SUBJ-SR-2 of trial TRIAL-SR was redacted/);
  assert.equal(existsSync(out), false);
  assert.equal((await runtime.store.head()).size, before);
  const unknown = cli(['export', '--format', 'dicom-sr', '--feature-set', 'no-such-set', '--store', store, '--data-dir', dir, '--out', out]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /NOT_FOUND.*--feature-set no-such-set/);
});
