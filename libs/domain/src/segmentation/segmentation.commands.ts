import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';

export const SEGMENTATION_METHODS = ['manual', 'semi-automatic', 'automatic'] as const;
export const TUMOUR_REGIONS = ['whole-tumour', 'enhancing-tumour', 'tumour-core', 'necrosis', 'oedema'] as const;
export const REVIEW_VERDICTS = ['accepted', 'rejected', 'needs-edit'] as const;

export const CreateSegmentationInput = S.obj({
  segmentationId: S.optional(S.id()),
  versionId: S.optional(S.id()),
  imageId: S.id(),
  imageSha256: S.sha256('The exact image version segmented: the acquired artifact or a preprocessing output.'),
  method: S.oneOf(SEGMENTATION_METHODS),
  tool: S.freeText(100),
  toolVersion: S.freeText(50),
  region: S.oneOf(TUMOUR_REGIONS),
  maskSha256: S.sha256(),
});
export const EditSegmentationInput = S.obj({
  segmentationId: S.id(),
  parentVersionId: S.id(),
  versionId: S.optional(S.id()),
  maskSha256: S.sha256(),
  reason: S.optional(S.reason('Why the mask was edited (required here or in options.reason).')),
  tool: S.optional(S.freeText(100)),
  toolVersion: S.optional(S.freeText(50)),
});
export const ReviewSegmentationInput = S.obj({
  segmentationId: S.id(),
  versionId: S.id(),
  verdict: S.oneOf(REVIEW_VERDICTS),
  comment: S.optional(S.freeText()),
});

export type CreateSegmentation = Command<'CreateSegmentation', Static<typeof CreateSegmentationInput>>;
export type EditSegmentation = Command<'EditSegmentation', Static<typeof EditSegmentationInput>>;
export type ReviewSegmentation = Command<'ReviewSegmentation', Static<typeof ReviewSegmentationInput>>;

export type SegmentationCommand = CreateSegmentation | EditSegmentation | ReviewSegmentation;
