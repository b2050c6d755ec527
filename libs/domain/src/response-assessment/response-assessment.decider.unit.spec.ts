import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { trialDecider } from '../trial/trial.decider.js';
import type { ImageState } from '../imaging/imaging.decider.js';
import type { SegmentationState } from '../segmentation/segmentation.decider.js';
import { responseAssessmentDecider, responseAssessmentStreamId } from './response-assessment.decider.js';
import type { ResponseAssessmentEvent } from './response-assessment.events.js';
import { given, READER_A, SUBJECT, TRIAL } from './testing/response-record.builder.js';

const spec = deciderSpec(responseAssessmentDecider);
const ref = { trialId: TRIAL, subjectId: SUBJECT };
const trial = fold(trialDecider, [
  { type: 'TrialRegistered', data: { trialId: TRIAL, title: 't', sponsor: 's', phase: null, blinded: false } },
  { type: 'SiteEnrolled', data: { trialId: TRIAL, siteId: 'SITE-BER', name: 'Berlin' } },
  { type: 'SubjectEnrolled', data: { trialId: TRIAL, siteId: 'SITE-BER', subjectId: SUBJECT } },
]);
const image = (imageId: string, subjectId = SUBJECT): ImageState => ({ imageId, trialId: TRIAL, siteId: 'SITE-BER', subjectId, modality: 'T1c', versions: ['a'.repeat(64)], deviations: 0 });
const reader = { actor: READER_A, role: 'reader' };

test('RecordResponseTimepoint: the images must be this subject\'s, read at one timepoint only, one examination per study day', () => {
  const cmd = { type: 'RecordResponseTimepoint' as const, data: { ...ref, timepointId: 'BL', studyDay: 70, imageIds: ['img-BL'] } };
  spec.given().withFacts({ trial, images: { 'img-BL': image('img-BL') } }).when(cmd).then([{ type: 'ResponseTimepointRecorded', data: { ...ref, timepointId: 'BL', studyDay: 70, imageIds: ['img-BL'] } }]);
  spec.given().withFacts({ trial, images: { 'img-BL': image('img-BL', 'GRA-BER-002') } }).when(cmd).thenThrows('IMAGE_OF_OTHER_SUBJECT', 'imageIds[0]');
  spec.given().withFacts({ trial, images: {} }).when(cmd).thenThrows('NOT_FOUND', 'imageIds[0]');
  spec.given().withFacts({ trial: trialDecider.initialState(), images: {} }).when(cmd).thenThrows('NOT_FOUND', 'trialId');
  const history = given().timepoint('BL', 70).events;
  spec.given(history).withFacts({ trial, images: { 'img-BL': image('img-BL') } }).when({ ...cmd, data: { ...cmd.data, timepointId: 'F1', studyDay: 126 } }).thenThrows('IMAGE_IN_OTHER_TIMEPOINT');
  spec.given(history).withFacts({ trial, images: { 'img-F1': image('img-F1') } }).when({ ...cmd, data: { ...cmd.data, timepointId: 'F1', imageIds: ['img-F1'] } }).thenThrows('TIMEPOINT_DAY_TAKEN', 'studyDay');
  spec.given(history).withFacts({ trial, images: {} }).when({ ...cmd, data: { ...cmd.data, subjectId: 'GRA-BER-002', timepointId: 'F1', studyDay: 1 } }).thenThrows('SUBJECT_MISMATCH');
  spec.given().withFacts({ trial, images: {} }).when({ ...cmd, data: { ...cmd.data, studyDay: 7.5 } }).thenThrows('INVALID_NUMBER', 'studyDay');
});

