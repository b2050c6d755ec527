import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { defaultRadiomicsSettings, parseRadiomicsSettings } from './radiomics-settings.js';
import { radiomicsSettingsSchema } from './radiomics-settings.schema.js';

test('the committed schema equals the TypeScript schema', () => {
  const committed = JSON.parse(readFileSync(join(process.cwd(), 'schemas', 'radiomics-settings.schema.json'), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(radiomicsSettingsSchema)));
});

test('every shipped settings file and the default settings are valid', () => {
  const dir = join(process.cwd(), 'settings');
  const files = readdirSync(dir).filter((f) => /^(ibsi|pyradiomics)-.*\.json$/.test(f)).sort();
  assert.deepEqual(files, [
    'ibsi-ct-config-A.json',
    'ibsi-ct-config-B.json',
    'ibsi-ct-config-C.json',
    'ibsi-ct-config-D.json',
    'ibsi-ct-config-E.json',
    'ibsi-digital-phantom.json',
    'pyradiomics-baseline-normalization.json',
    'pyradiomics-baseline.json',
    'pyradiomics-default.json',
  ]);
  for (const f of files) parseRadiomicsSettings(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  parseRadiomicsSettings(defaultRadiomicsSettings());
});

test('the CT configurations follow the IBSI chapter 1 table', () => {
  const read = (c: string) => parseRadiomicsSettings(JSON.parse(readFileSync(join(process.cwd(), 'settings', `ibsi-ct-config-${c}.json`), 'utf8')));
  const a = read('A');
  assert.equal(a.sliceMode, '2D');
  assert.deepEqual(a.reSegmentation.range, [-500, 400]);
  assert.deepEqual(a.discretisation.textureAndHistogram, { method: 'fixed-bin-size', width: 25, lowerBound: -500 });
  const b = read('B');
  assert.deepEqual(b.resampling.method === 'resample' && b.resampling.spacing, [2, 2, null]);
  const c = read('C');
  assert.deepEqual(c.discretisation.intensityVolumeHistogram, { method: 'fixed-bin-size', width: 2.5, lowerBound: -1000 });
  const d = read('D');
  assert.deepEqual(d.reSegmentation, { range: null, outlierFiltering: { method: 'sigma', sigma: 3 } });
  const e = read('E');
  assert.equal(e.resampling.method === 'resample' && e.resampling.imageInterpolation, 'cubic-spline');
  assert.deepEqual(e.discretisation.intensityVolumeHistogram, { method: 'fixed-bin-number', bins: 1000 });
});

test('an invalid settings object is SETTINGS_INVALID naming the field', () => {
  const s = defaultRadiomicsSettings() as unknown as Record<string, unknown>;
  const bad = { ...s, discretisation: { textureAndHistogram: { method: 'fixed-bin-number', bins: 0 }, intensityVolumeHistogram: { method: 'none' } } };
  assert.throws(
    () => parseRadiomicsSettings(bad),
    (e: unknown) => e instanceof RadiomicsInputError && e.code === 'SETTINGS_INVALID' && e.message.includes('/discretisation/textureAndHistogram'),
  );
  assert.throws(() => parseRadiomicsSettings({ ...s, extra: 1 }), /SETTINGS_INVALID|additional/);
});

test('an unknown settings key is named in the error, at any depth and inside a oneOf variant', () => {
  const s = defaultRadiomicsSettings() as unknown as Record<string, unknown>;
  const message = (value: unknown): string => {
    try {
      parseRadiomicsSettings(value);
    } catch (error) {
      assert.ok(error instanceof RadiomicsInputError && error.code === 'SETTINGS_INVALID');
      return error.message;
    }
    return assert.fail('expected SETTINGS_INVALID');
  };
  assert.equal(message({ ...s, binWidth: 25 }), 'settings /: unknown property "binWidth" (must NOT have additional properties)');
  assert.match(message({ ...s, texture: { ...(s.texture as object), glcmDistances: [1] } }), /^settings \/texture: unknown property "glcmDistances"/);
  const discretisation = { textureAndHistogram: { method: 'fixed-bin-size', width: 25, lowerBound: null, anchor: 'zero' }, intensityVolumeHistogram: { method: 'none' } };
  assert.match(message({ ...s, discretisation }), /^settings \/discretisation\/textureAndHistogram: unknown property "anchor"/);
});

test('compatibility pyradiomics refuses an explicit FBS lower bound and a texture set without 3D-averaged', () => {
  const py = JSON.parse(readFileSync(join(process.cwd(), 'settings', 'pyradiomics-default.json'), 'utf8'));
  assert.deepEqual(parseRadiomicsSettings(py).compatibility, { mode: 'pyradiomics', voxelArrayShift: 0 });
  const fbs = { method: 'fixed-bin-size', width: 25, lowerBound: 0 };
  assert.throws(() => parseRadiomicsSettings({ ...py, discretisation: { ...py.discretisation, textureAndHistogram: fbs } }), /lowerBound: must be null with compatibility pyradiomics/);
  assert.throws(() => parseRadiomicsSettings({ ...py, texture: { ...py.texture, aggregation: ['3D-merged'] } }), /must include 3D-averaged/);
  assert.throws(() => parseRadiomicsSettings({ ...py, compatibility: { mode: 'pyradiomics' } }), /settings \/compatibility: must have required property 'voxelArrayShift'/);
});
