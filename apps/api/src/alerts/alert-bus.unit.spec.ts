import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedEvent } from '@radledger/ledger';
import { alertsFromEvent } from './alert-bus.service.js';

const event = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({
    eventId: `ev-${type}`,
    streamId: 's',
    streamRevision: '0',
    globalPosition: '41',
    type,
    schemaVersion: 1,
    data,
    meta: { actor: 'qa-lead', role: 'qa', correlationId: 'c', causationId: 'c', recordedAt: '2026-12-05T10:00:00.000Z', client: 'test' },
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    canonical: '{}',
  }) as RecordedEvent;

test('a lock alerts its trial with the version, what it supersedes and who locked it', () => {
  const [alert, ...rest] = alertsFromEvent(event('ModelLocked', { modelId: 'idh-logreg', version: '3', trialId: 'T1', supersedesVersion: '2' }));
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { kind: alert!.kind, trialId: alert!.trialId, siteId: alert!.siteId, modelId: alert!.modelId, modelVersion: alert!.modelVersion, eventId: alert!.eventId, globalPosition: alert!.globalPosition },
    { kind: 'MODEL_LOCKED', trialId: 'T1', siteId: null, modelId: 'idh-logreg', modelVersion: '3', eventId: 'ev-ModelLocked', globalPosition: 41 },
  );
  assert.equal(alert!.message, 'idh-logreg@3 locked (supersedes 2) by qa-lead');
});

test('a retirement alerts every trial it unlocks, each with its own alert id', () => {
  const alerts = alertsFromEvent(event('ModelRetired', { modelId: 'mgmt-trees', version: '1', reason: 'superseded by v2', unlockedTrialIds: ['T1', 'T2'] }));
  assert.deepEqual(alerts.map((a) => [a.kind, a.trialId, a.alertId]), [
    ['MODEL_RETIRED', 'T1', 'ev-ModelRetired:T1'],
    ['MODEL_RETIRED', 'T2', 'ev-ModelRetired:T2'],
  ]);
  assert.match(alerts[0]!.message, /retired: superseded by v2/);
});

test('other events alert nobody', () => {
  for (const type of ['SubjectEnrolled', 'ModelRegistered', 'ModelDecisionMade', 'AccessDenied']) assert.deepEqual(alertsFromEvent(event(type, { trialId: 'T1' })), []);
});
