import type { DomainEvent } from '../shared/decider.js';
import type { REVIEW_VERDICTS, SEGMENTATION_METHODS, TUMOUR_REGIONS } from './segmentation.commands.js';

export interface MaskGrid {
  dims: [number, number, number];
  spacing: [number, number, number];
}

export type SegmentationCreated = DomainEvent<
  'SegmentationCreated',
  {
    segmentationId: string;
    versionId: string;
    imageId: string;
    imageSha256: string;
    trialId: string;
    subjectId: string;
    method: (typeof SEGMENTATION_METHODS)[number];
    tool: string;
    toolVersion: string;
    region: (typeof TUMOUR_REGIONS)[number];
    maskSha256: string;
    grid: MaskGrid;
    /** Foreground voxels; decimal string (64-bit counter). */
    voxelCount: string;
    volumeMm3: number;
  }
>;
export type SegmentationEdited = DomainEvent<
  'SegmentationEdited',
  {
    segmentationId: string;
    versionId: string;
    parentVersionId: string;
    parentMaskSha256: string;
    maskSha256: string;
    reason: string;
    tool: string | null;
    toolVersion: string | null;
    grid: MaskGrid;
    voxelCount: string;
    volumeMm3: number;
    /** Computed by RadLedger from both masks, never taken from the client. */
    diceVsParent: number;
    volumeChangeMm3: number;
    volumeChangeRelative: number | null;
  }
>;
export type SegmentationReviewed = DomainEvent<
  'SegmentationReviewed',
  { segmentationId: string; versionId: string; verdict: (typeof REVIEW_VERDICTS)[number]; comment: string | null }
>;

export type SegmentationEvent = SegmentationCreated | SegmentationEdited | SegmentationReviewed;
