import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { trialDecider } from '../trial/trial.decider.js';
import { modelsDecider } from './models.decider.js';
import type { RegisterModel } from './models.commands.js';
import type { ModelsEvent } from './models.events.js';

const h = (c: string) => c.repeat(64);
const trial = fold(trialDecider, [{ type: 'TrialRegistered', data: { trialId: 'T1', title: 't', sponsor: 's', phase: null, blinded: false } }]);
const reg = (version: string, sha: string): RegisterModel['data'] => ({
  modelId: 'M', version, artifactSha256: sha, inputs: [{ name: 'x', type: 'float32', shape: ['batch', 2] }], outputs: [{ name: 'p', type: 'float32', shape: ['batch', 1] }],
  intendedUse: 'IDH status, adult glioma', featureCodes: ['Q4LE', 'GYBY@IAZD'], decisionRule: { threshold: 0.5, positiveLabel: 'mutant', negativeLabel: 'wildtype' }, trainingLineage: { featureSetIds: [], trialIds: ['T0'], partitions: ['train'] }, performance: [{ metric: 'AUC', value: 0.8, dataset: 'tune' }],
});
const registered = (version: string, sha: string): ModelsEvent => ({ type: 'ModelRegistered', data: { ...reg(version, sha), inputModality: null, explanationReference: null, performance: [{ metric: 'AUC', value: 0.8, ciLower: null, ciUpper: null, dataset: 'tune' }] } });
const approved = [{ signatureId: 'sig-1', signerId: 'reg-1', meaning: 'approved' }];
const spec = deciderSpec(modelsDecider);
const lock1: ModelsEvent = { type: 'ModelLocked', data: { modelId: 'M', version: '1', trialId: 'T1', artifactSha256: h('1'), approvalSignatureIds: ['sig-1'], validationId: null, supersedesVersion: null, planId: null, gates: [] } };
const plan: ModelsEvent = { type: 'ChangeControlPlanRecorded', data: { modelId: 'M', planId: 'P', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a', lockGates: null } };

test('RegisterModel records the version once', () => {
  spec.given().when({ type: 'RegisterModel', data: reg('1', h('1')) }).then([registered('1', h('1'))]);
  spec.given([registered('1', h('1'))]).when({ type: 'RegisterModel', data: reg('1', h('1')) }).thenThrows('MODEL_VERSION_EXISTS');
  spec.given().when({ type: 'RegisterModel', data: { ...reg('1', h('1')), featureCodes: [] } }).thenThrows('REQUIRED', 'featureCodes');
});

test('LockModel needs an approved signature; a first version needs no validation', () => {
  spec.given([registered('1', h('1'))]).withFacts({ trial, signatures: approved }).when({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T1' } }).then([lock1]);
  spec.given([registered('1', h('1'))]).withFacts({ trial, signatures: [{ ...approved[0]!, meaning: 'reviewed' }] }).when({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T1' } }).thenThrows('APPROVAL_SIGNATURE_REQUIRED');
  spec.given([registered('1', h('1')), lock1]).withFacts({ trial, signatures: approved }).when({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T1' } }).thenThrows('MODEL_ALREADY_LOCKED');
  spec.given([registered('1', h('1'))]).withFacts({ trial: trialDecider.initialState(), signatures: approved }).when({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T1' } }).thenThrows('NOT_FOUND', 'trialId');
  spec.given([registered('1', h('1'))]).withFacts({ trial, signatures: approved }).when({ type: 'LockModel', data: { modelId: 'M', version: '9', trialId: 'T1' } }).thenThrows('NOT_FOUND', 'version');
});

test('a later version is locked only with a passed validation referencing the PCCP', () => {
  const history = [registered('1', h('1')), lock1, plan, registered('2', h('2'))];
  const lock2 = { type: 'LockModel' as const, data: { modelId: 'M', version: '2', trialId: 'T1' } };
  spec.given(history).withFacts({ trial, signatures: approved }).when(lock2).thenThrows('VALIDATION_REQUIRED');
  const failed: ModelsEvent = { type: 'ModelValidationRecorded', data: { modelId: 'M', version: '2', planId: 'P', validationId: 'V0', validatedSha256: h('2'), results: {}, passed: false, summary: 's', siteIds: [], metrics: [] } };
  spec.given([...history, failed]).withFacts({ trial, signatures: approved }).when(lock2).thenThrows('VALIDATION_REQUIRED');
  const passed: ModelsEvent = { type: 'ModelValidationRecorded', data: { ...failed.data, validationId: 'V1', passed: true } as never };
  spec.given([...history, passed]).withFacts({ trial, signatures: approved }).when(lock2).then([
    { type: 'ModelLocked', data: { modelId: 'M', version: '2', trialId: 'T1', artifactSha256: h('2'), approvalSignatureIds: ['sig-1'], validationId: 'V1', supersedesVersion: '1', planId: null, gates: [] } },
  ]);
  spec.given(history).when({ type: 'RecordModelValidation', data: { modelId: 'M', version: '2', planId: 'NOPE', validationId: 'V', results: {}, passed: true, summary: 's' } }).thenThrows('NOT_FOUND', 'planId');
  spec.given(history).when({ type: 'RecordModelValidation', data: { modelId: 'M', version: '2', planId: 'P', validationId: 'V', results: { AUC: 0.8 }, passed: true, summary: 's' } }).then([
    { type: 'ModelValidationRecorded', data: { modelId: 'M', version: '2', planId: 'P', validationId: 'V', validatedSha256: h('2'), results: { AUC: 0.8 }, passed: true, summary: 's', siteIds: [], metrics: [] } },
  ]);
  spec.given(history).when({ type: 'RecordChangeControlPlan', data: { modelId: 'M', planId: 'P', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a' } }).thenThrows('PLAN_ALREADY_RECORDED');
  spec.given().when({ type: 'RecordChangeControlPlan', data: { modelId: 'M', planId: 'P', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a' } }).thenThrows('NOT_FOUND', 'modelId');
});

test('RetireModel unlocks the version everywhere and a retired version cannot be locked', () => {
  spec.given([registered('1', h('1')), lock1]).when({ type: 'RetireModel', data: { modelId: 'M', version: '1', reason: 'Superseded' } }).then([
    { type: 'ModelRetired', data: { modelId: 'M', version: '1', reason: 'Superseded', unlockedTrialIds: ['T1'] } },
  ]);
  const retired: ModelsEvent = { type: 'ModelRetired', data: { modelId: 'M', version: '1', reason: 'r', unlockedTrialIds: ['T1'] } };
  spec.given([registered('1', h('1')), lock1, retired]).withFacts({ trial, signatures: approved }).when({ type: 'LockModel', data: { modelId: 'M', version: '1', trialId: 'T1' } }).thenThrows('MODEL_RETIRED');
  spec.given([registered('1', h('1'))]).when({ type: 'RetireModel', data: { modelId: 'M', version: '1', reason: '' } }).thenThrows('REASON_REQUIRED');
});

test('lock gates of the plan (ADR 0017): each failing gate refuses the lock with its own code; a passing lock records every gate', () => {
  const gated: ModelsEvent = {
    type: 'ChangeControlPlanRecorded',
    data: { modelId: 'M', planId: 'G', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a', lockGates: { allowedIntendedUses: ['IDH status, adult glioma'], minIndependentSites: 3, requiredMetric: 'AUC', minFeatureIcc: 0.75 } },
  };
  const validation = (over: Record<string, unknown> = {}): ModelsEvent => ({
    type: 'ModelValidationRecorded',
    data: { modelId: 'M', version: '1', planId: 'G', validationId: 'V', validatedSha256: h('1'), results: {}, passed: true, summary: 's', siteIds: ['S3', 'S4', 'S5'], metrics: [{ metric: 'AUC', value: 0.84, ciLower: 0.78, ciUpper: 0.9 }], ...over } as never,
  });
  const evidence = { developerId: 'ds-1', validators: { V: 'qa-1' }, trainingSiteIds: ['S1', 'S2'], featureIcc: { Q4LE: 0.9, 'GYBY@IAZD': 0.8 } };
  const lock = { type: 'LockModel' as const, data: { modelId: 'M', version: '1', trialId: 'T1' } };
  const history = [registered('1', h('1')), gated];
  const facts = (over: Partial<typeof evidence> = {}) => ({ trial, signatures: approved, lockEvidence: { ...evidence, ...over } });
  const passedLock: ModelsEvent = 
    {
      type: 'ModelLocked',
      data: {
        modelId: 'M', version: '1', trialId: 'T1', artifactSha256: h('1'), approvalSignatureIds: ['sig-1'], validationId: 'V', supersedesVersion: null, planId: 'G',
        gates: [
          { gate: 'independent-validator', code: 'LOCK_GATE_VALIDATOR_NOT_INDEPENDENT', passed: true, detail: 'validated by qa-1, developed by ds-1' },
          { gate: 'independent-sites', code: 'LOCK_GATE_TOO_FEW_INDEPENDENT_SITES', passed: true, detail: '3 site(s) not used for training (S3, S4, S5); 3 required' },
          { gate: 'intended-use', code: 'LOCK_GATE_INTENDED_USE_NOT_IN_PLAN', passed: true, detail: 'intended use "IDH status, adult glioma" is one the plan allows' },
          { gate: 'metrics-with-ci', code: 'LOCK_GATE_METRIC_WITHOUT_CI', passed: true, detail: 'AUC 0.84 (0.78–0.9)' },
          { gate: 'feature-reliability', code: 'LOCK_GATE_FEATURES_UNRELIABLE', passed: true, detail: 'every input has ICC ≥ 0.75' },
        ],
      },
    };
  spec.given([...history, validation()]).withFacts(facts()).when(lock).then([passedLock]);
  spec.given([...history, validation()]).withFacts(facts({ validators: { V: 'ds-1' } })).when(lock).thenThrows('LOCK_GATE_VALIDATOR_NOT_INDEPENDENT', 'version');
  spec.given(history).withFacts(facts()).when(lock).thenThrows('LOCK_GATE_VALIDATOR_NOT_INDEPENDENT', 'version');
  spec.given([...history, validation({ siteIds: ['S1', 'S3', 'S4'] })]).withFacts(facts()).when(lock).thenThrows('LOCK_GATE_TOO_FEW_INDEPENDENT_SITES', 'version');
  const otherUse: ModelsEvent = { type: 'ModelRegistered', data: { ...(registered('1', h('1')).data as object), intendedUse: 'IDH status, paediatric glioma' } as never };
  spec.given([otherUse, gated, validation()]).withFacts(facts()).when(lock).thenThrows('LOCK_GATE_INTENDED_USE_NOT_IN_PLAN', 'version');
  spec.given([...history, validation({ metrics: [{ metric: 'AUC', value: 0.84, ciLower: null, ciUpper: null }] })]).withFacts(facts()).when(lock).thenThrows('LOCK_GATE_METRIC_WITHOUT_CI', 'version');
  spec.given([...history, validation()]).withFacts(facts({ featureIcc: { Q4LE: 0.9, 'GYBY@IAZD': 0.6 } })).when(lock).thenThrows('LOCK_GATE_FEATURES_UNRELIABLE', 'version');
  // A flat results map with <metric>_ciLower/_ciUpper counts as a metric with its interval.
  spec.given([...history, validation({ metrics: [], results: { AUC: 0.84, AUC_ciLower: 0.78, AUC_ciUpper: 0.9 } })]).withFacts(facts()).when(lock).then([passedLock]);
});

test('RecordChangeControlPlan records lock gates with their defaults; RecordModelValidation refuses an interval that excludes its estimate', () => {
  spec.given([registered('1', h('1'))]).when({ type: 'RecordChangeControlPlan', data: { modelId: 'M', planId: 'G', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a', lockGates: { allowedIntendedUses: ['u'] } } }).then([
    { type: 'ChangeControlPlanRecorded', data: { modelId: 'M', planId: 'G', whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a', lockGates: { allowedIntendedUses: ['u'], minIndependentSites: 3, requiredMetric: 'AUC', minFeatureIcc: null } } },
  ]);
  spec.given([registered('1', h('1')), plan]).when({ type: 'RecordModelValidation', data: { modelId: 'M', version: '1', planId: 'P', validationId: 'V', results: {}, passed: true, summary: 's', metrics: [{ metric: 'AUC', value: 0.9, ciLower: 0.7, ciUpper: 0.8 }] } }).thenThrows('CI_EXCLUDES_ESTIMATE', 'metrics[0]');
});
