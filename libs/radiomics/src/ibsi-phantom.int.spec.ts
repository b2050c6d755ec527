/**
 * The IBSI digital phantom (libs/radiomics/testdata/ibsi-phantom/): every reference row of
 * digital_phantom_reference.csv must be reproduced within its tolerance (tolerance 0: the
 * value rounded to 3 significant figures equals the printed value). One test per family,
 * so a miss names its family; no row is skipped.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  extractFeatures,
  maskFromLabels,
  parseRadiomicsSettings,
  readNifti,
  type FeatureExtraction,
} from './index.js';

const IBSI = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'ibsi-phantom');

interface ReferenceRow {
  family: string;
  featureName: string;
  code: string;
  value: number;
  tolerance: number;
  aggregationCode: string;
  tag: string;
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function referenceRows(): ReferenceRow[] {
  const lines = readFileSync(join(IBSI, 'digital_phantom_reference.csv'), 'utf8').trim().split(/\r?\n/);
  const header = parseCsvLine(lines[0]!);
  const col = (name: string): number => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = parseCsvLine(line);
    return {
      family: f[col('family')]!,
      featureName: f[col('feature_name')]!,
      code: f[col('ibsi_code')]!,
      value: Number(f[col('value')]),
      tolerance: Number(f[col('tolerance')]),
      aggregationCode: f[col('aggregation_code')]!,
      tag: f[col('ibsi_tag')]!,
    };
  });
}

/**
 * Rows whose output key is not their ibsi_code column. IBSI gives one code to the two
 * parameterisations of BC2M and GBPN (README note 6). For the discretised 10th/90th
 * percentiles the online manual (and so the CSV) prints 1PR8/GPMT, which repeats the
 * minimum's code 1PR8; the DICOM radiomics code list and MIRP use GPMT (10th) and OZ0C
 * (90th), which we follow so each key is unique.
 */
const KEY_BY_TAG: Record<string, string> = {
  'ih.P10': 'GPMT',
  'ih.P90': 'OZ0C',
  'ivh.V10': 'BC2M_10',
  'ivh.V90': 'BC2M_90',
  'ivh.I10': 'GBPN_10',
  'ivh.I90': 'GBPN_90',
};

const keyOfRow = (row: ReferenceRow): string =>
  KEY_BY_TAG[row.tag] ?? (row.aggregationCode ? `${row.code}@${row.aggregationCode}` : row.code);

/** Implemented features without a digital-phantom reference value, with the reason. */
const NOT_IN_REFERENCE: Record<string, string> = {};

function matches(computed: number | undefined, row: ReferenceRow): boolean {
  if (computed === undefined || !Number.isFinite(computed)) return false;
  if (row.tolerance > 0) return Math.abs(computed - row.value) <= row.tolerance * (1 + 1e-9);
  return Number(computed.toPrecision(3)) === Number(row.value.toPrecision(3));
}

const rows = referenceRows();
let result: FeatureExtraction;

before(() => {
  const dir = join(IBSI, 'ibsi_1_digital_phantom', 'nifti');
  const image = readNifti(readFileSync(join(dir, 'image', 'phantom.nii.gz')), 'phantom.nii.gz');
  const mask = maskFromLabels(readNifti(readFileSync(join(dir, 'mask', 'mask.nii.gz')), 'mask.nii.gz'), 1);
  const settings = parseRadiomicsSettings(
    JSON.parse(readFileSync(join(process.cwd(), 'settings', 'ibsi-digital-phantom.json'), 'utf8')),
  );
  result = extractFeatures(image.volume, mask, settings);
  const lines = rows.map((row) => {
    const key = keyOfRow(row);
    const v = result.features[key];
    return `${matches(v, row) ? 'MATCH' : 'MISS '} ${row.family.padEnd(28)} ${key.padEnd(12)} ref ${String(row.value).padStart(9)} ±${String(row.tolerance).padEnd(7)} got ${v === undefined ? 'missing' : v.toPrecision(6)}`;
  });
  const nMatch = lines.filter((l) => l.startsWith('MATCH')).length;
  console.log(`IBSI digital phantom: ${nMatch}/${rows.length} reference rows match\n${lines.join('\n')}`);
});

const FAMILIES = [...new Set(rows.map((r) => r.family))];
for (const family of FAMILIES) {
  test(`IBSI digital phantom, ${family}: every reference row within tolerance`, () => {
    const misses = rows
      .filter((r) => r.family === family)
      .filter((r) => !matches(result.features[keyOfRow(r)], r))
      .map((r) => `${keyOfRow(r)} (${r.featureName}): ref ${r.value} ±${r.tolerance}, got ${result.features[keyOfRow(r)] ?? 'missing'}`);
    assert.deepEqual(misses, []);
  });
}

test('completeness: every reference row has a computed feature', () => {
  const missing = rows.map(keyOfRow).filter((k) => !(k in result.features));
  assert.deepEqual(missing, []);
});

test('completeness: every computed feature has a reference row or a stated reason', () => {
  const referenced = new Set(rows.map(keyOfRow));
  const unreferenced = Object.keys(result.features).filter((k) => !referenced.has(k) && !(k in NOT_IN_REFERENCE));
  assert.deepEqual(unreferenced, []);
});

test('every computed feature has a name', () => {
  assert.deepEqual(Object.keys(result.features).sort(), Object.keys(result.names).sort());
});

test('the extraction is deterministic: a second run gives bitwise the same numbers', () => {
  const dir = join(IBSI, 'ibsi_1_digital_phantom', 'nifti');
  const image = readNifti(readFileSync(join(dir, 'image', 'phantom.nii.gz')));
  const mask = maskFromLabels(readNifti(readFileSync(join(dir, 'mask', 'mask.nii.gz'))), 1);
  const again = extractFeatures(image.volume, mask, result.settings);
  assert.equal(JSON.stringify(again.features), JSON.stringify(result.features));
});
