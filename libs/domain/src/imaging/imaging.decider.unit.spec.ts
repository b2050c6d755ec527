import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { trialDecider } from '../trial/trial.decider.js';
import type { TrialEvent } from '../trial/trial.events.js';
import { imagingDecider } from './imaging.decider.js';
import type { AcquireImageData } from './imaging.commands.js';
import type { ImagingEvent } from './imaging.events.js';

const h = (c: string) => c.repeat(64);
const trial = fold(trialDecider, [
  { type: 'TrialRegistered', data: { trialId: 'T1', title: 't', sponsor: 's', phase: null, blinded: false } },
  { type: 'SiteEnrolled', data: { trialId: 'T1', siteId: 'A', name: 'A' } },
  { type: 'SiteEnrolled', data: { trialId: 'T1', siteId: 'B', name: 'B' } },
  { type: 'SubjectEnrolled', data: { trialId: 'T1', siteId: 'A', subjectId: 'S-001' } },
  {
    type: 'ImagingProtocolDefined',
    data: { trialId: 'T1', protocolId: 'P1', modality: 'T1c', fieldStrengthT: 3, trMs: { min: 400, max: 800 }, teMs: { min: 5, max: 20 }, contrast: { agent: null, injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } } },
  },
] as TrialEvent[]);
const spec = deciderSpec(imagingDecider);
const acq: AcquireImageData = {
  imageId: 'I1', trialId: 'T1', siteId: 'A', subjectId: 'S-001', modality: 'T1c', scanner: { vendor: 'GE', model: 'Premier' },
  fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 1, contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256: h('a'),
};
const acquired: ImagingEvent = { type: 'ImageAcquired', data: { ...acq, imageId: 'I1', contrast: acq.contrast!, studyUidHash: null, seriesUidHash: null, protocolId: 'P1' } };

const claim: ImagingEvent = {
  type: 'ImageBytesClaimed',
  data: { artifactSha256: h('a'), imageId: 'I1', trialId: 'T1', subjectId: 'S-001', modality: 'T1c' },
  stream: { id: `imagebytes-${h('a')}`, expectedRevision: 'no-stream' },
};

test('an acquisition within the protocol records ImageAcquired and claims its bytes', () => {
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: acq }).then([acquired, claim]);
});

test('the same image bytes for another subject or modality are refused; for the same subject and modality they are not claimed twice', () => {
  const bytes = (over: Record<string, unknown> = {}) => ({ claim: { imageId: 'I0', trialId: 'T1', subjectId: 'S-001', modality: 'T1c' as const, ...over }, revision: 0 as const });
  spec.given().withFacts({ trial, bytes: bytes({ subjectId: 'S-002' }) }).when({ type: 'AcquireImage', data: acq }).thenThrows('IMAGE_BYTES_OF_OTHER_SUBJECT', 'artifactSha256');
  spec.given().withFacts({ trial, bytes: bytes({ trialId: 'T2' }) }).when({ type: 'AcquireImage', data: acq }).thenThrows('IMAGE_BYTES_OF_OTHER_SUBJECT', 'artifactSha256');
  spec.given().withFacts({ trial, bytes: bytes({ modality: 'FLAIR' }) }).when({ type: 'AcquireImage', data: acq }).thenThrows('IMAGE_BYTES_OF_OTHER_MODALITY', 'artifactSha256');
  spec.given().withFacts({ trial, bytes: bytes() }).when({ type: 'AcquireImage', data: acq }).then([acquired]);
});

