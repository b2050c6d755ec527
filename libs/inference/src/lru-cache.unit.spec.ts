import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LruCache } from './lru-cache.js';

test('evicts the least recently used entry and reports it', () => {
  const evicted: string[] = [];
  const cache = new LruCache<string, number>(2, (k) => evicted.push(k));
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.deepEqual(evicted, ['b']);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(cache.values(), [1, 3]);
  cache.delete('a');
  cache.clear();
  assert.deepEqual(evicted, ['b', 'a', 'c']);
  assert.equal(cache.size, 0);
});

test('never holds more than its capacity, and every value set is either held or was evicted (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 }))), (capacity, ops) => {
      const evicted: number[] = [];
      const cache = new LruCache<number, number>(capacity, (_k, v) => evicted.push(v));
      let sets = 0;
      for (const [isSet, key] of ops) {
        if (isSet) {
          cache.set(key, sets);
          sets += 1;
        } else cache.get(key);
        assert.ok(cache.size <= capacity);
      }
      assert.equal(cache.size + evicted.length, sets);
    }),
  );
});

test('capacity must be a positive integer', () => {
  assert.throws(() => new LruCache(0), RangeError);
});
