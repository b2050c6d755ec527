import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { maskFromLabels } from './io/nifti.reader.js';
import { readNrrd } from './io/nrrd.reader.js';
import { extractFeatures } from './pipeline/extract-features.js';
import { parseRadiomicsSettings } from './settings/radiomics-settings.js';

/**
 * PyRadiomics' own brain MR test cases against its committed baselines
 * (testdata/pyradiomics/README.md). One settings file per baseline configuration, the same
 * for every case. First-order and texture features: 1e-6 relative. Mesh-based shape
 * features: the documented marching-cubes difference (README "PyRadiomics compatibility").
 */
const testdata = new URL('../testdata/pyradiomics/', import.meta.url);
const rows = readFileSync(new URL('baseline-brain.csv', testdata), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(','));
const header = rows[0]!;

/** Relative tolerance of the mesh-based features: our marching cubes triangulates differently. */
const MESH_TOLERANCE: Record<string, number> = {
  original_shape_MeshVolume: 0.005,
  original_shape_SurfaceArea: 0.01,
  original_shape_SurfaceVolumeRatio: 0.01,
  original_shape_Sphericity: 0.01,
};

const settingsFile = (name: string) =>
  parseRadiomicsSettings(JSON.parse(readFileSync(new URL(`../../../settings/${name}`, import.meta.url), 'utf8')));

const cases = [
  { column: 'brain1', settings: 'pyradiomics-baseline.json' },
  { column: 'brain2', settings: 'pyradiomics-baseline.json' },
  { column: 'brain1_normalization', settings: 'pyradiomics-baseline-normalization.json' },
  { column: 'brain2_normalization', settings: 'pyradiomics-baseline-normalization.json' },
];

for (const { column, settings } of cases) {
  test(`${column}: every baseline feature within tolerance (${settings})`, () => {
    const subject = column.split('_')[0]!;
    const image = readNrrd(new Uint8Array(readFileSync(new URL(`${subject}_image.nrrd`, testdata))), `${subject}_image.nrrd`);
    const labels = readNrrd(new Uint8Array(readFileSync(new URL(`${subject}_label.nrrd`, testdata))), `${subject}_label.nrrd`);
    const result = extractFeatures(image.volume, maskFromLabels(labels, 1), settingsFile(settings));
    const col = header.indexOf(column);
    const misses: string[] = [];
    let checked = 0;
    for (const row of rows.slice(1)) {
      const [family, name] = row;
      if (row[col] === '') continue; // the normalisation baselines have no shape column
      const want = Number(row[col]);
      const got = result.features[name!];
      const tolerance = MESH_TOLERANCE[name!] ?? 1e-6;
      const relative = got === undefined ? Infinity : Math.abs(got - want) / Math.abs(want);
      checked++;
      if (!(relative <= tolerance)) misses.push(`${family} ${name}: baseline ${want}, ours ${got} (relative ${relative.toExponential(2)} > ${tolerance})`);
    }
    assert.deepEqual(misses, []);
    assert.ok(checked >= (column.includes('normalization') ? 93 : 107), `checked ${checked} features`);
  });
}

test('PyRadiomics names are the keys; each maps to its IBSI key where the quantity is the same', () => {
  const image = readNrrd(new Uint8Array(readFileSync(new URL('brain2_image.nrrd', testdata))));
  const labels = readNrrd(new Uint8Array(readFileSync(new URL('brain2_label.nrrd', testdata))));
  const s = settingsFile('pyradiomics-baseline.json');
  const result = extractFeatures(image.volume, maskFromLabels(labels, 1), { ...s, families: ['intensity-statistics', 'glcm'] });
  assert.ok(Object.keys(result.features).every((k) => /^original_(firstorder|glcm)_[A-Za-z0-9]+$/.test(k)));
  assert.equal(result.ibsiKeys?.original_glcm_Contrast, 'ACUI@ITBB');
  assert.equal(result.ibsiKeys?.original_firstorder_Mean, 'Q4LE');
  assert.equal(result.ibsiKeys?.original_firstorder_Kurtosis, undefined);
  assert.match(result.names.original_firstorder_Kurtosis!, /IPH6 \+ 3/);
});
