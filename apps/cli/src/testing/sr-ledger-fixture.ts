import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '@radledger/application';
import { defaultRadiomicsSettings, readDicomSeries, writeDicomSeg, writeNifti } from '@radledger/radiomics';
import { writeCtSlice } from '../../../../libs/radiomics/src/io/dicom.fixture.js';

const OPERATOR = { actor: 'op-sr', role: 'site-operator', correlationId: 'sr', client: 'radledger-test' };
export const SR_TRIAL = 'TRIAL-SR';
const SITE = 'SITE-SR';

export interface SrLedger {
  dir: string;
  store: string;
  runtime: Runtime;
  /** Feature set ids by `<subject>/<seg|nifti>` (the mask they were computed in). */
  sets: Record<string, string>;
  close(): Promise<void>;
}

/** Runs the CLI (`apps/cli/src/main.ts`) with the configuration variables unset. */
export function exportCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['RADLEDGER_SIGNING_KEY', 'RADLEDGER_STORE', 'RADLEDGER_DATA_DIR', 'RADLEDGER_READ_STORE', 'RADLEDGER_KEY_ENCRYPTION_KEY']) delete env[name];
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A SQLite ledger with two subjects, each with a one-slice DICOM image, a DICOM-SEG mask and a
 * NIfTI mask, and a feature set computed in each; subject 2 is then redacted by two people.
 */
export async function buildSrLedger(): Promise<SrLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-sr-'));
  const store = `sqlite:${join(dir, 'ledger.db')}`;
  const runtime = await openRuntime({ store, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
  const sets: Record<string, string> = {};
  const run = (type: string, data: Record<string, unknown>, meta = OPERATOR) => runtime.commands.execute({ type, data } as never, meta);
  await run('RegisterTrial', { trialId: SR_TRIAL, title: 'sr', sponsor: 's' });
  await run('EnrollSite', { trialId: SR_TRIAL, siteId: SITE, name: 'site' });
  const rows = 6;
  const cols = 6;
  const slice = writeCtSlice(rows, cols, { z: 0, pixels: Int16Array.from({ length: rows * cols }, (_, i) => 40 + ((i * 11) % 13) + (i % cols > 1 ? 90 : 0)) });
  const image = readDicomSeries([{ name: 'slice.dcm', bytes: slice }]);
  const inside = Uint8Array.from({ length: rows * cols }, (_, i) => (i % cols > 1 && i % cols < 5 && Math.floor(i / cols) > 0 && Math.floor(i / cols) < 5 ? 1 : 0));
  const seg = writeDicomSeg({ geometry: image.geometry, segments: [{ number: 1, label: 'enhancing tumour', mask: inside, algorithmType: 'MANUAL' }], source: image.dicom!, createdAt: new Date('2026-03-01T10:00:00Z'), uidSeed: 'sr', software: { name: 'RadLedger', version: 'test' } });
  const niftiMask = writeNifti({ dims: [cols, rows, 1], spacing: [0.75, 0.5, 1], data: Float64Array.from(inside) }, { datatype: 'uint8' });
  let redactTarget = '';
  for (const subjectId of ['SUBJ-SR-1', 'SUBJ-SR-2']) {
    await run('EnrollSubject', { trialId: SR_TRIAL, siteId: SITE, subjectId });
    // Each subject's own scan (the ledger refuses one subject's image bytes acquired for another): same series, one pixel apart.
    const own = subjectId === 'SUBJ-SR-1' ? slice : writeCtSlice(rows, cols, { z: 0, pixels: Int16Array.from({ length: rows * cols }, (_, i) => 41 + ((i * 11) % 13) + (i % cols > 1 ? 90 : 0)) });
    const imageSha = (await runtime.artifacts.put(Buffer.from(own))).sha256;
    const acquired = await run('AcquireImage', { trialId: SR_TRIAL, siteId: SITE, subjectId, modality: 'T1c', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 1, artifactSha256: imageSha });
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
  return {
    dir,
    store,
    runtime,
    sets,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