test('DesignateResponseBaseline: a post-radiotherapy baseline needs the end of radiotherapy, before the scan; only one baseline', () => {
  const history = given().timepoint('BL', 70).events;
  const cmd = { type: 'DesignateResponseBaseline' as const, data: { ...ref, timepointId: 'BL', kind: 'post-radiotherapy' as const, radiotherapyEndStudyDay: 42, component: 'enhancing' as const, method: 'bidimensional' as const } };
  spec.given(history).when(cmd).then([
    {
      type: 'ResponseBaselineDesignated',
      data: { ...ref, timepointId: 'BL', kind: 'post-radiotherapy', radiotherapyEndStudyDay: 42, component: 'enhancing', method: 'bidimensional', criteria: { version: 'RANO 2.0', maxTargetLesions: 3, confirmationMinDays: 28, progressionConfirmation: 'within-12-weeks-after-radiotherapy' } },
    },
  ]);
  spec.given(history).when({ ...cmd, data: { ...cmd.data, radiotherapyEndStudyDay: null } }).thenThrows('REQUIRED', 'radiotherapyEndStudyDay');
  spec.given(history).when({ ...cmd, data: { ...cmd.data, radiotherapyEndStudyDay: 80 } }).thenThrows('BASELINE_BEFORE_RADIOTHERAPY_END');
  spec.given(history).when({ ...cmd, data: { ...cmd.data, criteria: { maxTargetLesions: 9 } } }).thenThrows('OUT_OF_RANGE', 'criteria.maxTargetLesions');
  spec.given(history).when({ ...cmd, data: { ...cmd.data, timepointId: 'NOPE' } }).thenThrows('NOT_FOUND', 'timepointId');
  spec.given(given().timepoint('BL', 70).baseline('BL').events).when(cmd).thenThrows('BASELINE_ALREADY_DESIGNATED');
});

test('IdentifyLesion: targets and non-targets at baseline (at most 3 targets, of the assessed component), new lesions after it', () => {
  const history = given().timepoint('BL', 70).baseline('BL').timepoint('F1', 126).events;
  const lesion = (lesionId: string, timepointId: string, role: 'target' | 'non-target' | 'new', component: 'enhancing' | 'non-enhancing' = 'enhancing') => ({
    type: 'IdentifyLesion' as const,
    data: { ...ref, lesionId, timepointId, role, component, outsideRadiationField: true },
  });
  spec.given(history).when(lesion('T1', 'BL', 'target')).then([{ type: 'LesionIdentified', data: { ...ref, lesionId: 'T1', timepointId: 'BL', role: 'target', component: 'enhancing', outsideRadiationField: null } }]);
  spec.given(history).when(lesion('X1', 'F1', 'new')).then([{ type: 'LesionIdentified', data: { ...ref, lesionId: 'X1', timepointId: 'F1', role: 'new', component: 'enhancing', outsideRadiationField: true } }]);
  spec.given(history).when(lesion('T1', 'F1', 'target')).thenThrows('LESION_ROLE_TIMEPOINT');
  spec.given(history).when(lesion('X1', 'BL', 'new')).thenThrows('LESION_ROLE_TIMEPOINT');
  spec.given(history).when(lesion('T1', 'BL', 'target', 'non-enhancing')).thenThrows('TARGET_COMPONENT_MISMATCH');
  const three = given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').lesion('T2', 'BL', 'target').lesion('T3', 'BL', 'target').events;
  spec.given(three).when(lesion('T4', 'BL', 'target')).thenThrows('TOO_MANY_TARGET_LESIONS', 'role');
  spec.given(three).when(lesion('T1', 'BL', 'non-target')).thenThrows('LESION_EXISTS');
  spec.given(given().timepoint('BL', 70).events).when(lesion('T1', 'BL', 'target')).thenThrows('BASELINE_REQUIRED');
});

