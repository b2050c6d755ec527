import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { streamIds } from '../shared/stream-ids.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { optionalFreeText, requireFreeText, requireId, requireOneOf, requireSha256, requireText, requireReason } from '../shared/guards.js';
import type { ImageState } from '../imaging/imaging.decider.js';
import { dice, foregroundCount, requireWellFormedMask, sameGrid, voxelVolumeMm3, volumeChange } from './mask-metrics.js';
import type { Mask } from './mask-source.port.js';
import { REVIEW_VERDICTS, SEGMENTATION_METHODS, TUMOUR_REGIONS, type SegmentationCommand } from './segmentation.commands.js';
import type { MaskGrid, SegmentationEvent } from './segmentation.events.js';

export interface MaskVersion {
  versionId: string;
  parentVersionId: string | null;
  maskSha256: string;
  grid: MaskGrid;
  review: (typeof REVIEW_VERDICTS)[number] | null;
}

export interface SegmentationState {
  segmentationId: string | null;
  imageId: string | null;
  imageSha256: string | null;
  trialId: string | null;
  subjectId: string | null;
  versions: Readonly<Record<string, MaskVersion>>;
  /** Version ids in the order they were recorded. */
  order: readonly string[];
}

/** Who first recorded some mask bytes (stream `maskbytes-<sha256>`). */
export interface MaskClaim {
  claim: { segmentationId: string; imageId: string; subjectId: string } | null;
  revision: number | 'no-stream';
}

export const maskBytesDecider = {
  initialState: (): MaskClaim => ({ claim: null, revision: 'no-stream' }),
  evolve: (state: MaskClaim, event: SegmentationEvent): MaskClaim =>
    event.type === 'MaskBytesClaimed' && state.claim === null ? { ...state, claim: { segmentationId: event.data.segmentationId, imageId: event.data.imageId, subjectId: event.data.subjectId } } : state,
};

export interface SegmentationFacts {
  /** CreateSegmentation, EditSegmentation: the first segmentation that recorded the new mask's bytes. */
  maskClaim?: MaskClaim;
  /** CreateSegmentation: the image stream folded, and the new mask. */
  image?: ImageState;
  mask?: Mask;
  /** EditSegmentation: the parent's mask and the new mask, loaded through MaskSource. */
  parentMask?: Mask;
  newMask?: Mask;
}

export function initialState(): SegmentationState {
  return { segmentationId: null, imageId: null, imageSha256: null, trialId: null, subjectId: null, versions: {}, order: [] };
}

function requireFact<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new IllegalStateError('FACT_MISSING', `${name}: the command handler did not load this fact`);
  return value;
}

/** Dice/volume rounded to 1e-9 so the recorded numbers are stable across platforms' float printing. */
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

function claimMask(claim: MaskClaim | undefined, maskSha256: string, segmentationId: string, imageId: string, subjectId: string): SegmentationEvent[] {
  if (!claim || claim.claim !== null) return [];
  return [{ type: 'MaskBytesClaimed', data: { maskSha256, segmentationId, imageId, subjectId }, stream: { id: streamIds.maskBytes(maskSha256), expectedRevision: claim.revision } }];
}

