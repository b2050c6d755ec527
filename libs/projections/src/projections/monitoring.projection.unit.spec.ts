import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordedEvent } from '@radledger/ledger';
import { InMemoryReadModel } from '../in-memory-read-model.js';
import { recordEvents } from '../testing/record-events.js';
import { syntheticTrial, type StreamEvent } from '../testing/synthetic-trial.js';
import { MONITORING_TABLES, monitoringProjection } from './monitoring.projection.js';

const base = [...syntheticTrial({ trialId: 'T1', sites: 1, subjectsPerSite: 3, modalities: ['T1c'], trainingSubjects: 1, hashMismatchEvery: 2 })];

function extra(type: string, data: Record<string, unknown>, at: number): StreamEvent {
  return {
    streamId: `model-idh-logreg`,
    event: {
      eventId: `00000000-0000-7000-8000-${String(at).padStart(12, '0')}`,
      type,
      schemaVersion: 1,
      data,
      meta: { actor: 'qa-1', role: 'qa', correlationId: 'c', causationId: 'c', recordedAt: '2026-02-01T10:00:00.000Z', client: 'test' },
    },
  };
}

const decisions = (events: RecordedEvent[]) =>
  new Map(InMemoryReadModel.given([monitoringProjection], events).rows(MONITORING_TABLES.decision).map((r) => [r['decision_id'], r]));

describe('monitoring projection (given events, then compliance rows)', () => {
  test('each decision records the version and hash locked for its trial when it was made', () => {
    const rows = decisions(recordEvents(base));
    assert.equal(rows.size, 2);
    const ok = rows.get('DEC-SUBJ-000002')!;
    assert.equal(ok['locked_version'], '1.0.0');
    assert.equal(ok['locked_sha256'], ok['model_sha256']);
    const bypass = rows.get('DEC-SUBJ-000003')!;
    assert.equal(bypass['locked_version'], '1.0.0');
    assert.notEqual(bypass['locked_sha256'], bypass['model_sha256']);
  });

  test('a later re-lock or retirement does not rewrite the lock recorded with earlier decisions', () => {
    const relock = extra('ModelLocked', { modelId: 'idh-logreg', version: '2.0.0', trialId: 'T1', artifactSha256: 'ab'.repeat(32), approvalSignatureIds: [], validationId: null, supersedesVersion: '1.0.0' }, 1);
    const retire = extra('ModelRetired', { modelId: 'idh-logreg', version: '2.0.0', reason: 'superseded', unlockedTrialIds: ['T1'] }, 2);
    const events = recordEvents([...base, relock, retire]);
    assert.equal(decisions(events).get('DEC-SUBJ-000002')!['locked_version'], '1.0.0');
    const model = InMemoryReadModel.given([monitoringProjection], events);
    assert.deepEqual(model.rows(MONITORING_TABLES.trialLock), [], 'retiring the locked version unlocks the trial');
    assert.equal(model.rows(MONITORING_TABLES.modelLock).length, 2, 'the lock history keeps both locks');
  });

  test('a decision made with no lock in force has no locked version', () => {
    const events = recordEvents(base.filter((e) => e.event.type !== 'ModelLocked'));
    assert.equal(decisions(events).get('DEC-SUBJ-000002')!['locked_version'], null);
  });

  test('an override keeps the original decision and records who, when and why', () => {
    const override = extra('DecisionOverridden', { decisionId: 'DEC-SUBJ-000002', previousDecision: 'IDH-mutant', decision: 'IDH-wildtype', reason: 'tumour board' }, 3);
    const row = decisions(recordEvents([...base, override])).get('DEC-SUBJ-000002')!;
    assert.deepEqual([row['decision'], row['current_decision'], row['overridden_by'], row['override_reason']], ['IDH-mutant', 'IDH-wildtype', 'qa-1', 'tumour board']);
  });

  test('segmentation versions keep their lineage context; reviews and signatures are recorded', () => {
    const model = InMemoryReadModel.given([monitoringProjection], recordEvents(base));
    const edit = model.rows(MONITORING_TABLES.segmentationVersion).find((r) => r['parent_version_id'] !== null)!;
    assert.deepEqual([edit['trial_id'], edit['site_id'], edit['region']], ['T1', 'SITE-1', 'whole-tumour']);
    assert.equal(model.rows(MONITORING_TABLES.segmentationReview).length, 3);
    assert.deepEqual(model.rows(MONITORING_TABLES.signature).map((s) => s['meaning']).sort(), ['approved', 'reviewed', 'reviewed']);
  });
});
