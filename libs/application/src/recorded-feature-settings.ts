import type { IbsiSettings } from '@radledger/domain';
import { defaultRadiomicsSettings, parseRadiomicsSettings, SAMPLED_SPATIAL_AUTOCORRELATION_MAX_VOXELS, type RadiomicsSettings } from '@radledger/radiomics';

/** What a recorded feature set is re-computed with, and where that came from. */
export interface ReproductionSettings {
  settings: RadiomicsSettings;
  /**
   * `extractorSettings`: the exact configuration the extraction ran with, as recorded.
   * `summary`: an older event without it; the IBSI summary (FeaturesComputed.settings) is
   * mapped onto the default configuration and the rest is listed in `assumptions`.
   */
  settingsSource: 'extractorSettings' | 'summary';
  /** Settings that were not in the event and were taken from the defaults (empty for `extractorSettings`). */
  assumptions: string[];
}

/**
 * The defaults events without extractorSettings were computed with: today's, except Moran's
 * I and Geary's C, which were sampled above 8000 voxels until they became exact (ADR 0012).
 */
export function summaryEraDefaults(): RadiomicsSettings {
  return { ...defaultRadiomicsSettings(), morphology: { spatialAutocorrelationMaxVoxels: SAMPLED_SPATIAL_AUTOCORRELATION_MAX_VOXELS } };
}

/**
 * The settings to repeat a recorded extraction with: `extractorSettings` verbatim when the
 * event has them (validated against the radiomics settings schema: a configuration that no
 * longer parses is not silently repaired), otherwise the summary mapped onto the defaults.
 */
export function reproductionSettings(recorded: { settings: unknown; extractorSettings?: unknown }, base: RadiomicsSettings = summaryEraDefaults()): ReproductionSettings {
  if (recorded.extractorSettings !== undefined && recorded.extractorSettings !== null) {
    return { settings: parseRadiomicsSettings(recorded.extractorSettings), settingsSource: 'extractorSettings', assumptions: [] };
  }
  const { settings, assumptions } = radiomicsSettingsFromSummary(recorded.settings as IbsiSettings, base);
  return { settings, settingsSource: 'summary', assumptions };
}

/**
 * RadiomicsSettings from the IBSI summary FeaturesComputed records (libs/domain IbsiSettings,
 * the inverse of `ibsiSettingsSummary`). The summary holds the settings that change values
 * most (resampling, interpolation, discretisation, re-segmentation, aggregation); everything
 * else comes from `base` and is named in `assumptions`, so a reader sees which inputs were
 * not in the ledger.
 */
export function radiomicsSettingsFromSummary(recorded: IbsiSettings, base: RadiomicsSettings = summaryEraDefaults()): { settings: RadiomicsSettings; assumptions: string[] } {
  const interpolation = (i: IbsiSettings['interpolation']['image']): 'nearest' | 'linear' | 'cubic-spline' => (i === 'nearest' ? 'nearest' : i === 'cubic' || i === 'bspline' ? 'cubic-spline' : 'linear');
  const d = recorded.discretisation;
  // Open bounds are recorded as ±Number.MAX_VALUE (JSON has no infinity).
  const finite = (v: number) => (Math.abs(v) >= Number.MAX_VALUE ? null : v);
  const lowerBound = recorded.resegmentationRange ? finite(recorded.resegmentationRange.min) : null;
  const settings: RadiomicsSettings = {
    ...base,
    resampling:
      recorded.resamplingMm === null
        ? { method: 'none' }
        : {
            method: 'resample',
            spacing: recorded.resamplingMm,
            imageInterpolation: interpolation(recorded.interpolation.image),
            maskInterpolation: recorded.interpolation.mask === 'linear' ? 'linear' : 'nearest',
            partialVolumeThreshold: recorded.interpolation.maskThreshold ?? 0.5,
            intensityRounding: 'none',
          },
    reSegmentation: {
      range: recorded.resegmentationRange ? [finite(recorded.resegmentationRange.min), finite(recorded.resegmentationRange.max)] : null,
      outlierFiltering: recorded.outlierSigma === null ? { method: 'none' } : { method: 'sigma', sigma: recorded.outlierSigma },
    },
    discretisation: {
      ...base.discretisation,
      textureAndHistogram:
        d.method === 'fixed-bin-size' ? { method: 'fixed-bin-size', width: d.binWidth ?? 1, lowerBound } : d.method === 'none' ? { method: 'none' } : { method: 'fixed-bin-number', bins: d.binCount ?? 32 },
    },
    texture: { ...base.texture, aggregation: [recorded.aggregation] },
  };
  const assumptions = [
    `sliceMode ${base.sliceMode}`,
    `intensity normalisation ${base.intensityNormalisation.method}`,
    `intensity-volume histogram discretisation ${JSON.stringify(base.discretisation.intensityVolumeHistogram)}`,
    `texture distances glcm ${base.texture.glcmDistance} ngtdm ${base.texture.ngtdmDistance} ngldm ${base.texture.ngldmDistance} (alpha ${base.texture.ngldmCoarseness}), zone linkage ${base.texture.zoneLinkageDistance}`,
    `morphology spatial autocorrelation ${base.morphology.spatialAutocorrelationMaxVoxels === null ? 'exact (every voxel pair)' : `sampled above ${base.morphology.spatialAutocorrelationMaxVoxels} voxels`}`,
    `families ${base.families.join(', ')}`,
  ].map((a) => `not recorded in FeaturesComputed (no extractorSettings), taken from the defaults: ${a}`);
  return { settings, assumptions };
}
