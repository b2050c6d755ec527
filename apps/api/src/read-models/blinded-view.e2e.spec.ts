import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { SchemaCatalogue } from '../security/graphql-introspection.js';

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

describe('blinding is a read policy on every path that can show a decision (SQLite)', () => {
  let api: TestApi;
  let monitor: string;
  let qa: string;
  let decisionEventId: string;
  let catalogue: SchemaCatalogue;
  const DECISION_ID = 'DEC-SUBJ-000002';

  before(async () => {
    api = await startTestApi('sqlite');
    const store = api.app.get<LedgerStore>(EVENT_STORE);
    await appendInOrder(store, syntheticTrial({ trialId: TRIAL_ID, sites: 1, subjectsPerSite: 3, modalities: ['T1c'], editsPerSegmentation: 0, trainingSubjects: 1 }), 50);
    await api.app.get(ProjectionRunner).caughtUp();
    decisionEventId = (await store.readStream(`decision-${DECISION_ID}`))[0]!.eventId;
    monitor = await api.tokenFor('u-mon', [{ role: 'monitor', trialId: TRIAL_ID }], 'Mo Monitor');
    qa = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
    catalogue = await SchemaCatalogue.load(api, qa);
  });
  after(async () => api.close());

  /** Arguments that point every query at the blinded trial's decision (or its trial). */
  const argsFor = (name: string): Record<string, unknown> => {
    const byName: Record<string, Record<string, unknown>> = {
      lineage: { id: `decision:${DECISION_ID}`, direction: 'BOTH', maxDepth: 5 },
      provDocument: { id: `decision:${DECISION_ID}` },
      decision: { id: DECISION_ID },
      inclusionProof: { eventId: decisionEventId },
      reproduceDecision: { decisionId: DECISION_ID },
      auditTrail: { filter: { trialId: TRIAL_ID }, first: 500 },
      consistencyProof: { from: 1, to: 2 },
    };
    return byName[name] ?? { trialId: TRIAL_ID };
  };

  test('no query answers a blinded monitor with what the model decided; QA sees it', async () => {
    const leaks: string[] = [];
    let qaSawIt = 0;
    for (const op of catalogue.operations.filter((o) => o.kind === 'query')) {
      const values = Object.fromEntries(Object.entries(argsFor(op.name)).filter(([k]) => op.args.some((a) => a.name === k)));
      const selection = (query: string) => query.replace('{ __typename }', deepSelection(catalogue, op.type));
      const { query, variables } = catalogue.call(op, values);
      const asMonitor = await api.graphql(monitor, selection(query), variables);
      if (JSON.stringify(asMonitor).includes('IDH-mutant')) leaks.push(op.name);
      const asQa = await api.graphql(qa, selection(query), variables);
      if (JSON.stringify(asQa).includes('IDH-mutant')) qaSawIt++;
    }
    assert.deepEqual(leaks, []);
    // The decision is there to leak: decision, lineage, provDocument, inclusionProof and auditTrail show it to QA.
    assert.ok(qaSawIt >= 5, `QA saw the decision in ${qaSawIt} queries`);
  });

  test('a blinded inclusion proof keeps the proof and withholds the payload', async () => {
    const q = `{ inclusionProof(eventId: "${decisionEventId}") { leafHash proof rootHash canonical blinded bundleJson } }`;
    const seen = await api.graphql<{ inclusionProof: { leafHash: string; proof: string[]; canonical: string | null; blinded: boolean; bundleJson: string } }>(monitor, q);
    const full = await api.graphql<{ inclusionProof: { leafHash: string; proof: string[]; canonical: string | null; blinded: boolean } }>(qa, q);
    assert.equal(seen.data?.inclusionProof.canonical, null);
    assert.equal(seen.data?.inclusionProof.blinded, true);
    assert.equal(seen.data?.inclusionProof.leafHash, full.data?.inclusionProof.leafHash);
    assert.deepEqual(seen.data?.inclusionProof.proof, full.data?.inclusionProof.proof);
    assert.ok(!seen.data!.inclusionProof.bundleJson.includes('IDH-mutant'));
    assert.ok(full.data?.inclusionProof.canonical?.includes('IDH-mutant'));
  });
});

/** Every scalar field of an object type, two levels down (enough to surface any decision value). */
function deepSelection(catalogue: SchemaCatalogue, type: Parameters<SchemaCatalogue['named']>[0], depth = 0): string {
  const named = catalogue.named(type);
  if (!named.fields || depth > 4) return '';
  const parts = named.fields
    .filter((f) => f.args.length === 0)
    .map((f) => {
      const inner = catalogue.named(f.type);
      if (inner.kind === 'OBJECT') {
        const sub = deepSelection(catalogue, f.type, depth + 1);
        return sub ? `${f.name}${sub}` : '';
      }
      return f.name;
    })
    .filter(Boolean);
  return parts.length ? ` { ${parts.join(' ')} }` : '';
}
