import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENESIS_PREV_HASH } from '../core/hashing.js';
import { fromSqlCheckpoint, fromSqlRow, headAfterRow } from './sql-rows.js';

test('rows map alike whether the driver gives integers as numbers (SQLite) or strings (pg BIGINT)', () => {
  const common = { event_id: 'e', stream_id: 's', type: 'T', canonical: '{}', hash: 'ab', prev_hash: 'cd' };
  const expected = { globalPosition: 7, eventId: 'e', streamId: 's', streamRevision: 2, type: 'T', canonical: '{}', hash: 'ab', prevHash: 'cd' };
  assert.deepEqual(fromSqlRow({ ...common, global_position: 7, stream_revision: 2 }), expected);
  assert.deepEqual(fromSqlRow({ ...common, global_position: '7', stream_revision: '2' }), expected);
  const checkpoint = { root_hash: 'ff', issued_at: '2026-01-01T00:00:00Z', note: 'n' };
  assert.deepEqual(fromSqlCheckpoint({ ...checkpoint, tree_size: '5' }), fromSqlCheckpoint({ ...checkpoint, tree_size: 5 }));
  assert.equal(fromSqlCheckpoint({ ...checkpoint, tree_size: '5' }).treeSize, 5);
});

test('the head follows the last row; an empty ledger has size 0 and the genesis hash', () => {
  assert.deepEqual(headAfterRow(undefined), { size: 0, lastHash: GENESIS_PREV_HASH });
  assert.deepEqual(headAfterRow({ global_position: '41', hash: 'aa' }), { size: 42, lastHash: 'aa' });
  assert.deepEqual(headAfterRow({ global_position: 0, hash: 'bb' }), { size: 1, lastHash: 'bb' });
});
