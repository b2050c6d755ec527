import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';

export const PARTITIONS = ['train', 'tune', 'test'] as const;
export type Partition = (typeof PARTITIONS)[number];

export const AGGREGATIONS = ['2D-averaged', '2D-slice-merged', '2.5D-direction-merged', '2.5D-merged', '3D-averaged', '3D-merged'] as const;

/** Every IBSI image-processing setting that changes feature values (IBSI 1, chapter 2). Null = step not applied. */
export const IbsiSettingsSchema = S.obj({
  /** IBSI 2.4: target voxel spacing in mm, or null for no resampling; z null keeps the slices (2D resampling). */
  resamplingMm: S.nullable(S.vec3({ type: 'number', exclusiveMinimum: 0 }, true)),
  /** IBSI 2.4: interpolation of the image and the mask, and the mask partial-volume threshold. */
  interpolation: S.obj({ image: S.oneOf(['nearest', 'linear', 'cubic', 'bspline', 'none']), mask: S.oneOf(['nearest', 'linear', 'none']), maskThreshold: S.nullable(S.num()) }),
  /** IBSI 2.7: fixed bin size (FBS) or fixed bin number (FBN). */
  discretisation: S.obj({ method: S.oneOf(['fixed-bin-size', 'fixed-bin-number', 'none']), binWidth: S.nullable(S.num()), binCount: S.nullable(S.int({ minimum: 1 })) }),
  /** IBSI 2.5: re-segmentation intensity range, or null. */
  resegmentationRange: S.nullable(S.range()),
  /** IBSI 2.5: outlier filtering (mean ± n·sd), or null. */
  outlierSigma: S.nullable(S.num()),
  /** IBSI 3.1: texture matrix aggregation. */
  aggregation: S.oneOf(AGGREGATIONS),
});
export type IbsiSettings = Static<typeof IbsiSettingsSchema>;

const extractor = S.obj({ name: S.freeText(100), version: S.freeText(50) });

export const ComputeFeaturesInput = S.obj({
  featureSetId: S.optional(S.id()),
  imageId: S.id(),
  imageSha256: S.sha256(),
  segmentationId: S.id(),
  maskVersionId: S.id(),
  extractor,
  settings: IbsiSettingsSchema,
  /**
   * The extractor's own complete configuration, verbatim (for RadLedger's extractor: the
   * RadiomicsSettings object of libs/radiomics), so a feature set can be re-computed without
   * assumptions. `settings` stays the extractor-independent IBSI summary.
   */
  extractorSettings: S.optional(S.json()),
  /** The mask label the features were computed on; absent: any nonzero voxel. */
  maskLabel: S.optional(S.int({ minimum: 0 })),
  /** Feature values keyed by IBSI code (e.g. `Q4LE`) or `family.name` when IBSI has none. */
  features: S.numberMap({ minProperties: 1 }),
  /** `computed`: RadLedger ran the extractor (reproducible); `imported`: attested by the uploader. */
  provenance: S.oneOf(['computed', 'imported']),
});

export const AssignFeatureSetPartitionInput = S.obj({ featureSetId: S.id(), partition: S.oneOf(PARTITIONS), reason: S.optional(S.reason()) });

export type ComputeFeatures = Command<'ComputeFeatures', Static<typeof ComputeFeaturesInput>>;
export type AssignFeatureSetPartition = Command<'AssignFeatureSetPartition', Static<typeof AssignFeatureSetPartitionInput>>;

export type FeaturesCommand = ComputeFeatures | AssignFeatureSetPartition;

/** What a caller sends to have RadLedger compute a feature set (the settings default to the RadLedger MR defaults). */
export const ComputeFeaturesRequest = S.obj({
  featureSetId: S.optional(S.id()),
  imageId: S.id(),
  imageSha256: S.optional(S.sha256('The image version; default: the one the mask was drawn on.')),
  segmentationId: S.id(),
  maskVersionId: S.id(),
  settings: S.optional(S.json('The whole IBSI configuration (schemas/radiomics-settings.schema.json); default: RadLedger MR defaults.')),
  label: S.optional(S.int({ minimum: 0, description: 'Mask label; default: any nonzero voxel.' })),
});
/** A feature set computed elsewhere: attested by the uploader, not reproducible by RadLedger. */
export const ImportFeatureSetRequest = S.obj({
  featureSetId: S.optional(S.id()),
  imageId: S.id(),
  imageSha256: S.sha256(),
  segmentationId: S.id(),
  maskVersionId: S.id(),
  extractor,
  settings: IbsiSettingsSchema,
  features: S.numberMap({ minProperties: 1, description: 'Feature values by IBSI code (attested by the uploader, not reproducible).' }),
});
export type ComputeFeaturesRequest = Static<typeof ComputeFeaturesRequest>;
