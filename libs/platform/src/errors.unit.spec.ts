import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, DomainError } from '@radledger/platform';

test('NotFoundError carries the NOT_FOUND code', () => {
  const e = new NotFoundError('no such decision', { id: 'x' });
  assert.ok(e instanceof DomainError);
  assert.equal(e.code, 'NOT_FOUND');
  assert.equal(e.name, 'NotFoundError');
});
