import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSrLedger, exportCli, type SrLedger } from '../testing/sr-ledger-fixture.js';

/**
 * The SR (and the SEG written beside it) that `export --format dicom-sr --feature-set` makes
 * from the ledger, checked by Debian's dciodvfy (dicom3tools) and dsrdump (dcmtk), like the
 * writer's own conformance test. `npm run test:conformance`.
 */
let fx: SrLedger;
let sr: string;
let seg: string;

before(async () => {
  fx = await buildSrLedger();
  sr = join(fx.dir, 'ledger-report.dcm');
  const r = exportCli(['export', '--format', 'dicom-sr', '--feature-set', fx.sets['SUBJ-SR-1/seg']!, '--feature-set', fx.sets['SUBJ-SR-1/nifti']!, '--store', fx.store, '--data-dir', fx.dir, '--out', sr]);
  assert.equal(r.code, 0, r.stderr);
  seg = (JSON.parse(r.stdout) as { seg: string }).seg;
});
after(async () => fx.close());

function dciodvfy(path: string): { errors: string[]; warnings: string[]; iod: string } {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  assert.equal(run.error, undefined, 'dciodvfy is installed (apt-get install -y dicom3tools)');
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter(Boolean);
  return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)), iod: lines.find((l) => !/^(Error|Warning)/.test(l)) ?? '' };
}

test('dciodvfy finds no error in the SR of recorded feature sets, nor in the SEG written for the label-image mask', () => {
  for (const [path, iod] of [[sr, 'EnhancedSR'], [seg, 'Segmentation']] as const) {
    const result = dciodvfy(path);
    assert.equal(result.iod, iod);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.filter((w) => !/needed to build DICOMDIR - Study (Date|Time|ID)$/.test(w)), []);
  }
});

test('dsrdump reads it: TID 1500, two measurement groups each referencing a SEG segment, the recorded values', () => {
  const run = spawnSync('dsrdump', ['+Pc', '+Pt', sr], { encoding: 'utf8' });
  assert.equal(run.error, undefined, 'dsrdump is installed (apt-get install -y dcmtk)');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /<CONTAINER:\(126000,DCM,"Imaging Measurement Report"\)=SEPARATE> {2}# TID 1500 \(DCMR\)/);
  assert.equal([...run.stdout.matchAll(/<contains CONTAINER:\(125007,DCM,"Measurement Group"\)/g)].length, 2);
  assert.equal([...run.stdout.matchAll(/<contains IMAGE:\(121191,DCM,"Referenced Segment"\)=\(SG image,,1\)>/g)].length, 2);
  assert.match(run.stdout, /<contains NUM:\(Q4LE,IBSI,/);
});
