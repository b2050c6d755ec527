import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '@radledger/platform';
import { featureMatrix } from './feature-mapping.js';

const codes = ['Q4LE', 'ECT3', 'ACUI@IAZD'];

function throwsCode(fn: () => unknown, code: string): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test('columns follow featureCodes order, not the key order of the set', () => {
  const m = featureMatrix(codes, [{ 'ACUI@IAZD': 3, Q4LE: 1, ECT3: 2, extra: 9 }, { ECT3: 5, Q4LE: 4, 'ACUI@IAZD': 6 }]);
  assert.deepEqual(Array.from(m), [1, 2, 3, 4, 5, 6]);
});

test('any finite float32 value lands unchanged (as float32) in its column (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 3 }), (values) => {
      const set = Object.fromEntries(codes.map((c, j) => [c, values[j] as number]));
      assert.deepEqual(Array.from(featureMatrix(codes, [set])), values.map((v) => (Object.is(v, -0) ? -0 : v)));
    }),
  );
});

test('every missing code of every set is named; missing wins over invalid', () => {
  const e = throwsCode(() => featureMatrix(codes, [{ Q4LE: 1, ECT3: 2, 'ACUI@IAZD': 3 }, { Q4LE: Number.NaN }, {}], 'featureSets'), 'FEATURES_MISSING');
  assert.deepEqual(e.details.missing, [
    { index: 1, codes: ['ECT3', 'ACUI@IAZD'] },
    { index: 2, codes: ['Q4LE', 'ECT3', 'ACUI@IAZD'] },
  ]);
  assert.match(e.message, /^featureSets: missing .*\[1\] ECT3, ACUI@IAZD; \[2\] Q4LE, ECT3, ACUI@IAZD/);
});

test('inherited properties do not count as present', () => {
  const proto = { Q4LE: 1, ECT3: 2, 'ACUI@IAZD': 3 };
  throwsCode(() => featureMatrix(codes, [Object.create(proto) as Record<string, number>]), 'FEATURES_MISSING');
});

test('NaN, infinities, float32 overflow, null and strings are FEATURES_INVALID', () => {
  for (const bad of [Number.NaN, Infinity, -Infinity, 3.5e38, null, '1', undefined]) {
    const e = throwsCode(() => featureMatrix(codes, [{ Q4LE: 1, ECT3: bad as number, 'ACUI@IAZD': 3 }]), 'FEATURES_INVALID');
    assert.deepEqual(e.details.invalid, [{ index: 0, codes: ['ECT3'] }]);
  }
});

test('featureCodes must be a non-empty list of distinct codes', () => {
  throwsCode(() => featureMatrix([], [{}]), 'VALIDATION_FAILED');
  throwsCode(() => featureMatrix(['A', 'A'], [{ A: 1 }]), 'VALIDATION_FAILED');
});
