import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ibsiSettingsSummary } from '@radledger/domain';
import { defaultRadiomicsSettings, type RadiomicsSettings } from '@radledger/radiomics';
import { radiomicsSettingsFromSummary, reproductionSettings, summaryEraDefaults } from './recorded-feature-settings.js';

const positive = fc.double({ min: 0.1, max: 10, noNaN: true });
const bound = fc.option(fc.double({ min: -1000, max: 1000, noNaN: true }), { nil: null });

/** Configurations whose every field the IBSI summary records (the rest stays at the defaults). */
const summarisable: fc.Arbitrary<RadiomicsSettings> = fc
  .record({
    resampling: fc.oneof(
      fc.constant({ method: 'none' as const }),
      fc.record({
        method: fc.constant('resample' as const),
        spacing: fc.tuple(positive, positive, fc.option(positive, { nil: null })),
        imageInterpolation: fc.constantFrom('nearest' as const, 'linear' as const, 'cubic-spline' as const),
        maskInterpolation: fc.constantFrom('nearest' as const, 'linear' as const),
        partialVolumeThreshold: fc.double({ min: 0.01, max: 1, noNaN: true }),
        intensityRounding: fc.constant('none' as const),
      }, { noNullPrototype: true }),
    ),
    range: fc.option(fc.tuple(bound, bound), { nil: null }),
    sigma: fc.option(positive, { nil: null }),
    discretisation: fc.oneof(fc.record({ method: fc.constant('fixed-bin-number' as const), bins: fc.integer({ min: 2, max: 256 }) }, { noNullPrototype: true }), fc.record({ method: fc.constant('fixed-bin-size' as const), width: positive }, { noNullPrototype: true }), fc.constant({ method: 'none' as const })),
    aggregation: fc.constantFrom('2D-averaged' as const, '2D-slice-merged' as const, '2.5D-direction-merged' as const, '2.5D-merged' as const, '3D-averaged' as const, '3D-merged' as const),
  })
  .map(({ resampling, range, sigma, discretisation, aggregation }) => {
    const base = summaryEraDefaults();
    return {
      ...base,
      resampling,
      reSegmentation: { range, outlierFiltering: sigma === null ? { method: 'none' as const } : { method: 'sigma' as const, sigma } },
      // IBSI 2.7: a fixed bin size starts at the re-segmentation minimum (the summary records no other).
      discretisation: { ...base.discretisation, textureAndHistogram: discretisation.method === 'fixed-bin-size' ? { ...discretisation, lowerBound: range?.[0] ?? null } : discretisation },
      texture: { ...base.texture, aggregation: [aggregation] },
    };
  });

test('the summary mapping inverts ibsiSettingsSummary for every configuration the summary can describe', () => {
  fc.assert(
    fc.property(summarisable, (settings) => {
      assert.deepEqual(radiomicsSettingsFromSummary(ibsiSettingsSummary(settings)).settings, settings);
    }),
  );
});

test('recorded extractorSettings are used verbatim, with nothing assumed; older events fall back to the summary and say what was assumed', () => {
  const exact: RadiomicsSettings = { ...defaultRadiomicsSettings(), sliceMode: '2D', texture: { ...defaultRadiomicsSettings().texture, glcmDistance: 3, aggregation: ['2D-averaged'] } };
  const summary = ibsiSettingsSummary(exact);

  const fromExact = reproductionSettings({ settings: summary, extractorSettings: exact });
  assert.equal(fromExact.settingsSource, 'extractorSettings');
  assert.deepEqual(fromExact.settings, exact);
  assert.deepEqual(fromExact.assumptions, []);
  assert.equal(fromExact.settings.morphology.spatialAutocorrelationMaxVoxels, null); // today's default: exact
  // A configuration recorded with the sampled method keeps it.
  const sampled: RadiomicsSettings = { ...exact, morphology: { spatialAutocorrelationMaxVoxels: 8000 } };
  assert.deepEqual(reproductionSettings({ settings: summary, extractorSettings: sampled }).settings, sampled);

  for (const older of [{ settings: summary }, { settings: summary, extractorSettings: null }]) {
    const fallback = reproductionSettings(older);
    assert.equal(fallback.settingsSource, 'summary');
    // What the summary does not hold comes from the defaults, and is listed.
    assert.equal(fallback.settings.sliceMode, '3D');
    assert.equal(fallback.settings.texture.glcmDistance, 1);
    assert.ok(fallback.assumptions.some((a) => a.includes('sliceMode 3D')));
    assert.ok(fallback.assumptions.some((a) => a.includes('glcm 1')));
    // Those events predate exact Moran's I / Geary's C: they were computed with the sampled method (ADR 0012).
    assert.equal(fallback.settings.morphology.spatialAutocorrelationMaxVoxels, 8000);
    assert.ok(fallback.assumptions.some((a) => a.includes('spatial autocorrelation sampled above 8000 voxels')));
    assert.ok(fallback.assumptions.every((a) => a.startsWith('not recorded in FeaturesComputed')));
  }
});

test('recorded extractorSettings that are not a valid configuration are refused, not repaired', () => {
  assert.throws(
    () => reproductionSettings({ settings: ibsiSettingsSummary(defaultRadiomicsSettings()), extractorSettings: { ...defaultRadiomicsSettings(), sliceMode: '4D' } }),
    (e: unknown) => (e as { code?: string }).code === 'SETTINGS_INVALID',
  );
});