test('RecordLesionMeasurement: the reader is the actor; image of the timepoint, mask of that image; a second reading needs a reason', () => {
  const history = given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').lesion('N1', 'BL', 'non-target').timepoint('F1', 126).events;
  const measure = (over: Record<string, unknown> = {}) => ({
    type: 'RecordLesionMeasurement' as const,
    data: { ...ref, timepointId: 'BL', lesionId: 'T1', longestDiameterMm: 30, perpendicularDiameterMm: 20, imageId: 'img-BL', ...over },
  });
  const measured: ResponseAssessmentEvent = {
    type: 'LesionMeasured',
    data: { ...ref, timepointId: 'BL', lesionId: 'T1', readerId: READER_A, longestDiameterMm: 30, perpendicularDiameterMm: 20, volumeMm3: null, sliceThicknessMm: null, imageId: 'img-BL', segmentationId: null, maskVersionId: null, reason: null },
  };
  spec.given(history).withContext(reader).when(measure()).then([measured]);
  spec.given(history).withContext(reader).when(measure({ imageId: 'img-F1' })).thenThrows('IMAGE_NOT_IN_TIMEPOINT', 'imageId');
  spec.given(history).withContext(reader).when(measure({ perpendicularDiameterMm: 31 })).thenThrows('PERPENDICULAR_EXCEEDS_LONGEST');
  spec.given(history).withContext(reader).when(measure({ longestDiameterMm: -1 })).thenThrows('OUT_OF_RANGE', 'longestDiameterMm');
  spec.given(history).withContext(reader).when(measure({ timepointId: 'F1', lesionId: 'N1', imageId: 'img-F1' })).thenThrows('NON_TARGET_NOT_MEASURED');
  spec.given([...history, measured]).withContext(reader).when(measure()).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([...history, measured]).withContext(reader).when(measure({ longestDiameterMm: 31, reason: 'Re-measured on the thinner reformat' })).thenEvents((events) => {
    assert.equal((events[0]!.data as { reason: string }).reason, 'Re-measured on the thinner reformat');
  });
  spec.given([...history, measured]).withContext({ actor: 'reader-b', role: 'reader' }).when(measure()).thenEvents((events) => assert.equal((events[0]!.data as { readerId: string }).readerId, 'reader-b'));
  // The mask must be of the image measured (issue 15: an edit with another subject's mask was accepted).
  const seg = (imageId: string): SegmentationState => ({ segmentationId: 'seg-1', imageId, imageSha256: 'a'.repeat(64), trialId: TRIAL, subjectId: SUBJECT, versions: { v1: { versionId: 'v1', parentVersionId: null, maskSha256: 'b'.repeat(64), grid: { dims: [1, 1, 1], spacing: [1, 1, 1] }, review: null } }, order: ['v1'] });
  spec.given(history).withContext({ ...reader, facts: { segmentation: seg('img-BL') } }).when(measure({ segmentationId: 'seg-1', maskVersionId: 'v1' })).thenEvents((events) => assert.equal((events[0]!.data as { maskVersionId: string }).maskVersionId, 'v1'));
  spec.given(history).withContext({ ...reader, facts: { segmentation: seg('img-other') } }).when(measure({ segmentationId: 'seg-1', maskVersionId: 'v1' })).thenThrows('MASK_OF_OTHER_IMAGE');
  spec.given(history).withContext({ ...reader, facts: { segmentation: seg('img-BL') } }).when(measure({ segmentationId: 'seg-1', maskVersionId: 'v9' })).thenThrows('NOT_FOUND', 'maskVersionId');
  const volumetric = given().timepoint('BL', 70).baseline('BL', { method: 'volumetric' }).lesion('T1', 'BL', 'target').events;
  spec.given(volumetric).withContext(reader).when(measure()).thenThrows('VOLUME_REQUIRED', 'volumeMm3');
});