test('RecordImageQuality records the verdict on a version of the image; a failed image is excluded from feature sets', () => {
  const qc = {
    imageId: 'I1', imageSha256: h('a'), snr: 4.2, cnr: 1.1, ghostToSignalRatio: 0.06, ghostAxis: 'y', metadataCompleteness: 1, missingMetadata: [],
    thresholds: { minSnr: 10, minCnr: 3, maxGhostToSignalRatio: 0.025, minMetadataCompleteness: 1 }, failures: [{ check: 'SNR', detail: 'SNR 4.2 < 10' }], software: { name: 'qc', version: '1' },
  };
  spec.given([acquired]).when({ type: 'RecordImageQuality', data: qc }).thenEvents((events) => {
    assert.equal(events.length, 1);
    const d = events[0]!.data as { passed: boolean; excludedFromFeatures: boolean; trialId: string; siteId: string };
    assert.deepEqual([d.passed, d.excludedFromFeatures, d.trialId, d.siteId], [false, true, 'T1', 'A']);
  });
  spec.given([acquired]).when({ type: 'RecordImageQuality', data: { ...qc, imageSha256: h('c') } }).thenThrows('NOT_FOUND', 'imageSha256');
  spec.given().when({ type: 'RecordImageQuality', data: qc }).thenThrows('NOT_FOUND', 'imageId');
});

test('each protocol mismatch is recorded as ProtocolDeviationDetected beside the acquisition', () => {
  const cases: Array<[Partial<AcquireImageData>, string]> = [
    [{ fieldStrengthT: 1.5 }, 'fieldStrengthT'],
    [{ trMs: 2000 }, 'trMs'],
    [{ teMs: 30 }, 'teMs'],
    [{ contrast: { agent: 'g', injectionRateMlPerS: 6, delayS: 90 } }, 'contrast.injectionRateMlPerS'],
    [{ contrast: { agent: 'g', injectionRateMlPerS: 3, delayS: 45 } }, 'contrast.delayS'],
    [{ contrast: undefined }, 'contrast'],
  ];
  for (const [change, field] of cases) {
    spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, ...change } }).thenEvents((events) => {
      assert.deepEqual(events.map((e) => e.type), ['ImageAcquired', 'ProtocolDeviationDetected', 'ImageBytesClaimed']);
      const dev = events[1]!.data as { deviations: Array<{ field: string }> };
      assert.deepEqual(dev.deviations.map((d) => d.field), [field]);
    });
  }
});

test('the subject must belong to an enrolled site of the registered trial', () => {
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, siteId: 'Z' } }).thenThrows('NOT_FOUND', 'siteId');
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, subjectId: 'S-404' } }).thenThrows('NOT_FOUND', 'subjectId');
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, siteId: 'B' } }).thenThrows('SUBJECT_SITE_MISMATCH', 'siteId');
  spec.given().withFacts({ trial: trialDecider.initialState() }).when({ type: 'AcquireImage', data: acq }).thenThrows('NOT_FOUND', 'trialId');
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, subjectId: 'MUSTER^MAX' } }).thenThrows('PHI_REJECTED', 'subjectId');
  spec.given([acquired]).withFacts({ trial }).when({ type: 'AcquireImage', data: acq }).thenThrows('IMAGE_ALREADY_ACQUIRED');
  spec.given().withFacts({ trial }).when({ type: 'AcquireImage', data: { ...acq, artifactSha256: 'abc' } }).thenThrows('INVALID_SHA256', 'artifactSha256');
});

test('ApplyPreprocessing needs a known input version and a new output', () => {
  const pre = { imageId: 'I1', stepId: 'n4', tool: 'N4', toolVersion: '2', parameters: {}, inputSha256: h('a'), outputSha256: h('b') };
  spec.given([acquired]).when({ type: 'ApplyPreprocessing', data: pre }).then([{ type: 'PreprocessingApplied', data: pre }]);
  spec.given([acquired]).when({ type: 'ApplyPreprocessing', data: { ...pre, inputSha256: h('c') } }).thenThrows('NOT_FOUND', 'inputSha256');
  spec.given([acquired]).when({ type: 'ApplyPreprocessing', data: { ...pre, outputSha256: h('a') } }).thenThrows('PREPROCESSING_NO_CHANGE');
  spec.given().when({ type: 'ApplyPreprocessing', data: pre }).thenThrows('NOT_FOUND', 'imageId');
});
