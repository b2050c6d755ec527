import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readDicomSeries } from '../io/dicom-series.reader.js';
import { writeCtSlice } from '../io/dicom.fixture.js';
import { extractFeatures } from '../pipeline/extract-features.js';
import { defaultRadiomicsSettings } from '../settings/radiomics-settings.js';
import { readDicomSeg, segmentMask } from './dicom-seg.reader.js';
import { writeDicomSeg } from './dicom-seg.writer.js';
import { writeDicomSr } from './dicom-sr.writer.js';

/**
 * Our DICOM-SEG and SR checked by independent validators from Debian's packages:
 * dciodvfy (dicom3tools: IOD and module conformance) and dsrdump (dcmtk: SR content tree).
 * Needs `apt-get install -y dicom3tools dcmtk` (.ci/run does it); run with
 * `npm run test:conformance`.
 */
const dir = mkdtempSync(join(tmpdir(), 'radledger-dicom-conformance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rows = 16;
const cols = 12;
const slices = [0, 3, 6, 9, 12];
const image = readDicomSeries(
  slices.map((z) => ({
    name: `ct-${z}.dcm`,
    bytes: writeCtSlice(rows, cols, { z, pixels: Int16Array.from({ length: rows * cols }, (_, i) => 1000 + ((i * 37 + z * 11) % 90) + (i % cols) * 3) }),
  })),
);
const n = rows * cols * slices.length;
const inBox = (i: number, x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): boolean => {
  const x = i % cols, y = Math.floor(i / cols) % rows, z = Math.floor(i / (rows * cols));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1;
};
const tumour = Uint8Array.from({ length: n }, (_, i) => (inBox(i, 2, 8, 3, 11, 1, 3) ? 1 : 0));
const oedema = Uint8Array.from({ length: n }, (_, i) => (inBox(i, 1, 9, 1, 13, 0, 4) && !tumour[i] ? 1 : 0));
const software = { name: 'RadLedger', version: '0.1.0' };
const createdAt = new Date('2026-05-04T12:00:00.000Z');

const seg = writeDicomSeg({
  geometry: image.geometry,
  segments: [
    { number: 1, label: 'enhancing tumour', mask: tumour, algorithmType: 'MANUAL' },
    { number: 2, label: 'oedema', mask: oedema, algorithmType: 'SEMIAUTOMATIC', algorithmName: 'region growing' },
  ],
  source: image.dicom!,
  createdAt,
  uidSeed: 'conformance-mask',
  software,
});
const probability = Float64Array.from(tumour, (v, i) => (v ? 0.5 + 0.5 * ((i % 7) / 6) : inBox(i, 1, 9, 2, 12, 1, 3) ? 0.2 : 0));
const fractional = writeDicomSeg({
  geometry: image.geometry,
  segments: [{ number: 1, label: 'tumour probability', mask: probability, algorithmType: 'AUTOMATIC', algorithmName: 'model v3' }],
  source: image.dicom!,
  fractionalType: 'PROBABILITY',
  createdAt,
  uidSeed: 'conformance-probability',
  software,
});
const settings = defaultRadiomicsSettings();
const mask = (data: Uint8Array) => ({ dims: image.volume.dims, spacing: image.volume.spacing, data });
const tumourFeatures = extractFeatures(image.volume, mask(tumour), settings).features;
const oedemaFeatures = extractFeatures(image.volume, mask(oedema), { ...settings, families: ['morphology', 'intensity-statistics', 'glcm'] }).features;
const sr = writeDicomSr({
  groups: [
    { trackingIdentifier: 'enhancing tumour', segment: { sopInstanceUid: seg.sopInstanceUid, segmentNumber: 1, seriesInstanceUid: seg.seriesInstanceUid }, features: tumourFeatures },
    { trackingIdentifier: 'oedema', segment: { sopInstanceUid: seg.sopInstanceUid, segmentNumber: 2, seriesInstanceUid: seg.seriesInstanceUid }, features: oedemaFeatures },
  ],
  source: image.dicom!,
  createdAt,
  uidSeed: 'conformance-feature-set',
  software,
  algorithm: { name: 'RadLedger IBSI extractor', version: software.version, parameters: JSON.stringify(settings) },
});

const files = { seg: join(dir, 'seg.dcm'), fractional: join(dir, 'seg-fractional.dcm'), sr: join(dir, 'sr.dcm') };
writeFileSync(files.seg, seg.bytes);
writeFileSync(files.fractional, fractional.bytes);
writeFileSync(files.sr, sr.bytes);

/** dciodvfy prints "Error - …" per violation and "Warning - …" per advisory. */
function dciodvfy(path: string): { errors: string[]; warnings: string[]; iod: string } {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  assert.equal(run.error, undefined, 'dciodvfy is installed (apt-get install -y dicom3tools)');
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter(Boolean);
  return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)), iod: lines.find((l) => !/^(Error|Warning)/.test(l)) ?? '' };
}

