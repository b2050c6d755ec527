import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

const TRIAL_ID = 'TRIAL-BLIND';
const DECISION = `{ decision(id: "DEC-SUBJ-000002") { trialId decision currentDecision outputsJson threshold } }`;
const AUDIT = `{ auditTrail(filter: { trialId: "${TRIAL_ID}", types: ["ModelDecisionMade"] }, first: 5) { edges { node { trialId summary afterJson } } } }`;
const LINEAGE = `{ lineage(id: "DEC-SUBJ-000002", direction: UPSTREAM, maxDepth: 2) { nodes { type label attributesJson } } }`;

type Answer = { decision: { decision: string; currentDecision: string; outputsJson: string; threshold: number | null }; auditTrail: { edges: Array<{ node: { summary: string; afterJson: string | null } }> }; lineage: { nodes: Array<{ type: string; label: string; attributesJson: string }> } };

describe('blinded trial: monitors never see the model decisions (SQLite)', () => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const read = async (who: string) => {
    const out: Partial<Answer> = {};
    for (const query of [DECISION, AUDIT, LINEAGE]) {
      const res = await api.graphql<Partial<Answer>>(tokens[who], query);
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      Object.assign(out, res.data);
    }
    return out as Answer;
  };

  before(async () => {
    api = await startTestApi('sqlite');
    // The synthetic trial is registered with blinded: true.
    await appendInOrder(api.app.get<LedgerStore>(EVENT_STORE), syntheticTrial({ trialId: TRIAL_ID, sites: 1, subjectsPerSite: 3, modalities: ['T1c'], editsPerSegmentation: 0, trainingSubjects: 1 }), 50);
    await api.app.get(ProjectionRunner).caughtUp();
    tokens.monitor = await api.tokenFor('u-mon', [{ role: 'monitor', trialId: TRIAL_ID }], 'Mo Monitor');
    tokens.qa = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
    tokens.monitorAndQa = await api.tokenFor('u-mq', [{ role: 'monitor' }, { role: 'qa' }], 'Max Both');
  });
  after(async () => api.close());

  test('QA sees the decision, its outputs and threshold everywhere', async () => {
    const seen = await read('qa');
    assert.notEqual(seen.decision.decision, '[blinded]');
    assert.notEqual(seen.decision.outputsJson, JSON.stringify('[blinded]'));
    assert.ok(seen.auditTrail.edges.length > 0);
    assert.ok(seen.auditTrail.edges.every((e) => !e.node.summary.includes('[blinded]') && e.node.afterJson !== null));
    const node = seen.lineage.nodes.find((n) => n.type === 'decision')!;
    assert.ok('decision' in JSON.parse(node.attributesJson));
  });

  test('a monitor of the blinded trial gets [blinded] in the decision view, the audit trail and the lineage', async () => {
    const qa = await read('qa');
    const seen = await read('monitor');
    assert.deepEqual(seen.decision, { trialId: TRIAL_ID, decision: '[blinded]', currentDecision: '[blinded]', outputsJson: JSON.stringify('[blinded]'), threshold: null });
    assert.equal(seen.auditTrail.edges.length, qa.auditTrail.edges.length);
    for (const { node } of seen.auditTrail.edges) {
      assert.equal(node.summary, 'ModelDecisionMade: [blinded]');
      assert.equal(node.afterJson, null);
    }
    const node = seen.lineage.nodes.find((n) => n.type === 'decision')!;
    assert.equal(node.label, 'decision DEC-SUBJ-000002');
    assert.deepEqual(JSON.parse(node.attributesJson), { blinded: true });
    const qaNode = qa.lineage.nodes.find((n) => n.type === 'decision')!;
    assert.ok(!node.label.includes(JSON.parse(qaNode.attributesJson).decision));
  });

  test('someone who is also QA for the trial is not blinded', async () => {
    const seen = await read('monitorAndQa');
    assert.notEqual(seen.decision.decision, '[blinded]');
  });
});
