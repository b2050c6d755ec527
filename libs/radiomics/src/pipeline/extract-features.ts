import { computeIntensityHistogram } from '../features/intensity-histogram.features.js';
import { computeIntensityStatistics } from '../features/intensity-statistics.features.js';
import { computeIntensityVolumeHistogram } from '../features/intensity-volume-histogram.features.js';
import { computeLocalIntensity } from '../features/local-intensity.features.js';
import { computeMorphology } from '../features/morphology.features.js';
import {
  computeGlcmFeatures,
  computeGldzmFeatures,
  computeGlrlmFeatures,
  computeGlszmFeatures,
  computeNgldmFeatures,
  computeNgtdmFeatures,
  type MatrixAggregation,
  type SliceAggregation,
} from '../features/texture/index.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { RadiomicsSettings } from '../settings/radiomics-settings.js';
import { ALL_FEATURE_FAMILIES, type FeatureFamily, type FeatureValues, type Mask, type Volume } from '../volume.js';
import { aggregationCodesFor, featureNames } from './feature-registry.js';
import { prepareRoi, type PreparedRoi } from './prepare-roi.js';
import { toPyradiomicsFeatures } from './pyradiomics-compat.js';

export interface ExtractionProgress {
  /** The step just started: 'preprocessing' or a feature family. */
  step: 'preprocessing' | FeatureFamily;
  done: number;
  total: number;
}

export interface FeatureExtraction {
  settings: RadiomicsSettings;
  /** Keyed by IBSI code (`<code>@<aggregation>` for texture), or by PyRadiomics name in compatibility pyradiomics. */
  features: FeatureValues;
  names: Record<string, string>;
  /** Compatibility pyradiomics only: PyRadiomics name → IBSI key of the same quantity. */
  ibsiKeys?: Record<string, string>;
}

/**
 * IBSI chapter 1 end to end: preprocessing (prepareRoi) then each requested family in the
 * fixed IBSI order. Deterministic: the same image, mask and settings give bitwise the same
 * numbers (fixed iteration order, no randomness, no parallel reductions).
 */
export function extractFeatures(
  image: Volume,
  mask: Mask,
  settings: RadiomicsSettings,
  onProgress?: (progress: ExtractionProgress) => void,
): FeatureExtraction {
  const families = FAMILY_ORDER.filter((f) => settings.families.includes(f));
  const total = families.length + 1;
  onProgress?.({ step: 'preprocessing', done: 0, total });
  const roi = prepareRoi(image, mask, settings);
  const features: FeatureValues = {};
  families.forEach((family, k) => {
    onProgress?.({ step: family, done: k + 1, total });
    Object.assign(features, computeFamily(family, roi, settings));
  });
  const names = featureNames({ ...settings, families });
  if (settings.compatibility?.mode === 'pyradiomics') {
    return { settings, ...toPyradiomicsFeatures(features, names, roi, { ...settings, families }) };
  }
  return { settings, features, names };
}

/** Families are computed in IBSI order. */
export const FAMILY_ORDER: readonly FeatureFamily[] = ALL_FEATURE_FAMILIES;

/** Computes one family on a prepared ROI (exported for the per-family benchmark). */
export function computeFamily(family: FeatureFamily, roi: PreparedRoi, settings: RadiomicsSettings): FeatureValues {
  const t = settings.texture;
  const matrixAggs = () => aggregationCodesFor(family, settings) as MatrixAggregation[];
  const sliceAggs = () => aggregationCodesFor(family, settings) as SliceAggregation[];
  switch (family) {
    case 'morphology':
      return computeMorphology({
        image: roi.image,
        morphologicalMask: roi.morphologicalMask,
        intensityMask: roi.intensityMask,
        spatialAutocorrelationMaxVoxels: settings.morphology.spatialAutocorrelationMaxVoxels,
        // PyRadiomics shape.py: covariance of the voxel coordinates divided by N.
        axisCovariance: settings.compatibility?.mode === 'pyradiomics' ? 'population' : 'sample',
        within: roi.roiBounds,
      });
    case 'local-intensity':
      return computeLocalIntensity(roi.image, roi.intensityMask, roi.roiBounds);
    case 'intensity-statistics':
      return computeIntensityStatistics(roi.roiValues);
    case 'intensity-histogram':
      return computeIntensityHistogram(Float64Array.from(roi.roiLevels), roi.texture.nGreyLevels);
    case 'intensity-volume-histogram':
      return computeIntensityVolumeHistogram(roi.ivh);
    case 'glcm':
      return matrixAggs().length
        ? computeGlcmFeatures(roi.texture, { aggregations: matrixAggs(), distance: t.glcmDistance, symmetric: t.glcmSymmetric })
        : {};
    case 'glrlm':
      return matrixAggs().length ? computeGlrlmFeatures(roi.texture, { aggregations: matrixAggs() }) : {};
    case 'glszm':
      return sliceAggs().length ? computeGlszmFeatures(roi.texture, { aggregations: sliceAggs() }) : {};
    case 'gldzm':
      return sliceAggs().length
        ? computeGldzmFeatures(roi.texture, {
            aggregations: sliceAggs(),
            morphologicalMask: roi.textureMorphologicalMask,
          })
        : {};
    case 'ngtdm':
      return sliceAggs().length
        ? computeNgtdmFeatures(roi.texture, { aggregations: sliceAggs(), distance: t.ngtdmDistance })
        : {};
    case 'ngldm':
      return sliceAggs().length
        ? computeNgldmFeatures(roi.texture, {
            aggregations: sliceAggs(),
            distance: t.ngldmDistance,
            alpha: t.ngldmCoarseness,
          })
        : {};
    default:
      throw new RadiomicsInputError('SETTINGS_INVALID', `settings /families: unknown family ${String(family)}`);
  }
}
