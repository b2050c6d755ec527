import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deciderSpec } from '../testing/decider-spec.js';
import { imagingDecider } from '../imaging/imaging.decider.js';
import { segmentationDecider } from './segmentation.decider.js';
import { fold } from '../shared/decider.js';
import { dice, volumeChange } from './mask-metrics.js';
import type { Mask } from './mask-source.port.js';
import type { SegmentationEvent } from './segmentation.events.js';

const h = (c: string) => c.repeat(64);
const image = { ...imagingDecider.initialState(), imageId: 'I1', trialId: 'T1', siteId: 'A', subjectId: 'S-001', modality: 'T1c' as const, versions: [h('a')] };
const mask = (data: number[], dims: [number, number, number] = [2, 2, 2]): Mask => ({ dims, spacing: [1, 1, 2], data: Uint8Array.from(data) });
const parent = mask([1, 1, 1, 1, 0, 0, 0, 0]);
const child = mask([1, 1, 0, 0, 0, 0, 0, 0]);
const spec = deciderSpec(segmentationDecider);
const create = { segmentationId: 'SEG', versionId: 'v1', imageId: 'I1', imageSha256: h('a'), method: 'manual' as const, tool: 'ITK-SNAP', toolVersion: '4', region: 'whole-tumour' as const, maskSha256: h('1') };
const created: SegmentationEvent = {
  type: 'SegmentationCreated',
  data: { ...create, trialId: 'T1', subjectId: 'S-001', grid: { dims: [2, 2, 2], spacing: [1, 1, 2] }, voxelCount: '4', volumeMm3: 8 },
};
const edit = { segmentationId: 'SEG', parentVersionId: 'v1', versionId: 'v2', maskSha256: h('2'), reason: 'Removed vessel' };

test('CreateSegmentation names the exact image version and records the mask grid', () => {
  spec.given().withFacts({ image, mask: parent }).when({ type: 'CreateSegmentation', data: create }).then([created]);
  spec.given().withFacts({ image, mask: parent }).when({ type: 'CreateSegmentation', data: { ...create, imageSha256: h('f') } }).thenThrows('NOT_FOUND', 'imageSha256');
  spec.given().withFacts({ image: imagingDecider.initialState(), mask: parent }).when({ type: 'CreateSegmentation', data: create }).thenThrows('NOT_FOUND', 'imageId');
  spec.given([created]).withFacts({ image, mask: parent }).when({ type: 'CreateSegmentation', data: create }).thenThrows('SEGMENTATION_ALREADY_EXISTS');
  spec.given().withFacts({ image, mask: { ...parent, data: new Uint8Array(3) } }).when({ type: 'CreateSegmentation', data: create }).thenThrows('MASK_INVALID');
});

test('EditSegmentation carries Dice and volume change computed from both masks', () => {
  spec.given([created]).withFacts({ parentMask: parent, newMask: child }).when({ type: 'EditSegmentation', data: edit }).then([
    {
      type: 'SegmentationEdited',
      data: {
        ...edit, parentMaskSha256: h('1'), tool: null, toolVersion: null, grid: { dims: [2, 2, 2], spacing: [1, 1, 2] }, voxelCount: '2', volumeMm3: 4,
        diceVsParent: Math.round((4 / 6) * 1e9) / 1e9, volumeChangeMm3: -4, volumeChangeRelative: -0.5,
      },
    },
  ]);
});

