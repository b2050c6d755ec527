import type { Command } from '../shared/decider.js';

export const SEGMENTATION_METHODS = ['manual', 'semi-automatic', 'automatic'] as const;
export const TUMOUR_REGIONS = ['whole-tumour', 'enhancing-tumour', 'tumour-core', 'necrosis', 'oedema'] as const;
export const REVIEW_VERDICTS = ['accepted', 'rejected', 'needs-edit'] as const;

export type CreateSegmentation = Command<
  'CreateSegmentation',
  {
    segmentationId?: string;
    versionId?: string;
    imageId: string;
    /** The exact image version segmented: the acquired artifact or a preprocessing output. */
    imageSha256: string;
    method: (typeof SEGMENTATION_METHODS)[number];
    tool: string;
    toolVersion: string;
    region: (typeof TUMOUR_REGIONS)[number];
    maskSha256: string;
  }
>;
export type EditSegmentation = Command<
  'EditSegmentation',
  { segmentationId: string; parentVersionId: string; versionId?: string; maskSha256: string; reason?: string; tool?: string; toolVersion?: string }
>;
export type ReviewSegmentation = Command<'ReviewSegmentation', { segmentationId: string; versionId: string; verdict: (typeof REVIEW_VERDICTS)[number]; comment?: string }>;

export type SegmentationCommand = CreateSegmentation | EditSegmentation | ReviewSegmentation;
