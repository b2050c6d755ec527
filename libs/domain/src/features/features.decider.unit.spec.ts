import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { imagingDecider } from '../imaging/imaging.decider.js';
import { segmentationDecider } from '../segmentation/segmentation.decider.js';
import type { SegmentationEvent } from '../segmentation/segmentation.events.js';
import { defaultRadiomicsSettings } from '@radledger/radiomics';
import { featuresDecider, featureResultSha256 } from './features.decider.js';
import { ibsiSettingsSummary } from './ibsi-settings-summary.js';
import type { IbsiSettings } from './features.commands.js';
import type { FeaturesEvent } from './features.events.js';

const h = (c: string) => c.repeat(64);
const image = { ...imagingDecider.initialState(), imageId: 'I1', trialId: 'T1', siteId: 'A', subjectId: 'S-001', modality: 'T1c' as const, versions: [h('a'), h('b')] };
const created: SegmentationEvent = {
  type: 'SegmentationCreated',
  data: { segmentationId: 'SEG', versionId: 'v1', imageId: 'I1', imageSha256: h('a'), trialId: 'T1', subjectId: 'S-001', method: 'manual', tool: 't', toolVersion: '1', region: 'whole-tumour', maskSha256: h('1'), grid: { dims: [1, 1, 1], spacing: [1, 1, 1] }, voxelCount: '1', volumeMm3: 1 },
};
const segmentation = fold(segmentationDecider, [created]);
const settings: IbsiSettings = { resamplingMm: [1, 1, 1], interpolation: { image: 'linear', mask: 'linear', maskThreshold: 0.5 }, discretisation: { method: 'fixed-bin-size', binWidth: 25, binCount: null }, resegmentationRange: null, outlierSigma: null, aggregation: '3D-merged' };
const cmd = { featureSetId: 'FS', imageId: 'I1', imageSha256: h('b'), segmentationId: 'SEG', maskVersionId: 'v1', extractor: { name: 'x', version: '1' }, settings, features: { Q4LE: 1.5, 'GYBY@IAZD': 0.25 }, provenance: 'computed' as const };
const spec = deciderSpec(featuresDecider);
const computed: FeaturesEvent = {
  type: 'FeaturesComputed',
  data: {
    featureSetId: 'FS', trialId: 'T1', siteId: 'A', subjectId: 'S-001', modality: 'T1c', imageId: 'I1', imageSha256: h('b'), segmentationId: 'SEG', maskVersionId: 'v1', maskSha256: h('1'),
    extractor: { name: 'x', version: '1' }, settings, extractorSettings: null, features: { Q4LE: 1.5, 'GYBY@IAZD': 0.25 }, resultSha256: featureResultSha256({ Q4LE: 1.5, 'GYBY@IAZD': 0.25 }), reproducible: true, attested: false,
  },
};

test('ComputeFeatures names exact image and mask versions and every IBSI setting', () => {
  spec.given().withFacts({ image, segmentation }).when({ type: 'ComputeFeatures', data: cmd }).then([computed]);
  spec.given().withFacts({ image, segmentation }).when({ type: 'ComputeFeatures', data: { ...cmd, provenance: 'imported' } }).thenEvents((e) => {
    const d = e[0]!.data as { attested: boolean; reproducible: boolean };
    if (!d.attested || d.reproducible) throw new Error('imported features must be attested, not reproducible');
  });
});

test('the extractor configuration is recorded verbatim beside the IBSI summary', () => {
  const extractorSettings = { schemaVersion: 1, sliceMode: '3D', texture: { aggregation: ['3D-merged', '3D-averaged'] } };
  spec.given().withFacts({ image, segmentation }).when({ type: 'ComputeFeatures', data: { ...cmd, extractorSettings } }).thenEvents((e) => {
    if (JSON.stringify((e[0]!.data as { extractorSettings: unknown }).extractorSettings) !== JSON.stringify(extractorSettings)) throw new Error('extractorSettings not recorded verbatim');
  });
  // An extractor configuration passed where the IBSI summary belongs is refused with a hint.
  spec.given().withFacts({ image, segmentation }).when({ type: 'ComputeFeatures', data: { ...cmd, settings: extractorSettings as never } }).thenThrows('IBSI_SETTINGS_REQUIRED', 'extractorSettings');
});

