import { defineEvent, type EventOf } from '../shared/event.js';
import { S, type Static } from '../shared/schema.js';
import { REVIEW_VERDICTS, SEGMENTATION_METHODS, TUMOUR_REGIONS } from './segmentation.commands.js';

const MaskGridSchema = S.obj({ dims: S.triple<number>({ type: 'integer', minimum: 1 }), spacing: S.triple<number>({ type: 'number', exclusiveMinimum: 0 }) });
export type MaskGrid = Static<typeof MaskGridSchema>;
const grid = MaskGridSchema;

export const SegmentationCreatedEvent = defineEvent(
  'SegmentationCreated',
  S.obj({
    segmentationId: S.id(),
    versionId: S.id(),
    imageId: S.id(),
    imageSha256: S.sha256(),
    trialId: S.id(),
    subjectId: S.id(),
    method: S.oneOf(SEGMENTATION_METHODS),
    tool: S.text(100),
    toolVersion: S.text(50),
    region: S.oneOf(TUMOUR_REGIONS),
    maskSha256: S.sha256(),
    grid,
    /** Foreground voxels; decimal string (64-bit counter). */
    voxelCount: S.counter(),
    volumeMm3: S.num({ minimum: 0 }),
  }),
);
export const SegmentationEditedEvent = defineEvent(
  'SegmentationEdited',
  S.obj({
    segmentationId: S.id(),
    versionId: S.id(),
    parentVersionId: S.id(),
    parentMaskSha256: S.sha256(),
    maskSha256: S.sha256(),
    reason: S.sealedText(),
    tool: S.nullable(S.text(100)),
    toolVersion: S.nullable(S.text(50)),
    grid,
    voxelCount: S.counter(),
    volumeMm3: S.num({ minimum: 0 }),
    /** Computed by RadLedger from both masks, never taken from the client. */
    diceVsParent: S.num({ minimum: 0, maximum: 1 }),
    volumeChangeMm3: S.num(),
    volumeChangeRelative: S.nullable(S.num()),
  }),
);
export const SegmentationReviewedEvent = defineEvent(
  'SegmentationReviewed',
  S.obj({ segmentationId: S.id(), versionId: S.id(), verdict: S.oneOf(REVIEW_VERDICTS), comment: S.nullable(S.sealedText()) }),
);

export type SegmentationCreated = EventOf<typeof SegmentationCreatedEvent>;
export type SegmentationEdited = EventOf<typeof SegmentationEditedEvent>;
export type SegmentationReviewed = EventOf<typeof SegmentationReviewedEvent>;

/**
 * The segmentation that first recorded these mask bytes (stream `maskbytes-<sha256>`), appended
 * with its SegmentationCreated or SegmentationEdited: an edit may not adopt another image's or
 * another subject's mask.
 */
export const MaskBytesClaimedEvent = defineEvent('MaskBytesClaimed', S.obj({ maskSha256: S.sha256(), segmentationId: S.id(), imageId: S.id(), subjectId: S.id() }));
export type MaskBytesClaimed = EventOf<typeof MaskBytesClaimedEvent>;

export const segmentationEvents = [MaskBytesClaimedEvent, SegmentationCreatedEvent, SegmentationEditedEvent, SegmentationReviewedEvent] as const;
export type SegmentationEvent = SegmentationCreated | SegmentationEdited | SegmentationReviewed | MaskBytesClaimed;
