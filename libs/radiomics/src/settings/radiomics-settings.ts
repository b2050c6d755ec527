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
  /** IBSI 2.3: MRI has no absolute units; z-score maps ROI intensities to mean 0, sd 1. */
  intensityNormalisation: { method: 'none' } | { method: 'z-score' };
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
     * Moran's I and Geary's C (IBSI 3.1.25-26) are O(N²) in ROI voxels. Above this many
     * voxels an evenly strided, ordered subset of this size is used (deterministic).
     */
    spatialAutocorrelationMaxVoxels: number;
  };
  /** Families to compute; default all. */
  families: FeatureFamily[];
}

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
    morphology: { spatialAutocorrelationMaxVoxels: 8000 },
    families: [...ALL_FEATURE_FAMILIES],
  };
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<RadiomicsSettings>(radiomicsSettingsSchema);

/** Validates a parsed settings object against schemas/radiomics-settings.schema.json. */
export function parseRadiomicsSettings(value: unknown): RadiomicsSettings {
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '/';
    throw new RadiomicsInputError(
      'SETTINGS_INVALID',
      `settings ${where}: ${first?.message ?? 'invalid'}${
        first?.params && 'allowedValues' in first.params
          ? ` (allowed: ${(first.params.allowedValues as unknown[]).join(', ')})`
          : ''
      }`,
      { errors: validate.errors },
    );
  }
  return value;
}