test('ComputeFeatures refusals', () => {
  const f = { image, segmentation };
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, imageSha256: h('9') } }).thenThrows('NOT_FOUND', 'imageSha256');
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, maskVersionId: 'v9' } }).thenThrows('NOT_FOUND', 'maskVersionId');
  spec.given().withFacts({ image, segmentation: segmentationDecider.initialState() }).when({ type: 'ComputeFeatures', data: cmd }).thenThrows('NOT_FOUND', 'segmentationId');
  spec.given().withFacts({ image: { ...image, imageId: 'I2' }, segmentation }).when({ type: 'ComputeFeatures', data: { ...cmd, imageId: 'I2' } }).thenThrows('MASK_IMAGE_MISMATCH');
  const { aggregation: _a, ...noAggregation } = settings;
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, settings: noAggregation as IbsiSettings } }).thenThrows('IBSI_SETTINGS_REQUIRED', 'settings.aggregation');
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, settings: { ...settings, discretisation: { method: 'fixed-bin-size', binWidth: null, binCount: 32 } } } }).thenThrows('IBSI_SETTINGS_INVALID', 'binWidth');
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, features: {} } }).thenThrows('FEATURES_MISSING');
  spec.given().withFacts(f).when({ type: 'ComputeFeatures', data: { ...cmd, features: { Q4LE: Number.NaN } } }).thenThrows('INVALID_NUMBER', 'features.Q4LE');
  spec.given([computed]).withFacts(f).when({ type: 'ComputeFeatures', data: cmd }).thenThrows('FEATURE_SET_ALREADY_EXISTS');
  const rejected = fold(segmentationDecider, [created, { type: 'SegmentationReviewed', data: { segmentationId: 'SEG', versionId: 'v1', verdict: 'rejected', comment: 'leak' } }]);
  spec.given().withFacts({ image, segmentation: rejected }).when({ type: 'ComputeFeatures', data: cmd }).thenThrows('SEGMENTATION_REJECTED');
});

test('partitions: assign, reason to move, test partition sealed', () => {
  spec.given([computed]).when({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS', partition: 'train' } }).then([
    { type: 'FeatureSetPartitionAssigned', data: { featureSetId: 'FS', partition: 'train', previousPartition: null, reason: null } },
  ]);
  const inTrain: FeaturesEvent = { type: 'FeatureSetPartitionAssigned', data: { featureSetId: 'FS', partition: 'train', previousPartition: null, reason: null } };
  const inTest: FeaturesEvent = { type: 'FeatureSetPartitionAssigned', data: { featureSetId: 'FS', partition: 'test', previousPartition: null, reason: null } };
  spec.given([computed, inTrain]).when({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS', partition: 'tune' } }).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([computed, inTrain]).when({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS', partition: 'train' } }).thenThrows('PARTITION_UNCHANGED');
  spec.given([computed, inTest]).when({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS', partition: 'train', reason: 'rebalance' } }).thenThrows('TEST_PARTITION_SEALED');
  spec.given().when({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS', partition: 'train' } }).thenThrows('NOT_FOUND', 'featureSetId');
});

test('ibsiSettingsSummary of the extractor defaults is a valid IBSI summary', () => {
  const extractorSettings = defaultRadiomicsSettings();
  const summary = ibsiSettingsSummary(extractorSettings);
  spec.given().withFacts({ image, segmentation }).when({ type: 'ComputeFeatures', data: { ...cmd, settings: summary, extractorSettings: extractorSettings as unknown as Record<string, unknown> } }).thenEvents((e) => {
    const d = e[0]!.data as { settings: IbsiSettings };
    if (d.settings.discretisation.method !== 'fixed-bin-number' || d.settings.discretisation.binCount !== 32 || d.settings.resamplingMm !== null) throw new Error(JSON.stringify(d.settings));
  });
});
test('an image that failed QC is excluded from feature sets (IMAGE_QC_FAILED)', () => {
  const failed = { ...image, qc: { imageSha256: h('a'), passed: false, excludedFromFeatures: true } };
  spec.given().withFacts({ image: failed, segmentation }).when({ type: 'ComputeFeatures', data: cmd }).thenThrows('IMAGE_QC_FAILED', 'imageId');
});
