import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';
import { IbsiSettingsSchema, PARTITIONS } from './features.commands.js';

export const FeaturesComputedEvent = defineEvent(
  'FeaturesComputed',
  S.obj({
    featureSetId: S.id(),
    trialId: S.id(),
    siteId: S.id(),
    subjectId: S.id(),
    modality: S.oneOf(IMAGING_MODALITIES),
    imageId: S.id(),
    imageSha256: S.sha256(),
    segmentationId: S.id(),
    maskVersionId: S.id(),
    maskSha256: S.sha256(),
    extractor: S.obj({ name: S.text(100), version: S.text(50) }),
    settings: IbsiSettingsSchema,
    /** Verbatim extractor configuration, or null when the uploader gave none (older events lack the key). */
    extractorSettings: S.optional(S.nullable(S.json())),
    /** Mask label used (null: any nonzero voxel); needed to re-compute a labelled mask. */
    maskLabel: S.optional(S.nullable(S.int({ minimum: 0 }))),
    features: S.numberMap({ minProperties: 1 }),
    /** sha256 of JCS(features) (RFC 8785), computed by RadLedger. */
    resultSha256: S.sha256(),
    reproducible: S.bool(),
    attested: S.bool(),
  }),
);
export const FeatureSetPartitionAssignedEvent = defineEvent(
  'FeatureSetPartitionAssigned',
  S.obj({ featureSetId: S.id(), partition: S.oneOf(PARTITIONS), previousPartition: S.nullable(S.oneOf(PARTITIONS)), reason: S.nullable(S.sealedText()) }),
);

export type FeaturesComputed = EventOf<typeof FeaturesComputedEvent>;
export type FeatureSetPartitionAssigned = EventOf<typeof FeatureSetPartitionAssignedEvent>;

export const featuresEvents = [FeaturesComputedEvent, FeatureSetPartitionAssignedEvent] as const;
export type FeaturesEvent = FeaturesComputed | FeatureSetPartitionAssigned;