export function decide(command: SegmentationCommand, state: SegmentationState, ctx: CommandContext<SegmentationFacts>): SegmentationEvent[] {
  switch (command.type) {
    case 'CreateSegmentation': {
      const d = command.data;
      const segmentationId = requireId('segmentationId', d.segmentationId);
      if (state.segmentationId !== null) throw new IllegalStateError('SEGMENTATION_ALREADY_EXISTS', `segmentationId: segmentation ${segmentationId} already exists`, { field: 'segmentationId' });
      const imageId = requireId('imageId', d.imageId);
      const imageSha256 = requireSha256('imageSha256', d.imageSha256);
      const maskSha256 = requireSha256('maskSha256', d.maskSha256);
      const image = requireFact(ctx.facts.image, 'image');
      if (image.imageId === null) throw new NotFoundError(`imageId: image ${imageId} does not exist`, { field: 'imageId' });
      if (!image.versions.includes(imageSha256)) throw new NotFoundError(`imageSha256: ${imageSha256} is not a version of image ${imageId}`, { field: 'imageSha256' });
      const mask = requireFact(ctx.facts.mask, 'mask');
      requireWellFormedMask('maskSha256', mask);
      const voxels = foregroundCount(mask.data);
      return [
        {
          type: 'SegmentationCreated',
          data: {
            segmentationId,
            versionId: requireId('versionId', d.versionId),
            imageId,
            imageSha256,
            trialId: image.trialId ?? '',
            subjectId: image.subjectId ?? '',
            method: requireOneOf('method', d.method, SEGMENTATION_METHODS),
            tool: requireText('tool', d.tool, 100),
            toolVersion: requireText('toolVersion', d.toolVersion, 50),
            region: requireOneOf('region', d.region, TUMOUR_REGIONS),
            maskSha256,
            grid: { dims: [...mask.dims], spacing: [...mask.spacing] },
            voxelCount: String(voxels),
            volumeMm3: round9(voxels * voxelVolumeMm3(mask.spacing)),
          },
        },
        ...claimMask(ctx.facts.maskClaim, maskSha256, segmentationId, imageId, image.subjectId ?? ''),
      ];
    }
    case 'EditSegmentation': {
      const d = command.data;
      const segmentationId = requireId('segmentationId', d.segmentationId);
      if (state.segmentationId === null) throw new NotFoundError(`segmentationId: segmentation ${segmentationId} does not exist`, { field: 'segmentationId' });
      const reason = requireReason('reason', d.reason ?? ctx.reason);
      const parentVersionId = requireId('parentVersionId', d.parentVersionId);
      const parent = state.versions[parentVersionId];
      if (!parent) throw new NotFoundError(`parentVersionId: version ${parentVersionId} is not a version of segmentation ${segmentationId}`, { field: 'parentVersionId' });
      const versionId = requireId('versionId', d.versionId);
      if (state.versions[versionId]) throw new IllegalStateError('VERSION_ALREADY_EXISTS', `versionId: version ${versionId} already exists`, { field: 'versionId' });
      const maskSha256 = requireSha256('maskSha256', d.maskSha256);
      if (maskSha256 === parent.maskSha256) throw new IllegalStateError('SEGMENTATION_NO_CHANGE', `maskSha256: the new mask is identical to version ${parentVersionId}`, { field: 'maskSha256' });
      const parentMask = requireFact(ctx.facts.parentMask, 'parentMask');
      const newMask = requireFact(ctx.facts.newMask, 'newMask');
      requireWellFormedMask('maskSha256', newMask);
      if (!sameGrid(parent.grid, newMask) || !sameGrid(parentMask, newMask)) {
        throw new ValidationError(
          'MASK_GRID_MISMATCH',
          `maskSha256: expected the parent's grid dims ${JSON.stringify(parent.grid.dims)} spacing ${JSON.stringify(parent.grid.spacing)}, got dims ${JSON.stringify(newMask.dims)} spacing ${JSON.stringify(newMask.spacing)}`,
          { field: 'maskSha256', expected: parent.grid, actual: { dims: newMask.dims, spacing: newMask.spacing } },
        );
      }
      // Issue 15: an edit's mask belongs to the same image and subject (never another subject's mask).
      const claim = ctx.facts.maskClaim?.claim ?? null;
      if (claim && claim.subjectId !== state.subjectId) {
        throw new ValidationError('MASK_OF_OTHER_SUBJECT', `maskSha256: this mask was recorded for another subject (segmentation ${claim.segmentationId})`, { field: 'maskSha256' });
      }
      if (claim && claim.imageId !== state.imageId) {
        throw new ValidationError('MASK_OF_OTHER_IMAGE', `maskSha256: this mask was recorded on image ${claim.imageId}, not ${state.imageId ?? '?'} (segmentation ${claim.segmentationId})`, { field: 'maskSha256' });
      }
      const change = volumeChange(parentMask, newMask);
      return [
        {
          type: 'SegmentationEdited',
          data: {
            segmentationId,
            versionId,
            parentVersionId,
            parentMaskSha256: parent.maskSha256,
            maskSha256,
            reason,
            tool: d.tool === undefined ? null : requireText('tool', d.tool, 100),
            toolVersion: d.toolVersion === undefined ? null : requireText('toolVersion', d.toolVersion, 50),
            grid: { dims: [...newMask.dims], spacing: [...newMask.spacing] },
            voxelCount: String(foregroundCount(newMask.data)),
            volumeMm3: round9(change.newVolumeMm3),
            diceVsParent: round9(dice(parentMask.data, newMask.data)),
            volumeChangeMm3: round9(change.deltaMm3),
            volumeChangeRelative: change.relative === null ? null : round9(change.relative),
          },
        },
        ...claimMask(ctx.facts.maskClaim, maskSha256, segmentationId, state.imageId ?? '', state.subjectId ?? ''),
      ];
    }
    case 'ReviewSegmentation': {
      const d = command.data;
      const segmentationId = requireId('segmentationId', d.segmentationId);
      if (state.segmentationId === null) throw new NotFoundError(`segmentationId: segmentation ${segmentationId} does not exist`, { field: 'segmentationId' });
      const versionId = requireId('versionId', d.versionId);
      if (!state.versions[versionId]) throw new NotFoundError(`versionId: version ${versionId} is not a version of segmentation ${segmentationId}`, { field: 'versionId' });
      const verdict = requireOneOf('verdict', d.verdict, REVIEW_VERDICTS);
      const comment = optionalFreeText('comment', d.comment) ?? null;
      if (verdict !== 'accepted' && comment === null) {
        throw new ValidationError('REASON_REQUIRED', `comment: a ${verdict} verdict needs a comment saying why`, { field: 'comment' });
      }
      return [{ type: 'SegmentationReviewed', data: { segmentationId, versionId, verdict, comment } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: SegmentationState, event: SegmentationEvent): SegmentationState {
  switch (event.type) {
    case 'SegmentationCreated': {
      const d = event.data;
      const v: MaskVersion = { versionId: d.versionId, parentVersionId: null, maskSha256: d.maskSha256, grid: d.grid, review: null };
      return { segmentationId: d.segmentationId, imageId: d.imageId, imageSha256: d.imageSha256, trialId: d.trialId, subjectId: d.subjectId, versions: { [d.versionId]: v }, order: [d.versionId] };
    }
    case 'SegmentationEdited': {
      const d = event.data;
      const v: MaskVersion = { versionId: d.versionId, parentVersionId: d.parentVersionId, maskSha256: d.maskSha256, grid: d.grid, review: null };
      return { ...state, versions: { ...state.versions, [d.versionId]: v }, order: [...state.order, d.versionId] };
    }
    case 'SegmentationReviewed': {
      const v = state.versions[event.data.versionId];
      if (!v) return state;
      return { ...state, versions: { ...state.versions, [v.versionId]: { ...v, review: event.data.verdict } } };
    }
    case 'MaskBytesClaimed':
      return state;
    default:
      return ignoreUnknown(state, event);
  }
}

export const segmentationDecider = { decide, evolve, initialState };
