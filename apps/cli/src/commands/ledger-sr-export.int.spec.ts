import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSrLedger, exportCli, type SrLedger } from '../testing/sr-ledger-fixture.js';

const ENHANCED_SR = '1.2.840.10008.5.1.4.1.1.88.22';
let fx: SrLedger;
const cli = exportCli;

before(async () => {
  fx = await buildSrLedger();
});
after(async () => fx.close());

test('dicom-sr from the ledger: the recorded feature sets of one image, referencing the stored SEG segment, or a SEG written beside the SR for a label-image mask', () => {
  const out = join(fx.dir, 'report.dcm');
  const r = cli(['export', '--format', 'dicom-sr', '--feature-set', fx.sets['SUBJ-SR-1/seg']!, '--feature-set', fx.sets['SUBJ-SR-1/nifti']!, '--store', fx.store, '--data-dir', fx.dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const bytes = readFileSync(out);
  assert.equal(bytes.subarray(128, 132).toString('latin1'), 'DICM');
  const text = bytes.toString('latin1');
  assert.ok(text.includes(ENHANCED_SR) && text.includes('Q4LE') && text.includes('enhancing tumour'));
  const summary = JSON.parse(r.stdout) as { seg: string; sha256: string };
  assert.ok(existsSync(summary.seg), 'the SEG of the NIfTI mask is written beside the SR');
  // The same feature sets give the same report.
  const again = cli(['export', '--format', 'dicom-sr', '--feature-set', fx.sets['SUBJ-SR-1/seg']!, '--feature-set', fx.sets['SUBJ-SR-1/nifti']!, '--store', fx.store, '--data-dir', fx.dir, '--out', join(fx.dir, 'again.dcm')]);
  assert.equal((JSON.parse(again.stdout) as { sha256: string }).sha256, summary.sha256);
});

test('dicom-sr of a redacted subject is SUBJECT_REDACTED: no file written, nothing appended', async () => {
  const before = (await fx.runtime.store.head()).size;
  const out = join(fx.dir, 'redacted.dcm');
  const r = cli(['export', '--format', 'dicom-sr', '--feature-set', fx.sets['SUBJ-SR-2/nifti']!, '--store', fx.store, '--data-dir', fx.dir, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error \[SUBJECT_REDACTED\]: --feature-set .*subject SUBJ-SR-2 of trial TRIAL-SR was redacted/);
  assert.equal(existsSync(out), false);
  assert.equal((await fx.runtime.store.head()).size, before);
  const unknown = cli(['export', '--format', 'dicom-sr', '--feature-set', 'no-such-set', '--store', fx.store, '--data-dir', fx.dir, '--out', out]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /NOT_FOUND.*--feature-set no-such-set/);
});