test('AssessNonTargetLesion and RecordClinicalStatus: statuses from their lists; deterioration needs its cause', () => {
  const history = given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').lesion('N1', 'BL', 'non-target').events;
  spec.given(history).withContext(reader).when({ type: 'AssessNonTargetLesion', data: { ...ref, timepointId: 'BL', lesionId: 'N1', status: 'present' } }).then([
    { type: 'NonTargetLesionAssessed', data: { ...ref, timepointId: 'BL', lesionId: 'N1', readerId: READER_A, status: 'present', reason: null } },
  ]);
  spec.given(history).withContext(reader).when({ type: 'AssessNonTargetLesion', data: { ...ref, timepointId: 'BL', lesionId: 'T1', status: 'present' } }).thenThrows('NOT_A_NON_TARGET_LESION');
  spec.given(history).withContext(reader).when({ type: 'AssessNonTargetLesion', data: { ...ref, timepointId: 'BL', lesionId: 'N1', status: 'bigger' as never } }).thenThrows('INVALID_ENUM', 'status');
  spec.given(history).when({ type: 'RecordClinicalStatus', data: { ...ref, timepointId: 'BL', dexamethasoneMgPerDay: 4, status: 'deteriorated' } }).thenThrows('INVALID_ENUM', 'deteriorationCause');
  spec.given(history).when({ type: 'RecordClinicalStatus', data: { ...ref, timepointId: 'BL', dexamethasoneMgPerDay: 4, status: 'stable', deteriorationCause: 'tumour' } }).thenThrows('INPUT_INVALID', 'deteriorationCause');
  spec.given(history).when({ type: 'RecordClinicalStatus', data: { ...ref, timepointId: 'BL', dexamethasoneMgPerDay: 4, status: 'stable' } }).then([
    { type: 'ClinicalStatusRecorded', data: { ...ref, timepointId: 'BL', dexamethasoneMgPerDay: 4, physiologicReplacementOnly: false, status: 'stable', deteriorationCause: null, reason: null } },
  ]);
});

test('AssessTimepointResponse records the derivation as known then; in order per reader; a re-assessment needs a reason', () => {
  const b = given()
    .timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').measure('BL', 'T1', 20, 20).clinical('BL', 2)
    .timepoint('F1', 112).measure('F1', 'T1', 26, 20).clinical('F1', 2)
    .timepoint('F2', 140).measure('F2', 'T1', 30, 22).clinical('F2', 2);
  const assess = (timepointId: string, extra: Record<string, unknown> = {}) => ({ type: 'AssessTimepointResponse' as const, data: { ...ref, timepointId, ...extra } });
  const f1: ResponseAssessmentEvent = {
    type: 'TimepointResponseAssessed',
    data: { ...ref, timepointId: 'F1', readerId: READER_A, category: 'PD', confirmation: 'pending', targetSum: 520, baselineSum: 400, nadirSum: 400, rules: ['TARGET_SUM_INCREASE_FROM_NADIR', 'PRELIMINARY_PD_CONFIRMATION_REQUIRED'], resolves: [], progressionStudyDay: null, reason: null },
  };
  spec.given(b.events).withContext(reader).when(assess('F1')).then([f1]);
  spec.given(b.events).withContext(reader).when(assess('F2')).thenThrows('ASSESSMENT_OUT_OF_ORDER', 'F1');
  spec.given([...b.events, f1]).withContext(reader).when(assess('F2')).then([
    {
      type: 'TimepointResponseAssessed',
      data: {
        ...ref,
        timepointId: 'F2',
        readerId: READER_A,
        category: 'PD',
        confirmation: 'confirmed',
        targetSum: 660,
        baselineSum: 400,
        nadirSum: 400,
        rules: ['TARGET_SUM_INCREASE_FROM_NADIR', 'FURTHER_TARGET_INCREASE_FROM_PRELIMINARY_PD'],
        resolves: [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }],
        progressionStudyDay: 112,
        reason: null,
      },
    },
  ]);
  spec.given([...b.events, f1]).withContext(reader).when(assess('F1')).thenThrows('REASON_REQUIRED');
  spec.given(b.events).withContext(reader).when(assess('BL')).thenThrows('TIMEPOINT_NOT_FOLLOW_UP');
  // A coordinator records reader-a's assessment by naming the reader.
  spec.given(b.events).withContext({ actor: 'core-lab', role: 'reader' }).when(assess('F1', { readerId: READER_A })).then([f1]);
});

test('evolve replays every event type and the stream id separates trial and subject', () => {
  const state = given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').measure('BL', 'T1', 20, 20).nonTarget('BL', 'T1', 'present').clinical('BL', 2).state();
  assert.equal(state.subjectId, SUBJECT);
  assert.equal(state.baseline?.timepointId, 'BL');
  assert.equal(Object.keys(state.measurements).length, 1);
  assert.equal(responseAssessmentStreamId('A-B', 'C'), 'response-A-B/C');
  assert.notEqual(responseAssessmentStreamId('A-B', 'C'), responseAssessmentStreamId('A', 'B-C'));
});
