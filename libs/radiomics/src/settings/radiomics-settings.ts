import { Ajv } from 'ajv';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { ALL_FEATURE_FAMILIES, type FeatureFamily } from '../volume.js';
import { radiomicsSettingsSchema } from './radiomics-settings.schema.js';

/**
 * The whole IBSI chapter 1 configuration (IBSI 2.1-2.7): the object `FeaturesComputed`
 * records and the `features` CLI reads with `--settings`. Every step is explicit; there are
 * no hidden defaults inside the pipeline.
 */
export interface RadiomicsSettings {
  schemaVersion: 1;
  /** IBSI 2.4: '2D' resamples in-plane only (slice spacing kept); '3D' resamples in 3D. */
  sliceMode: '2D' | '3D';
  /**
   * IBSI 2.3: MRI has no absolute units. 'z-score' maps ROI intensities to mean 0, sd 1;
   * 'image-z-score' is PyRadiomics' `normalize`: the whole image to mean 0 and sample sd 1
   * (ITK NormalizeImageFilter), values beyond ±outlierClip sd clipped (`removeOutliers`),
   * then multiplied by scale (`normalizeScale`).
   */
  intensityNormalisation: { method: 'none' } | { method: 'z-score' } | { method: 'image-z-score'; scale: number; outlierClip: number | null };
  resampling: ResamplingSettings;
  reSegmentation: {
    /** IBSI 2.6.1: keep ROI voxels with min <= intensity <= max; null bound = open. */
    range: [number | null, number | null] | null;
    /** IBSI 2.6.2: keep ROI voxels within mean ± sigma·sd of the ROI intensities. */
    outlierFiltering: { method: 'none' } | { method: 'sigma'; sigma: number };
  };
  discretisation: {
    /** Used by the intensity histogram and every texture family (IBSI 2.7). */
    textureAndHistogram: DiscretisationSettings;
    /** Used by the intensity-volume histogram (IBSI 3.5). */
    intensityVolumeHistogram: DiscretisationSettings;
  };
  texture: {
    /** IBSI 3.6-3.11 aggregation methods to compute; zone families map 2D/2.5D/3D onto these. */
    aggregation: TextureAggregation[];
    /** Chebyshev distance for GLCM co-occurrence (IBSI 3.6). */
    glcmDistance: number;
    /** GLCM symmetric (IBSI counts both directions). */
    glcmSymmetric: boolean;
    /** Chebyshev neighbourhood distance for NGTDM (IBSI 3.10) and NGLDM (IBSI 3.11). */
    ngtdmDistance: number;
    ngldmDistance: number;
    /** NGLDM coarseness parameter alpha (IBSI 3.11). */
    ngldmCoarseness: number;
    /** Zone linkage (Chebyshev) distance for GLSZM/GLDZM (IBSI 3.8, 3.9). */
    zoneLinkageDistance: number;
  };
  morphology: {
    /**
     * Moran's I and Geary's C (IBSI 3.1.28-29). null (the default): exact, over every pair
     * of intensity-mask voxels (by FFT). A number: RadLedger's earlier method, kept so that
     * feature sets recorded with it reproduce bit for bit: exact up to this many voxels,
     * above it an evenly strided, ordered subset of this size (ADR 0012).
     */
    spatialAutocorrelationMaxVoxels: number | null;
  };
  /** Families to compute; default all. */
  families: FeatureFamily[];
  /**
   * Absent or 'ibsi': IBSI definitions, keys are IBSI codes. 'pyradiomics': PyRadiomics'
   * conventions (docs/adr/0011): fixed-bin-size bins anchored at multiples of the width,
   * energy features on intensities + voxelArrayShift, kurtosis not in excess, axis lengths
   * from the 1/N covariance, and PyRadiomics names as keys (`original_glcm_Contrast`).
   */
  compatibility?: CompatibilitySettings;
}

export type CompatibilitySettings = { mode: 'ibsi' } | { mode: 'pyradiomics'; voxelArrayShift: number };

