import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventValidator } from '@radledger/domain';
import { syntheticTrial } from './synthetic-trial.js';

describe('synthetic trial', () => {
  test('every generated event passes its JSON Schema (schemas/events), so seeds and benches use real shapes', () => {
    const validate = createEventValidator();
    const events = [...syntheticTrial({ sites: 2, subjectsPerSite: 3, modalities: ['T1', 'T1c', 'T2', 'FLAIR'], editsPerSegmentation: 2, trainingSubjects: 2, hashMismatchEvery: 2, deviationEvery: 3, editAfterReviewEvery: 2 })];
    const types = new Set<string>();
    for (const { event } of events) {
      validate(event);
      types.add(event.type);
    }
    for (const type of ['TrialRegistered', 'SiteEnrolled', 'SubjectEnrolled', 'ImagingProtocolDefined', 'ImageAcquired', 'ProtocolDeviationDetected', 'PreprocessingApplied', 'SegmentationCreated', 'SegmentationEdited', 'SegmentationReviewed', 'FeaturesComputed', 'ModelRegistered', 'ChangeControlPlanRecorded', 'ModelValidationRecorded', 'ModelLocked', 'ModelDecisionMade', 'RecordSigned', 'UserRegistered']) {
      assert.ok(types.has(type), `the trial has ${type}`);
    }
  });
});
