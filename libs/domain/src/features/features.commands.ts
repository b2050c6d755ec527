import type { Command } from '../shared/decider.js';

export const PARTITIONS = ['train', 'tune', 'test'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** Every IBSI image-processing setting that changes feature values (IBSI 1, chapter 2). Null = step not applied. */
export interface IbsiSettings {
  /** IBSI 2.4: target voxel spacing in mm, or null for no resampling; z null keeps the slices (2D resampling). */
  resamplingMm: [number, number, number | null] | null;
  /** IBSI 2.4: interpolation of the image and the mask, and the mask partial-volume threshold. */
  interpolation: { image: 'nearest' | 'linear' | 'cubic' | 'bspline' | 'none'; mask: 'nearest' | 'linear' | 'none'; maskThreshold: number | null };
  /** IBSI 2.7: fixed bin size (FBS) or fixed bin number (FBN). */
  discretisation: { method: 'fixed-bin-size' | 'fixed-bin-number' | 'none'; binWidth: number | null; binCount: number | null };
  /** IBSI 2.5: re-segmentation intensity range, or null. */
  resegmentationRange: { min: number; max: number } | null;
  /** IBSI 2.5: outlier filtering (mean ± n·sd), or null. */
  outlierSigma: number | null;
  /** IBSI 3.1: texture matrix aggregation. */
  aggregation: '2D-averaged' | '2D-slice-merged' | '2.5D-direction-merged' | '2.5D-merged' | '3D-averaged' | '3D-merged';
}

export type ComputeFeatures = Command<
  'ComputeFeatures',
  {
    featureSetId?: string;
    imageId: string;
    imageSha256: string;
    segmentationId: string;
    maskVersionId: string;
    extractor: { name: string; version: string };
    settings: IbsiSettings;
    /**
     * The extractor's own complete configuration, verbatim (for RadLedger's extractor: the
     * RadiomicsSettings object of libs/radiomics), so a feature set can be re-computed
     * without assumptions. `settings` stays the extractor-independent IBSI summary.
     */
    extractorSettings?: Record<string, unknown>;
    /** The mask label the features were computed on; absent: any nonzero voxel. */
    maskLabel?: number;
    /** Feature values keyed by IBSI code (e.g. `Q4LE`) or `family.name` when IBSI has none. */
    features: Record<string, number>;
    /** `computed`: RadLedger ran the extractor (reproducible); `imported`: attested by the uploader. */
    provenance: 'computed' | 'imported';
  }
>;
export type AssignFeatureSetPartition = Command<'AssignFeatureSetPartition', { featureSetId: string; partition: Partition; reason?: string }>;

export type FeaturesCommand = ComputeFeatures | AssignFeatureSetPartition;