export type Interpolation = 'nearest' | 'linear' | 'cubic-spline';

export type ResamplingSettings =
  | { method: 'none' }
  | {
      method: 'resample';
      /** Target spacing in mm (x, y, z); z null keeps the slices (IBSI slice mode 2D, config B). */
      spacing: [number, number, number | null];
      imageInterpolation: Interpolation;
      /** IBSI 2.4: the mask is interpolated then thresholded at partialVolumeThreshold. */
      maskInterpolation: 'nearest' | 'linear';
      partialVolumeThreshold: number;
      /** IBSI 2.4: round interpolated intensities (CT in HU: nearest integer). */
      intensityRounding: 'none' | 'nearest-integer';
    };

export type DiscretisationSettings =
  | { method: 'none' }
  | { method: 'fixed-bin-number'; bins: number }
  /** IBSI 2.7 FBS: bins start at lowerBound (the re-segmentation minimum) or the ROI minimum if null. */
  | { method: 'fixed-bin-size'; width: number; lowerBound: number | null };

/** IBSI aggregation method names (see aggregationCodes). */
export type TextureAggregation =
  | '2D-averaged'
  | '2D-slice-merged'
  | '2.5D-direction-merged'
  | '2.5D-merged'
  | '3D-averaged'
  | '3D-merged';

export const ALL_TEXTURE_AGGREGATIONS: readonly TextureAggregation[] = [
  '2D-averaged',
  '2D-slice-merged',
  '2.5D-direction-merged',
  '2.5D-merged',
  '3D-averaged',
  '3D-merged',
];

/** IBSI aggregation codes for GLCM/GLRLM (matrix families with directions). */
export const DIRECTIONAL_AGGREGATION_CODES: Record<TextureAggregation, string> = {
  '2D-averaged': 'BTW3',
  '2D-slice-merged': 'SUJT',
  '2.5D-direction-merged': 'JJUI',
  '2.5D-merged': 'ZW7Z',
  '3D-averaged': 'ITBB',
  '3D-merged': 'IAZD',
};

/** IBSI aggregation codes for the direction-free families (GLSZM, GLDZM, NGTDM, NGLDM). */
export const ZONE_AGGREGATION_CODES = { '2D': '8QNN', '2.5D': '62GR', '3D': 'KOBO' } as const;

/**
 * Used when the CLI gets no --settings: no resampling or re-segmentation, FBN 32 for
 * texture and histogram (unit-free, so safe for MR), FBN 1000 for the IVH.
 */
export function defaultRadiomicsSettings(): RadiomicsSettings {
  return {
    schemaVersion: 1,
    sliceMode: '3D',
    intensityNormalisation: { method: 'none' },
    resampling: { method: 'none' },
    reSegmentation: { range: null, outlierFiltering: { method: 'none' } },
    discretisation: {
      textureAndHistogram: { method: 'fixed-bin-number', bins: 32 },
      intensityVolumeHistogram: { method: 'fixed-bin-number', bins: 1000 },
    },
    texture: {
      aggregation: [...ALL_TEXTURE_AGGREGATIONS],
      glcmDistance: 1,
      glcmSymmetric: true,
      ngtdmDistance: 1,
      ngldmDistance: 1,
      ngldmCoarseness: 0,
      zoneLinkageDistance: 1,
    },
    morphology: { spatialAutocorrelationMaxVoxels: null },
    families: [...ALL_FEATURE_FAMILIES],
  };
}

/**
 * PyRadiomics' own settings for the conventions `compatibility: pyradiomics` switches:
 * binWidth (fixed-bin-size, anchored at multiples of it), voxelArrayShift, normalize with
 * normalizeScale and removeOutliers. Everything else as defaultRadiomicsSettings, with the
 * aggregations PyRadiomics reports (3D averaged GLCM/GLRLM, 3D zone families).
 */
