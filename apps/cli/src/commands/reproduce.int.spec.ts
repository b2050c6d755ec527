import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '@radledger/application';
import type { CommandMetadata, WorkflowCommand } from '@radledger/domain';
import { writeNifti } from '@radledger/radiomics';
import { FIXTURE_DIMS, FIXTURE_SPACING, fixtureImage, fixtureMask } from '../../../api/src/testing/imaging-fixtures.js';

/** Two labels: 1 = core ellipsoid, 2 = the shell around it. */
function twoLabelMask(): Uint8Array {
  const [nx, ny, nz] = FIXTURE_DIMS;
  const data = new Float64Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const r = Math.hypot((x - 12) / 6, (y - 12) / 5, (z - 6) / 3);
        data[x + nx * (y + ny * z)] = r <= 0.6 ? 1 : r <= 1 ? 2 : 0;
      }
  return writeNifti({ dims: FIXTURE_DIMS, spacing: FIXTURE_SPACING, data }, { datatype: 'uint8', gzip: true });
}

const CLI = ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts'];

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const meta = (actor: string, role: string): CommandMetadata => ({ actor, role, correlationId: globalThis.crypto.randomUUID(), client: 'test' });

describe('CLI: record-features, reproduce and model-diff on a real ledger', () => {
  let dir: string;
  let store: string;
  let runtime: Runtime;
  const run = (command: WorkflowCommand, actor = 'u-admin', role = 'admin') => runtime.commands.execute(command, meta(actor, role));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-cli-reproduce-'));
    store = `sqlite:${join(dir, 'ledger.db')}`;
    runtime = await openRuntime({ store, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
    await run({ type: 'RegisterTrial', data: { trialId: 'T1', title: 'CLI trial', sponsor: 'ACME' } });
    await run({ type: 'EnrollSite', data: { trialId: 'T1', siteId: 'S1', name: 'Site 1' } });
    await run({ type: 'EnrollSubject', data: { trialId: 'T1', siteId: 'S1', subjectId: 'SUBJ-001' } });
    const image = await runtime.artifacts.put(fixtureImage(3));
    const mask = await runtime.artifacts.put(fixtureMask());
    await run({
      type: 'AcquireImage',
      data: { imageId: 'IMG', trialId: 'T1', siteId: 'S1', subjectId: 'SUBJ-001', modality: 'T1c', scanner: { vendor: 'GE', model: 'Signa' }, fieldStrengthT: 1.5, trMs: 500, teMs: 10, sliceThicknessMm: 2, artifactSha256: image.sha256 },
    }, 'u-op', 'site-operator');
    await run({
      type: 'CreateSegmentation',
      data: { segmentationId: 'SEG', versionId: 'SEG-v1', imageId: 'IMG', imageSha256: image.sha256, method: 'automatic', tool: 'nnU-Net', toolVersion: '2', region: 'whole-tumour', maskSha256: mask.sha256 },
    }, 'u-op', 'site-operator');
  });
  after(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('record-features appends FeaturesComputed and reproduce --feature-set answers MATCH', async () => {
    const recorded = cli(['record-features', '--store', store, '--data-dir', dir, '--image-id', 'IMG', '--segmentation-id', 'SEG', '--mask-version', 'SEG-v1', '--feature-set-id', 'FS']);
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.equal(JSON.parse(recorded.stdout).featureSetId, 'FS');
    const reproduced = cli(['reproduce', '--store', store, '--data-dir', dir, '--feature-set', 'FS']);
    assert.equal(reproduced.status, 0, reproduced.stderr);
    assert.equal(JSON.parse(reproduced.stdout).status, 'MATCH');
  });

  test('a feature set computed on one label of a multi-label mask records the label and reproduces to MATCH', async () => {
    const labelled = await runtime.artifacts.put(twoLabelMask());
    await run({ type: 'EditSegmentation', data: { segmentationId: 'SEG', parentVersionId: 'SEG-v1', versionId: 'SEG-v2', maskSha256: labelled.sha256, reason: 'core and shell labelled separately' } }, 'u-op', 'site-operator');
    const recorded = cli(['record-features', '--store', store, '--data-dir', dir, '--image-id', 'IMG', '--segmentation-id', 'SEG', '--mask-version', 'SEG-v2', '--feature-set-id', 'FS-SHELL', '--label', '2']);
    assert.equal(recorded.status, 0, recorded.stderr);
    const [event] = await runtime.store.readStream('featureset-FS-SHELL');
    assert.equal((event!.data as { maskLabel?: number }).maskLabel, 2);
    const reproduced = cli(['reproduce', '--store', store, '--data-dir', dir, '--feature-set', 'FS-SHELL']);
    assert.equal(reproduced.status, 0, reproduced.stdout + reproduced.stderr);
    assert.equal(JSON.parse(reproduced.stdout).status, 'MATCH');
  });

  test('reproduce --decision re-runs the locked model and matches; model-diff flags a post-hoc change', async () => {
    const models = JSON.parse(readFileSync('models/models.json', 'utf8')) as { models: Array<{ file: string; featureCodes: string[]; threshold: number; labels: { positive: string; negative: string }; probabilityOutput: { name: string; column: number } }> };
    const register = async (version: string, file: string) => {
      const spec = models.models.find((m) => m.file === file)!;
      const artifact = await runtime.artifacts.put(readFileSync(join('models', file)));
      return runtime.models.register(
        {
          modelId: 'IDH', version, artifactSha256: artifact.sha256, intendedUse: 'IDH status, research', featureCodes: spec.featureCodes,
          decisionRule: { threshold: spec.threshold, positiveLabel: spec.labels.positive, negativeLabel: spec.labels.negative, probabilityOutput: spec.probabilityOutput },
          trainingLineage: { featureSetIds: [], trialIds: ['SYN'], partitions: ['train'] }, performance: [{ metric: 'AUC', value: 0.9, dataset: 'synthetic' }],
        },
        meta('u-ds', 'data-scientist'),
      );
    };
    const v1 = await register('1', 'idh-logreg-v1.onnx');
    await register('2', 'idh-logreg-v2.onnx');
    await run({ type: 'SignRecord', data: { eventId: v1.events[0]!.eventId, meaning: 'approved', printedName: 'Rae Regulatory' } }, 'u-reg', 'regulatory');
    await run({ type: 'LockModel', data: { modelId: 'IDH', version: '1', trialId: 'T1' } }, 'u-reg', 'regulatory');
    await runtime.models.decide({ decisionId: 'D1', modelId: 'IDH', modelVersion: '1', featureSetId: 'FS' }, meta('u-op', 'site-operator'));

    const reproduced = cli(['reproduce', '--store', store, '--data-dir', dir, '--decision', 'D1']);
    assert.equal(reproduced.status, 0, reproduced.stderr);
    const report = JSON.parse(reproduced.stdout);
    assert.equal(report.status, 'MATCH');
    assert.equal(report.recorded.modelSha256, report.recomputed.modelSha256);

    const same = cli(['model-diff', '--store', store, '--data-dir', dir, 'IDH@1', 'IDH@1']);
    assert.equal(same.status, 0, same.stderr);
    assert.equal(JSON.parse(same.stdout).identical, true);
    const changed = cli(['model-diff', '--store', store, '--data-dir', dir, 'IDH@1', 'IDH@2']);
    assert.equal(changed.status, 1);
    const diff = JSON.parse(changed.stdout);
    assert.equal(diff.postHocChange, true);
    assert.ok(diff.differences.some((d: { field: string }) => d.field === 'artifactSha256'));

    const usage = cli(['reproduce', '--store', store, '--data-dir', dir]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /exactly one of --feature-set/);
  });
});
