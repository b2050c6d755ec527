import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LedgerService } from '@radledger/ledger';
import { ProjectionRunner } from '@radledger/projections';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { demoBanner, loadDemoOnStartup, type DemoStartup } from './demo-startup.js';

describe('first start on an empty embedded ledger: the demo trial and the printed example queries', () => {
  let api: TestApi;
  let startup: DemoStartup;
  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_DEMO: 'true' });
    startup = (await loadDemoOnStartup(api.app, api.config, () => undefined))!;
  });
  after(async () => api.close());

  test('the demo loads a 5-site trial with a protocol deviation, edits, QC, a reliability study, RANO timepoints, validated locks, decisions and signatures', () => {
    assert.equal(startup.result.skipped, false);
    if (startup.result.skipped) return;
    // Two development sites and three held-out sites that validate each model before its lock.
    assert.equal(startup.result.sites.length, 5);
    const by = startup.result.eventsByType;
    for (const type of [
      'ProtocolDeviationDetected', 'SegmentationEdited', 'FeaturesComputed', 'ImageQualityAssessed', 'FeatureReliabilityRecorded', 'TimepointResponseAssessed',
      'ModelValidationRecorded', 'ModelLocked', 'ModelDecisionMade', 'RecordSigned',
    ]) {
      assert.ok((by[type] ?? 0) > 0, `${type} recorded`);
    }
  });

  test('the three printed queries, run exactly as printed, return non-empty answers', async () => {
    assert.equal(startup.queries.length, 3);
    const token = await api.tokenFor('demo-monitor', [{ role: 'monitor' }], 'Grace Okafor');
    const runner = api.app.get(ProjectionRunner);
    await runner.caughtUp();
    const [lineage, audit, compliance] = await Promise.all(startup.queries.map((q) => api.graphql<Record<string, unknown>>(token, q.query)));
    assert.equal(lineage!.errors, undefined, JSON.stringify(lineage!.errors));
    const graph = lineage!.data!.lineage as { nodes: unknown[]; edges: unknown[]; complete: boolean };
    assert.ok(graph.nodes.length > 5 && graph.edges.length > 5);
    assert.equal(graph.complete, true);
    assert.equal(audit!.errors, undefined, JSON.stringify(audit!.errors));
    assert.ok((audit!.data!.auditTrail as { edges: unknown[] }).edges.length > 0);
    assert.equal(compliance!.errors, undefined, JSON.stringify(compliance!.errors));
    const c = compliance!.data!.lockedAlgorithmCompliance as { totalDecisions: number; compliantDecisions: number };
    assert.ok(c.totalDecisions > 0);
    assert.equal(c.compliantDecisions, c.totalDecisions);
    assert.match(demoBanner(`http://localhost:${api.config.port}/graphql`, startup), /curl -s http:\/\/localhost:\d+\/graphql/);
  });

  test('the demo ledger verifies end to end, and a second start skips the demo', async () => {
    const report = await api.app.get(LedgerService).verifyLedger();
    assert.ok(report.size > 100);
    const again = await loadDemoOnStartup(api.app, api.config, () => undefined);
    assert.equal(again!.result.skipped, true);
    assert.equal(again!.queries.length, 3, 'the queries are rebuilt from the ledger on later starts');
  });
});