export function pyradiomicsSettings(options: {
  binWidth?: number;
  voxelArrayShift?: number;
  normalizeScale?: number | null;
  removeOutliers?: number | null;
} = {}): RadiomicsSettings {
  const base = defaultRadiomicsSettings();
  const fbs = { method: 'fixed-bin-size', width: options.binWidth ?? 25, lowerBound: null } as const;
  return {
    ...base,
    intensityNormalisation:
      options.normalizeScale === undefined || options.normalizeScale === null
        ? { method: 'none' }
        : { method: 'image-z-score', scale: options.normalizeScale, outlierClip: options.removeOutliers ?? null },
    discretisation: { textureAndHistogram: { ...fbs }, intensityVolumeHistogram: { ...fbs } },
    texture: { ...base.texture, aggregation: ['3D-averaged'] },
    compatibility: { mode: 'pyradiomics', voxelArrayShift: options.voxelArrayShift ?? 0 },
  };
}

/**
 * The default of morphology.spatialAutocorrelationMaxVoxels before Moran's I and Geary's C
 * were exact (RadLedger 0.1.0): FeaturesComputed events recorded without extractorSettings
 * were computed with it, so their re-computation must use it (ADR 0012).
 */
export const SAMPLED_SPATIAL_AUTOCORRELATION_MAX_VOXELS = 8000;

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<RadiomicsSettings>(radiomicsSettingsSchema);

type AjvError = NonNullable<typeof validate.errors>[number];

/**
 * The error to report: errors inside a oneOf variant whose `method`/`mode` constant did
 * not match are dropped (that variant was not the one meant), then an unknown property
 * comes first (named), then the rest in ajv's order.
 */
function reportedError(errors: readonly AjvError[]): AjvError | undefined {
  const rejected = errors
    .filter((e) => e.keyword === 'const')
    .map((e) => /^(.*\/oneOf\/\d+\/)/.exec(e.schemaPath)?.[1])
    .filter((p): p is string => p !== undefined);
  const meant = errors.filter((e) => e.keyword !== 'oneOf' && !rejected.some((p) => e.schemaPath.startsWith(p)));
  return meant.find((e) => e.keyword === 'additionalProperties') ?? meant[0] ?? errors[0];
}

/** Validates a parsed settings object against schemas/radiomics-settings.schema.json. */
export function parseRadiomicsSettings(value: unknown): RadiomicsSettings {
  if (!validate(value)) {
    const first = reportedError(validate.errors ?? []);
    const where = first?.instancePath || '/';
    const params = (first?.params ?? {}) as Record<string, unknown>;
    const detail =
      first?.keyword === 'additionalProperties'
        ? `unknown property "${String(params.additionalProperty)}" (must NOT have additional properties)`
        : `${first?.message ?? 'invalid'}${'allowedValues' in params ? ` (allowed: ${(params.allowedValues as unknown[]).join(', ')})` : ''}`;
    throw new RadiomicsInputError('SETTINGS_INVALID', `settings ${where}: ${detail}`, { errors: validate.errors });
  }
  const compat = value.compatibility;
  if (compat?.mode === 'pyradiomics') {
    for (const which of ['textureAndHistogram', 'intensityVolumeHistogram'] as const) {
      const d = value.discretisation[which];
      if (d.method === 'fixed-bin-size' && d.lowerBound !== null) {
        throw new RadiomicsInputError(
          'SETTINGS_INVALID',
          `settings /discretisation/${which}/lowerBound: must be null with compatibility pyradiomics (its bins are anchored at multiples of the width), got ${d.lowerBound}`,
        );
      }
    }
    if (!value.texture.aggregation.includes('3D-averaged')) {
      throw new RadiomicsInputError(
        'SETTINGS_INVALID',
        'settings /texture/aggregation: must include 3D-averaged with compatibility pyradiomics (PyRadiomics averages GLCM/GLRLM features over the 13 3D directions)',
      );
    }
  }
  return value;
}