test('EditSegmentation refusals: reason, parent, grid, no-op, unknown segmentation, PHI in reason', () => {
  const facts = { parentMask: parent, newMask: child };
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, reason: '' } }).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, reason: undefined as unknown as string } }).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([created]).withContext({ reason: 'from metadata' }).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, reason: undefined as unknown as string } }).thenEvents((e) => assert.equal((e[0]!.data as { reason: string }).reason, 'from metadata'));
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, parentVersionId: 'v9' } }).thenThrows('NOT_FOUND', 'parentVersionId');
  spec.given([created]).withFacts({ parentMask: parent, newMask: mask([1, 1, 0, 0], [2, 2, 1]) }).when({ type: 'EditSegmentation', data: edit }).thenThrows('MASK_GRID_MISMATCH', 'maskSha256');
  spec.given([created]).withFacts({ parentMask: parent, newMask: { ...child, spacing: [1, 1, 1] } }).when({ type: 'EditSegmentation', data: edit }).thenThrows('MASK_GRID_MISMATCH');
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, maskSha256: h('1') } }).thenThrows('SEGMENTATION_NO_CHANGE');
  spec.given().withFacts(facts).when({ type: 'EditSegmentation', data: edit }).thenThrows('NOT_FOUND', 'segmentationId');
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, reason: 'patient DOE^JOHN moved' } }).thenThrows('PHI_REJECTED', 'reason');
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, reason: 'see MRN: 123456' } }).thenThrows('PHI_REJECTED', 'reason');
  spec.given([created]).withFacts(facts).when({ type: 'EditSegmentation', data: { ...edit, versionId: 'v1' } }).thenThrows('VERSION_ALREADY_EXISTS');
});

test('ReviewSegmentation: known version; a non-accepting verdict needs a comment', () => {
  spec.given([created]).when({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG', versionId: 'v1', verdict: 'accepted' } }).then([
    { type: 'SegmentationReviewed', data: { segmentationId: 'SEG', versionId: 'v1', verdict: 'accepted', comment: null } },
  ]);
  spec.given([created]).when({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG', versionId: 'v1', verdict: 'rejected' } }).thenThrows('REASON_REQUIRED', 'comment');
  spec.given([created]).when({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG', versionId: 'v7', verdict: 'accepted' } }).thenThrows('NOT_FOUND', 'versionId');
  spec.given([created]).when({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG', versionId: 'v1', verdict: 'maybe' as never } }).thenThrows('INVALID_ENUM', 'verdict');
});

test('dice: symmetric, in [0,1], 1 for identical masks (property)', () => {
  const arr = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => a.map((v) => v & 1));
  fc.assert(
    fc.property(arr, arr, (a, b0) => {
      const b = b0.length >= a.length ? b0.slice(0, a.length) : Uint8Array.from({ length: a.length }, (_, i) => b0[i % b0.length]!);
      const d = dice(a, b);
      assert.ok(d >= 0 && d <= 1);
      assert.equal(d, dice(b, a));
      assert.equal(dice(a, a), 1);
    }),
  );
  // Textbook value: |A|=4, |B|=2, |A∩B|=2 → 2·2/6.
  assert.equal(dice(parent.data, child.data), 4 / 6);
  assert.deepEqual(volumeChange(parent, child), { parentVolumeMm3: 8, newVolumeMm3: 4, deltaMm3: -4, relative: -0.5 });
});

test("EditSegmentation: the new mask must not be another subject's or another image's (its bytes are claimed by the first segmentation that recorded them)", () => {
  const facts = (claim: { segmentationId: string; imageId: string; subjectId: string } | null) => ({ parentMask: parent, newMask: child, maskClaim: { claim, revision: claim ? (0 as const) : ('no-stream' as const) } });
  const s = fold(segmentationDecider, [created]);
  spec.given([created]).withFacts(facts({ segmentationId: 'OTHER', imageId: 'I9', subjectId: 'S-999' })).when({ type: 'EditSegmentation', data: edit }).thenThrows('MASK_OF_OTHER_SUBJECT', 'maskSha256');
  spec.given([created]).withFacts(facts({ segmentationId: 'OTHER', imageId: 'I9', subjectId: s.subjectId! })).when({ type: 'EditSegmentation', data: edit }).thenThrows('MASK_OF_OTHER_IMAGE', 'maskSha256');
  spec.given([created]).withFacts(facts(null)).when({ type: 'EditSegmentation', data: edit }).thenEvents((events) => {
    assert.deepEqual(events.map((e) => e.type), ['SegmentationEdited', 'MaskBytesClaimed']);
    assert.deepEqual(events[1]!.data, { maskSha256: edit.maskSha256, segmentationId: s.segmentationId, imageId: s.imageId, subjectId: s.subjectId });
  });
});
