import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exceedsJsonDepth } from './http-hardening.js';

function depth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

test('the raw-byte depth scan agrees with the parsed depth for any JSON value (brackets inside strings ignored)', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
      const bytes = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
      assert.equal(exceedsJsonDepth(bytes, limit), depth(value) > limit);
    }),
    { numRuns: 500 },
  );
  assert.equal(exceedsJsonDepth(Buffer.from('{"a":"[[[[[[\\"{{{{"}'), 1), false);
  assert.equal(exceedsJsonDepth(Buffer.from('['.repeat(100000)), 64), true);
});
