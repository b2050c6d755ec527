import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LineageNode } from '@radledger/projections';
import { contentHashOf, exportText, uuidOf } from './interop-source.js';

const node = (over: Partial<LineageNode>): LineageNode => ({
  id: 'decision:D-1',
  kind: 'entity',
  type: 'decision',
  refId: 'D-1',
  label: null,
  trialId: 'T',
  siteId: null,
  subjectId: null,
  attributes: {},
  depth: 0,
  createdBy: { eventId: 'e', type: 'ModelDecisionMade', hash: 'b'.repeat(64), globalPosition: 7, recordedAt: null },
  ...over,
});

test('content hash: the bytes for artefacts, the ledger leaf for records, nothing for activities without bytes', () => {
  assert.deepEqual(contentHashOf(node({ type: 'mask-version', attributes: { sha256: 'a'.repeat(64) } })), { sha256: 'a'.repeat(64), of: 'artifact' });
  assert.deepEqual(contentHashOf(node({})), { sha256: 'b'.repeat(64), of: 'ledger-event' });
  assert.equal(contentHashOf(node({ kind: 'activity', type: 'inference' })), undefined);
  // A malformed hash attribute is not a name.
  assert.deepEqual(contentHashOf(node({ attributes: { sha256: 'not-a-hash' } })), { sha256: 'b'.repeat(64), of: 'ledger-event' });
});

test('run ids: a ledger event id (uuid v7) is kept; anything else becomes a stable RFC 9562 v8 UUID', () => {
  assert.equal(uuidOf('0192F3A4-1B2C-7D3E-8F40-123456789ABC'), '0192f3a4-1b2c-7d3e-8f40-123456789abc');
  const derived = uuidOf('activity:not-a-uuid');
  assert.match(derived, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(uuidOf('activity:not-a-uuid'), derived);
});

test('sealed free text the exporter could not open reads [sealed], never ciphertext', () => {
  const sealed = `enc:v1:subj-1:SegmentationEdited.reason:${'A'.repeat(16)}:${'B'.repeat(30)}`;
  assert.equal(exportText(`edit: ${sealed}`), 'edit: [sealed]');
  assert.equal(exportText('[redacted]'), '[redacted]');
});
