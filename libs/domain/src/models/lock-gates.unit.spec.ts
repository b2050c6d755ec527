import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOCK_GATE_POLICY, evaluateLockGates, type LockGateInput, type LockGatePolicy } from './lock-gates.js';

const policy: LockGatePolicy = { ...DEFAULT_LOCK_GATE_POLICY, allowedIntendedUses: ['IDH status in adult glioma from T1c radiomics'] };
const good: LockGateInput = {
  developerId: 'ds-1',
  intendedUse: 'IDH status in adult glioma from  T1c radiomics',
  featureCodes: ['Q4LE', 'RNU0'],
  trainingSiteIds: ['SITE-BER', 'SITE-BOS'],
  validation: { validationId: 'V1', validatedBy: 'val-1', siteIds: ['SITE-TYO', 'SITE-MAD', 'SITE-OSL', 'SITE-BER'], metrics: [{ metric: 'AUC', value: 0.85, ciLower: 0.79, ciUpper: 0.9 }] },
  featureIcc: { Q4LE: 0.92, RNU0: 0.81 },
};
const failed = (input: LockGateInput, p: LockGatePolicy = policy) => evaluateLockGates(input, p).filter((r) => !r.passed).map((r) => r.code);

test('a lock meeting every gate passes them all, each with its detail', () => {
  const results = evaluateLockGates(good, { ...policy, minFeatureIcc: 0.75 });
  assert.deepEqual(results.map((r) => [r.gate, r.passed]), [['independent-validator', true], ['independent-sites', true], ['intended-use', true], ['metrics-with-ci', true], ['feature-reliability', true]]);
  assert.match(results[1]!.detail, /3 site\(s\) not used for training \(SITE-MAD, SITE-OSL, SITE-TYO\)/);
});

test('each gate refuses on its own with its own code', () => {
  assert.deepEqual(failed({ ...good, validation: { ...good.validation!, validatedBy: 'ds-1' } }), ['LOCK_GATE_VALIDATOR_NOT_INDEPENDENT']);
  assert.deepEqual(failed({ ...good, validation: { ...good.validation!, siteIds: ['SITE-TYO', 'SITE-BER', 'SITE-BOS'] } }), ['LOCK_GATE_TOO_FEW_INDEPENDENT_SITES']);
  assert.deepEqual(failed({ ...good, intendedUse: 'IDH and 1p/19q status in any glioma' }), ['LOCK_GATE_INTENDED_USE_NOT_IN_PLAN']);
  assert.deepEqual(failed({ ...good, validation: { ...good.validation!, metrics: [{ metric: 'AUC', value: 0.85, ciLower: null, ciUpper: null }] } }), ['LOCK_GATE_METRIC_WITHOUT_CI']);
  assert.deepEqual(failed(good, { ...policy, requiredMetric: 'C-index' }), ['LOCK_GATE_METRIC_WITHOUT_CI']);
  assert.deepEqual(failed({ ...good, featureIcc: { Q4LE: 0.92, RNU0: 0.6 } }, { ...policy, minFeatureIcc: 0.75 }), ['LOCK_GATE_FEATURES_UNRELIABLE']);
  assert.deepEqual(failed({ ...good, featureIcc: { Q4LE: 0.92 } }, { ...policy, minFeatureIcc: 0.75 }), ['LOCK_GATE_FEATURES_UNRELIABLE']);
});

test('no validation at all fails every gate that needs one', () => {
  assert.deepEqual(failed({ ...good, validation: null }), ['LOCK_GATE_VALIDATOR_NOT_INDEPENDENT', 'LOCK_GATE_TOO_FEW_INDEPENDENT_SITES', 'LOCK_GATE_METRIC_WITHOUT_CI']);
});
