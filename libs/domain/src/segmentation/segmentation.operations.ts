import { ROLES } from '../shared/access-scope.js';
import { defineCommand, defineQuery, exposeCommand, type FactReader } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { imagingDecider } from '../imaging/imaging.decider.js';
import { maskBytesDecider, segmentationDecider, type MaskClaim, type SegmentationState } from './segmentation.decider.js';
import { CreateSegmentationInput, EditSegmentationInput, ReviewSegmentationInput } from './segmentation.commands.js';

async function maskClaimOf(maskSha256: string, read: FactReader): Promise<MaskClaim> {
  const loaded = await read.load(streamIds.maskBytes(maskSha256), maskBytesDecider as never);
  return { claim: (loaded.state as MaskClaim).claim, revision: loaded.expectedRevision };
}

export const CreateSegmentationCommand = defineCommand({
  type: 'CreateSegmentation',
  context: 'segmentation',
  input: CreateSegmentationInput,
  decider: segmentationDecider,
  prepare: (d, newId) => ({ ...d, segmentationId: d.segmentationId ?? newId('segmentationId'), versionId: d.versionId ?? newId('versionId') }),
  stream: (d) => streamIds.segmentation(d.segmentationId!),
  facts: async (d, _own, read) => {
    const image = (await read.load(streamIds.image(d.imageId), imagingDecider)).state;
    // The mask is loaded only once the image is known, so an unknown image reports NOT_FOUND on imageId.
    return image.imageId === null ? { image } : { image, mask: await read.loadMask(d.maskSha256), maskClaim: await maskClaimOf(d.maskSha256, read) };
  },
});

export const EditSegmentationCommand = defineCommand({
  type: 'EditSegmentation',
  context: 'segmentation',
  input: EditSegmentationInput,
  decider: segmentationDecider,
  prepare: (d, newId) => ({ ...d, versionId: d.versionId ?? newId('versionId') }),
  stream: (d) => streamIds.segmentation(d.segmentationId),
  facts: async (d, own, read) => {
    const parent = (own.state as SegmentationState).versions[d.parentVersionId];
    if (!parent || parent.maskSha256 === d.maskSha256) return {};
    const [parentMask, newMask] = await Promise.all([read.loadMask(parent.maskSha256), read.loadMask(d.maskSha256)]);
    return { parentMask, newMask, maskClaim: await maskClaimOf(d.maskSha256, read) };
  },
});

export const ReviewSegmentationCommand = defineCommand({
  type: 'ReviewSegmentation',
  context: 'segmentation',
  input: ReviewSegmentationInput,
  decider: segmentationDecider,
  stream: (d) => streamIds.segmentation(d.segmentationId),
});

export const segmentationCommands = [CreateSegmentationCommand, EditSegmentationCommand, ReviewSegmentationCommand] as const;

const ofSegmentation = { kind: 'record', record: 'segmentation', id: (d: { segmentationId: string }) => d.segmentationId } as const;

export const segmentationOperations = [
  exposeCommand(CreateSegmentationCommand, {
    description: 'Record a segmentation (first mask version) of an image.',
    access: { roles: ['site-operator', 'data-scientist'], scope: { kind: 'record', record: 'image', id: (d) => d.imageId } },
  }),
  exposeCommand(EditSegmentationCommand, {
    description: 'Record an edited mask version; Dice and volume change against the parent are computed by RadLedger.',
    access: { roles: ['site-operator', 'data-scientist'], scope: ofSegmentation },
  }),
  exposeCommand(ReviewSegmentationCommand, { description: 'Record the QC verdict on a mask version.', access: { roles: ['qa', 'data-scientist'], scope: ofSegmentation } }),
  defineQuery({
    field: 'segmentationEdits',
    context: 'segmentation',
    description: 'Mask edits; afterReview: only edits made after the segmentation was accepted at QC.',
    input: S.obj({ trialId: S.gid(), afterReview: S.bool(undefined, false) }),
    access: { roles: ROLES, scope: { kind: 'input', trial: (d) => d.trialId }, match: 'any' },
    result: 'rows',
  }),
] as const;
