import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { leafHash, leafHashHex, nodeHash, nodeHashHex } from '@radledger/ledger';

test('hex and Buffer hashing agree with a plain createHash reference', () => {
  const text = 'ünïcode \u{1F600} text';
  const ref = createHash('sha256').update(Buffer.of(0)).update(Buffer.from(text, 'utf8')).digest();
  assert.deepEqual(leafHash(text), ref);
  assert.equal(leafHashHex(text), ref.toString('hex'));
  const l = leafHash('l');
  const r = leafHash('r');
  const node = createHash('sha256').update(Buffer.of(1)).update(l).update(r).digest();
  assert.deepEqual(nodeHash(l, r), node);
  assert.equal(nodeHashHex(l.toString('hex'), r.toString('hex')), node.toString('hex'));
  assert.throws(() => nodeHashHex('zz', r.toString('hex')), TypeError);
});

test('hashing of texts larger than the reused buffer agrees with createHash', () => {
  for (const length of [4095, 4096, 70000, 400000]) {
    const text = 'é'.repeat(length);
    const ref = createHash('sha256').update(Buffer.of(0)).update(Buffer.from(text, 'utf8')).digest();
    assert.deepEqual(leafHash(text), ref);
    assert.equal(leafHashHex(text), ref.toString('hex'));
  }
});
