import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryReadModel } from '../in-memory-read-model.js';
import { recordEvents } from '../testing/record-events.js';
import { syntheticTrial } from '../testing/synthetic-trial.js';
import { AUDIT_ENTRY_TABLE, auditTrailProjection } from './audit-trail.projection.js';

const events = recordEvents(syntheticTrial({ trialId: 'T1', sites: 2, subjectsPerSite: 1, modalities: ['FLAIR'], editsPerSegmentation: 1, trainingSubjects: 1 }));
const rows = InMemoryReadModel.given([auditTrailProjection], events).rows(AUDIT_ENTRY_TABLE);

describe('audit-trail projection (given events, then entries)', () => {
  test('one entry per ledger event, keyed by global position, with the event hash', () => {
    assert.equal(rows.length, events.length);
    rows.forEach((row, i) => {
      assert.equal(row['global_position'], i);
      assert.equal(row['event_hash'], events[i]!.hash);
      assert.equal(row['actor'], events[i]!.meta.actor);
      assert.equal(row['recorded_at'], events[i]!.meta.recordedAt);
    });
  });

  test('a mask edit names who, why, and the before/after, with the trial, site and subject of its segmentation', () => {
    const edit = rows.find((r) => r['event_type'] === 'SegmentationEdited' && r['site_id'] === 'SITE-2')!;
    assert.ok(edit, 'the edit found its site through the segmentation and image context');
    assert.equal(edit['trial_id'], 'T1');
    assert.equal(edit['subject_id'], 'SUBJ-000002');
    assert.equal(edit['actor'], 'op-2');
    assert.equal(edit['reason'], 'boundary of oedema corrected');
    assert.deepEqual(JSON.parse(edit['before_state'] as string), {
      versionId: 'SEG-IMG-SUBJ-000002-FLAIR-v1',
      maskSha256: events.find((e) => e.type === 'SegmentationCreated' && (e.data as { subjectId: string }).subjectId === 'SUBJ-000002')!.data['maskSha256'],
      volumeMm3: 30000,
    });
    assert.equal(JSON.parse(edit['after_state'] as string).volumeMm3, 30500);
  });

  test('a signature entry carries the signed record\'s context and the meaning', () => {
    const signature = rows.find((r) => r['event_type'] === 'RecordSigned' && String(r['summary']).includes('ModelDecisionMade'))!;
    assert.equal(signature['site_id'], 'SITE-2');
    assert.equal(JSON.parse(signature['after_state'] as string).meaning, 'reviewed');
  });

  test('an unknown event type still gets an entry (the audit trail never drops a ledger event)', () => {
    const [first] = events;
    const operations = auditTrailProjection.evolve({ ...first!, type: 'SomethingNew', data: { trialId: 'T1' } });
    assert.equal(operations.length, 1);
    assert.equal(operations[0]!.op, 'upsert');
  });
});
