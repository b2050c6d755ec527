import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { featuresDecider } from '../features/features.decider.js';
import { modelsDecider } from '../models/models.decider.js';
import { decisionsDecider } from './decisions.decider.js';
import type { DecisionsEvent } from './decisions.events.js';

const h = (c: string) => c.repeat(64);
const featureSet = { ...featuresDecider.initialState(), featureSetId: 'FS', trialId: 'T1', siteId: 'A', subjectId: 'S-001', modality: 'T1c' as const, features: { Q4LE: 1 }, resultSha256: h('f') };
const version = { version: '1', artifactSha256: h('1'), featureCodes: ['Q4LE'], decisionRule: { threshold: 0.5, positiveLabel: 'mutant', negativeLabel: 'wildtype' }, inputModality: 'T1c' as const, status: 'locked' as const, ordinal: 0, validations: [] };
const locked = { ...modelsDecider.initialState(), modelId: 'M', versions: { '1': version }, lockedByTrial: { T1: '1' } };
const cmd = { decisionId: 'D', modelId: 'M', modelVersion: '1', modelSha256: h('1'), featureSetId: 'FS', outputs: { p: 0.7 }, threshold: 0.5, decision: 'IDH-mutant' };
const made: DecisionsEvent = { type: 'ModelDecisionMade', data: { ...cmd, trialId: 'T1', siteId: 'A', subjectId: 'S-001', featureSetResultSha256: h('f'), explanation: null } };
const spec = deciderSpec(decisionsDecider);

test('MakeDecision from the version locked for the trial, with its locked hash', () => {
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: cmd }).then([made]);
});

test('MakeDecision refusals', () => {
  spec.given().withFacts({ model: { ...locked, lockedByTrial: {} }, featureSet }).when({ type: 'MakeDecision', data: cmd }).thenThrows('MODEL_NOT_LOCKED', 'modelVersion');
  spec.given().withFacts({ model: { ...locked, lockedByTrial: { T2: '1' } }, featureSet }).when({ type: 'MakeDecision', data: cmd }).thenThrows('MODEL_NOT_LOCKED');
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, modelSha256: h('2') } }).thenThrows('MODEL_HASH_MISMATCH', 'modelSha256');
  spec.given().withFacts({ model: locked, featureSet: { ...featureSet, features: { OTHER: 1 } } }).when({ type: 'MakeDecision', data: cmd }).thenThrows('FEATURES_MISSING', 'Q4LE');
  spec.given().withFacts({ model: locked, featureSet: featuresDecider.initialState() }).when({ type: 'MakeDecision', data: cmd }).thenThrows('NOT_FOUND', 'featureSetId');
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, modelVersion: '7' } }).thenThrows('NOT_FOUND', 'modelVersion');
  spec.given([made]).withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: cmd }).thenThrows('DECISION_ALREADY_MADE');
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, subjectId: 'S-002' } }).thenThrows('FEATURE_SET_SUBJECT_MISMATCH', 'featureSetId');
  spec.given().withFacts({ model: locked, featureSet: { ...featureSet, modality: 'FLAIR' as const } }).when({ type: 'MakeDecision', data: cmd }).thenThrows('FEATURE_SET_MODALITY_MISMATCH', 'featureSetId');
});

test('MakeDecision for the named subject on the model modality is recorded', () => {
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, subjectId: 'S-001' } }).then([made]);
});

test('OverrideDecision needs a reason and a different decision', () => {
  spec.given([made]).when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'IDH-wildtype', reason: 'Pathology' } }).then([
    { type: 'DecisionOverridden', data: { decisionId: 'D', previousDecision: 'IDH-mutant', decision: 'IDH-wildtype', reason: 'Pathology' } },
  ]);
  spec.given([made]).when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'IDH-wildtype', reason: ' ' } }).thenThrows('REASON_REQUIRED');
  spec.given([made]).when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'IDH-mutant', reason: 'x' } }).thenThrows('DECISION_UNCHANGED');
  spec.given().when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'x', reason: 'x' } }).thenThrows('NOT_FOUND');
});

test('OverrideDecision only to one of the deciding version\'s declared labels', () => {
  const mutant: DecisionsEvent = { ...made, data: { ...(made.data as object), decision: 'mutant' } as never };
  spec.given([mutant]).withFacts({ model: locked }).when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'banana', reason: 'x' } }).thenThrows('DECISION_LABEL_UNKNOWN', 'decision');
  spec.given([mutant]).withFacts({ model: locked }).when({ type: 'OverrideDecision', data: { decisionId: 'D', decision: 'wildtype', reason: 'Pathology' } }).then([
    { type: 'DecisionOverridden', data: { decisionId: 'D', previousDecision: 'mutant', decision: 'wildtype', reason: 'Pathology' } },
  ]);
});

test('a version with an explanation reference records an additive explanation against exactly that reference', () => {
  const explained = { ...locked, versions: { '1': { ...version, explanationReference: { artifactSha256: h('r'), rows: 600 } } } };
  const explanation = {
    method: 'linear-exact' as const,
    outputSpace: 'log-odds' as const,
    expectedValue: -0.5,
    modelOutput: 0.75,
    contributions: [{ featureCode: 'Q4LE', value: 1, contribution: 1.25 }],
    reference: { sha256: h('r'), rows: 600 },
    additivityError: 0,
  };
  spec.given().withFacts({ model: explained, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, explanation } }).then([{ ...made, data: { ...made.data, explanation } } as DecisionsEvent]);
  spec.given().withFacts({ model: explained, featureSet }).when({ type: 'MakeDecision', data: cmd }).thenThrows('EXPLANATION_REQUIRED', 'explanation');
  spec.given().withFacts({ model: explained, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, explanation: { ...explanation, reference: { sha256: h('s'), rows: 600 } } } }).thenThrows('EXPLANATION_REFERENCE_MISMATCH', 'explanation.reference');
  spec.given().withFacts({ model: explained, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, explanation: { ...explanation, contributions: [{ featureCode: 'ECT3', value: 1, contribution: 1.25 }] } } }).thenThrows('EXPLANATION_FEATURES_MISMATCH', 'Q4LE');
  // 1.25 + 1e-6 ≠ 0.75 − (−0.5): not additive beyond rounding.
  spec.given().withFacts({ model: explained, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, explanation: { ...explanation, contributions: [{ featureCode: 'Q4LE', value: 1, contribution: 1.250001 }] } } }).thenThrows('EXPLANATION_NOT_ADDITIVE', 'explanation');
  // A version without a reference records none, so a decision cannot carry an explanation nobody can re-compute.
  spec.given().withFacts({ model: locked, featureSet }).when({ type: 'MakeDecision', data: { ...cmd, explanation } }).thenThrows('EXPLANATION_UNEXPECTED', 'explanation');
});