for (const [what, path, iod] of [
  ['binary DICOM-SEG (two segments)', files.seg, 'Segmentation'],
  ['fractional DICOM-SEG', files.fractional, 'Segmentation'],
  ['DICOM SR TID 1500', files.sr, 'EnhancedSR'],
] as const) {
  test(`dciodvfy finds no error in our ${what}`, () => {
    const result = dciodvfy(path);
    assert.equal(result.iod, iod);
    assert.deepEqual(result.errors, []);
    // The only advisories: the fixture series has no study date, time or ID (Type 2, copied as empty).
    assert.deepEqual(result.warnings.filter((w) => !/needed to build DICOMDIR - Study (Date|Time|ID)$/.test(w)), []);
  });
}

test('our SEG → our reader → the same masks', () => {
  const read = readDicomSeg(seg.bytes, { image });
  assert.deepEqual(segmentMask(read, 1).data, tumour);
  assert.deepEqual(segmentMask(read, 2).data, oedema);
});

test("our SR → dcmtk's dsrdump → the same template, IBSI codes and values, without warnings", () => {
  const run = spawnSync('dsrdump', ['+Pc', '+Pt', files.sr], { encoding: 'utf8' });
  assert.equal(run.error, undefined, 'dsrdump is installed (apt-get install -y dcmtk)');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  const dump = run.stdout;
  assert.match(dump, /<CONTAINER:\(126000,DCM,"Imaging Measurement Report"\)=SEPARATE> {2}# TID 1500 \(DCMR\)/);
  assert.match(dump, /<has obs context TEXT:\(121013,DCM,"Device Observer Name"\)="RadLedger">/);
  assert.match(dump, /<has obs context TEXT:\(121015,DCM,"Device Observer Model Name"\)="RadLedger 0\.1\.0">/);
  assert.match(dump, /<contains IMAGE:\(121191,DCM,"Referenced Segment"\)=\(SG image,,2\)>/);
  assert.match(dump, new RegExp(`<contains UIDREF:\\(121232,DCM,"Source series for segmentation"\\)="${image.dicom!.seriesInstanceUid.replace(/\./g, '\\.')}">`));

  // Parse each measurement group's NUM items back into IBSI keys.
  const groups: Record<string, number>[] = [];
  let last: { group: Record<string, number>; key: string } | undefined;
  for (const line of dump.split('\n')) {
    if (/<contains CONTAINER:\(125007,DCM,"Measurement Group"\)/.test(line)) groups.push({});
    const num = /<contains NUM:\(([^,]+),IBSI,"([^"]*)"\)="([^"]*)"/.exec(line);
    if (num) {
      const percent = /\((\d+)%\)$/.exec(num[2]!);
      const key = percent ? `${num[1]}_${percent[1]}` : num[1]!;
      groups.at(-1)![key] = Number(num[3]);
      last = { group: groups.at(-1)!, key };
      continue;
    }
    const method = /<has concept mod CODE:\(370129005,SCT,"Measurement Method"\)=\(([^,]+),IBSI,/.exec(line);
    if (method && last) {
      const value = last.group[last.key]!;
      delete last.group[last.key];
      last.group[`${last.key}@${method[1]}`] = value;
    }
  }
  assert.equal(groups.length, 2);
  for (const [parsed, features] of [[groups[0]!, tumourFeatures], [groups[1]!, oedemaFeatures]] as const) {
    const finite = Object.keys(features).filter((k) => Number.isFinite(features[k]!)).sort();
    assert.deepEqual(Object.keys(parsed).filter((k) => !Number.isNaN(parsed[k]!)).sort(), finite);
    for (const key of finite) {
      const want = features[key]!;
      assert.ok(Math.abs(parsed[key]! - want) <= 1e-11 * Math.max(1, Math.abs(want)), `${key}: dump ${parsed[key]}, computed ${want}`);
    }
  }
});

test('dcmtk reads the SEG too (dcmdump: Segmentation Storage, 2 segments)', () => {
  const dump = execFileSync('dcmdump', ['+P', '0062,0004', files.seg], { encoding: 'utf8' });
  assert.deepEqual(dump.trim().split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()), ['(0062,0004) US 1', '(0062,0004) US 2']);
});
