import type { DomainEvent } from '../shared/decider.js';
import type { ImagingModality } from '../imaging/imaging-modality.js';
import type { IbsiSettings, Partition } from './features.commands.js';

export type FeaturesComputed = DomainEvent<
  'FeaturesComputed',
  {
    featureSetId: string;
    trialId: string;
    siteId: string;
    subjectId: string;
    modality: ImagingModality;
    imageId: string;
    imageSha256: string;
    segmentationId: string;
    maskVersionId: string;
    maskSha256: string;
    extractor: { name: string; version: string };
    settings: IbsiSettings;
    /** Verbatim extractor configuration, or null when the uploader gave none (older events lack the key). */
    extractorSettings?: Record<string, unknown> | null;
    /** Mask label used (null: any nonzero voxel); needed to re-compute a labelled mask. */
    maskLabel?: number | null;
    features: Record<string, number>;
    /** sha256 of JCS(features) (RFC 8785), computed by RadLedger. */
    resultSha256: string;
    reproducible: boolean;
    attested: boolean;
  }
>;
export type FeatureSetPartitionAssigned = DomainEvent<'FeatureSetPartitionAssigned', { featureSetId: string; partition: Partition; previousPartition: Partition | null; reason: string | null }>;

export type FeaturesEvent = FeaturesComputed | FeatureSetPartitionAssigned;
