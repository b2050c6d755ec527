import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { LedgerStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, syntheticTrial, type SyntheticTrialOptions } from '@radledger/projections';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { POSTGRES_TEST_URL, startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';

const TRIAL: SyntheticTrialOptions = {
  trialId: 'TRIAL-E2E',
  sites: 2,
  subjectsPerSite: 3,
  modalities: ['T1c', 'FLAIR'],
  editsPerSegmentation: 1,
  trainingSubjects: 1,
  hashMismatchEvery: 3,
  deviationEvery: 4,
  editAfterReviewEvery: 3,
};

const REF = 'eventId type hash globalPosition recordedAt';

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`read-model GraphQL queries (${backend})`, () => {
    let api: TestApi;
    let token: string;
    let ledger: LedgerStore;
    let ledgerSize: number;

    before(async () => {
      api = await startTestApi(backend);
      ledger = api.app.get<LedgerStore>(EVENT_STORE);
      await appendInOrder(ledger, syntheticTrial(TRIAL), 50);
      // The caller's account and grant are ledger events too (after the trial, so its positions stay put).
      token = await api.tokenFor('qa-e2e', [{ role: 'qa' }], 'Quinn E2E');
      ledgerSize = (await ledger.head()).size;
      await api.app.get(ProjectionRunner).caughtUp();
    });
    after(async () => api.close());

    const q = <T = any>(query: string, variables?: Record<string, unknown>) => api.graphql<T>(token, query, variables);

    test('every query needs a token', async () => {
      const res = await api.graphql(undefined, '{ ledgerStatus { size } }');
      assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    });

    test('projectionStatus shows every projection caught up', async () => {
      const res = await q('{ projectionStatus { projection version lastPosition lag } }');
      assert.equal(res.errors, undefined);
      assert.deepEqual(
        res.data.projectionStatus.map((p: { projection: string; lag: number; lastPosition: number }) => [p.projection, p.lag, p.lastPosition]),
        [['lineage', 0, ledgerSize - 1], ['audit-trail', 0, ledgerSize - 1], ['monitoring', 0, ledgerSize - 1], ['science', 0, ledgerSize - 1]],
      );
    });

    test('lineage upstream of a decision reaches the acquisition, with the creating event of every node and edge', async () => {
      const res = await q(`{ lineage(id: "DEC-SUBJ-000002", direction: UPSTREAM, maxDepth: 50) {
        root { id type } complete truncatedAtDepth unresolvedNodeIds asOfPosition
        nodes { id kind type depth createdBy { ${REF} } } edges { relation from to createdBy { ${REF} } } } }`);
      assert.equal(res.errors, undefined);
      const graph = res.data.lineage;
      assert.equal(graph.root.id, 'decision:DEC-SUBJ-000002');
      assert.equal(graph.complete, true);
      assert.equal(graph.truncatedAtDepth, null);
      const types = new Set(graph.nodes.map((n: { type: string }) => n.type));
      for (const type of ['decision', 'inference', 'feature-set', 'mask-version', 'preprocessed-image', 'image', 'acquisition', 'model-version', 'user', 'site', 'software']) {
        assert.ok(types.has(type), `upstream lineage has a ${type} node`);
      }
      for (const node of graph.nodes) assert.match(node.createdBy.hash, /^[0-9a-f]{64}$/);
      // The creating event of the image node is the ImageAcquired event in the ledger.
      const image = graph.nodes.find((n: { id: string }) => n.id === 'image:IMG-SUBJ-000002-T1c');
      const stored = (await ledger.readAll(image.createdBy.globalPosition, 1))[0]!;
      assert.equal(stored.eventId, image.createdBy.eventId);
      assert.equal(stored.hash, image.createdBy.hash);
      assert.equal(stored.type, 'ImageAcquired');
    });

    test('a depth limit is never silent: complete is false and truncatedAtDepth says where', async () => {
      const res = await q('{ lineage(id: "decision:DEC-SUBJ-000002", maxDepth: 2) { complete truncatedAtDepth nodes { depth } } }');
      assert.equal(res.errors, undefined);
      assert.equal(res.data.lineage.complete, false);
      assert.equal(res.data.lineage.truncatedAtDepth, 2);
      assert.ok(res.data.lineage.nodes.every((n: { depth: number }) => n.depth <= 2));
      const zero = await q('{ lineage(id: "decision:DEC-SUBJ-000002", maxDepth: 0) { complete truncatedAtDepth nodes { id } } }');
      assert.deepEqual(zero.data.lineage, { complete: false, truncatedAtDepth: 0, nodes: [{ id: 'decision:DEC-SUBJ-000002' }] });
      const tooDeep = await q('{ lineage(id: "decision:DEC-SUBJ-000002", maxDepth: 51) { complete } }');
      assert.equal(tooDeep.errors?.[0]?.extensions?.code, 'MAX_DEPTH_INVALID');
    });

    test('downstream of an image reaches its decision; BOTH is the union', async () => {
      const down = await q('{ lineage(id: "IMG-SUBJ-000002-T1c", direction: DOWNSTREAM, maxDepth: 50) { complete nodes { id } } }');
      assert.equal(down.errors, undefined);
      const ids = down.data.lineage.nodes.map((n: { id: string }) => n.id);
      assert.ok(ids.includes('decision:DEC-SUBJ-000002'));
      assert.ok(!ids.includes('site:SITE-2'), 'agents are not downstream of an image');
      const both = await q('{ lineage(id: "IMG-SUBJ-000002-T1c", direction: BOTH, maxDepth: 50) { nodes { id } } }');
      const bothIds = both.data.lineage.nodes.map((n: { id: string }) => n.id);
      assert.ok(bothIds.includes('decision:DEC-SUBJ-000002') && bothIds.includes('site:SITE-2'));
    });

    test('asOf answers what the lineage looked like at a position or time', async () => {
      const full = await q('{ lineage(id: "IMG-SUBJ-000002-T1c", direction: DOWNSTREAM, maxDepth: 50) { nodes { id createdBy { globalPosition recordedAt } } } }');
      const decisionNode = full.data.lineage.nodes.find((n: { id: string }) => n.id === 'decision:DEC-SUBJ-000002');
      const before = decisionNode.createdBy.globalPosition - 1;
      const atPosition = await q(`{ lineage(id: "IMG-SUBJ-000002-T1c", direction: DOWNSTREAM, maxDepth: 50, asOf: { position: ${before} }) { asOfPosition nodes { id createdBy { globalPosition } } } }`);
      assert.equal(atPosition.errors, undefined);
      assert.equal(atPosition.data.lineage.asOfPosition, before);
      assert.ok(atPosition.data.lineage.nodes.every((n: { createdBy: { globalPosition: number } }) => n.createdBy.globalPosition <= before));
      assert.ok(!atPosition.data.lineage.nodes.some((n: { id: string }) => n.id === 'decision:DEC-SUBJ-000002'));
      const time = new Date(Date.parse(decisionNode.createdBy.recordedAt) - 1).toISOString();
      const atTime = await q(`{ lineage(id: "IMG-SUBJ-000002-T1c", direction: DOWNSTREAM, maxDepth: 50, asOf: { time: "${time}" }) { asOfPosition } }`);
      assert.equal(atTime.data.lineage.asOfPosition, before);
      const beforeImage = await q('{ lineage(id: "IMG-SUBJ-000002-T1c", asOf: { position: 0 }) { complete } }');
      assert.equal(beforeImage.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });

    test('unknown ids are NOT_FOUND', async () => {
      for (const query of [
        '{ lineage(id: "nope") { complete } }',
        '{ decision(id: "nope") { decisionId } }',
        '{ provDocument(id: "nope") { document } }',
        '{ modelVersion(id: "nope@1") { id } }',
        '{ lockedAlgorithmCompliance(trialId: "nope") { totalDecisions } }',
        '{ protocolDeviations(trialId: "nope") { imageId } }',
        '{ segmentationEdits(trialId: "nope") { versionId } }',
        '{ editsAfterLock(trialId: "nope") { resultSha256 } }',
        '{ inclusionProof(eventId: "nope") { leafIndex } }',
      ]) {
        const res = await q(query);
        assert.equal(res.errors?.[0]?.extensions?.code, 'NOT_FOUND', query);
      }
    });

    test('decision(id) shows the model check, inputs, people and signatures', async () => {
      const res = await q(`{ decision(id: "DEC-SUBJ-000002") {
        decisionId trialId siteId subjectId decision outputsJson
        model { modelId version sha256 lockedVersion lockedSha256 lockedVersionMatches hashMatchesLock complianceIssues }
        featureSet { id } masks { id } images { id } preprocessing { id } sites { siteId name } people { userId printedName }
        signatures { printedName meaning signedAt signedEventId } event { eventId } lineage { complete } } }`);
      assert.equal(res.errors, undefined);
      const d = res.data.decision;
      assert.equal(d.siteId, 'SITE-2');
      assert.deepEqual(d.model.complianceIssues, []);
      assert.equal(d.model.hashMatchesLock, true);
      assert.equal(d.model.lockedVersionMatches, true);
      assert.equal(d.featureSet.id, 'featureset:FS-IMG-SUBJ-000002-T1c');
      assert.deepEqual(d.masks.map((m: { id: string }) => m.id).sort(), ['mask:SEG-IMG-SUBJ-000002-T1c-v1', 'mask:SEG-IMG-SUBJ-000002-T1c-v2']);
      assert.deepEqual(d.images.map((m: { id: string }) => m.id), ['image:IMG-SUBJ-000002-T1c']);
      assert.deepEqual(d.preprocessing.map((m: { id: string }) => m.id), ['preprocessed:IMG-SUBJ-000002-T1c:resample-IMG-SUBJ-000002-T1c']);
      assert.deepEqual(d.sites, [{ siteId: 'SITE-2', name: 'Site 2' }]);
      assert.ok(d.people.some((p: { userId: string; printedName: string }) => p.userId === 'op-2' && p.printedName === 'Operator 2'));
      assert.deepEqual(d.signatures.map((s: { printedName: string; meaning: string; signedEventId: string }) => [s.printedName, s.meaning, s.signedEventId]), [['Quinn Assurance', 'reviewed', d.event.eventId]]);
      assert.equal(d.lineage.complete, true);
      const mismatch = await q('{ decision(id: "DEC-SUBJ-000004") { model { hashMatchesLock complianceIssues } } }');
      assert.deepEqual(mismatch.data.decision.model, { hashMatchesLock: false, complianceIssues: ['HASH_MISMATCH'] });
    });

    test('provDocument in PROV-O JSON-LD and PROV-JSON', async () => {
      const jsonld = await q('{ provDocument(id: "DEC-SUBJ-000002", format: PROV_O_JSONLD) { format mediaType complete document } }');
      assert.equal(jsonld.errors, undefined);
      assert.equal(jsonld.data.provDocument.mediaType, 'application/ld+json');
      const doc = JSON.parse(jsonld.data.provDocument.document);
      assert.equal(doc['@context'].prov, 'http://www.w3.org/ns/prov#');
      const decision = doc['@graph'].find((n: { '@id': string }) => n['@id'] === 'radledger:decision:DEC-SUBJ-000002');
      assert.ok(decision['@type'].includes('prov:Entity'));
      assert.ok(decision['prov:wasGeneratedBy'].length === 1);
      const provJson = await q('{ provDocument(id: "DEC-SUBJ-000002", format: PROV_JSON) { mediaType document } }');
      const pj = JSON.parse(provJson.data.provDocument.document);
      assert.equal(pj.prefix.prov, 'http://www.w3.org/ns/prov#');
      assert.ok(pj.entity['radledger:decision:DEC-SUBJ-000002']);
      assert.ok(Object.values(pj.wasDerivedFrom).some((r: any) => r['prov:type']?.$ === 'prov:Revision'));
    });

    test('auditTrail pages with Relay cursors to the end, and filters', async () => {
      const seen: number[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const res: any = await q(
          'query($after: String) { auditTrail(filter: { trialId: "TRIAL-E2E" }, first: 25, after: $after) { edges { cursor node { globalPosition actor summary } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }',
          { after },
        );
        assert.equal(res.errors, undefined);
        const page = res.data.auditTrail;
        assert.equal(page.pageInfo.hasPreviousPage, after !== null);
        seen.push(...page.edges.map((e: { node: { globalPosition: number } }) => e.node.globalPosition));
        pages++;
        if (!page.pageInfo.hasNextPage) {
          assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
          break;
        }
        after = page.pageInfo.endCursor;
      }
      assert.ok(pages > 1);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'ledger order');
      assert.equal(new Set(seen).size, seen.length, 'no entry twice');
      const lastPage = await q('query($after: String) { auditTrail(filter: { trialId: "TRIAL-E2E" }, first: 25, after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }', {
        after: after ?? null,
      });
      assert.ok(lastPage.data.auditTrail.edges.length <= 25);
      const empty = await q('{ auditTrail(first: 0) { edges { cursor } pageInfo { hasNextPage endCursor } } }');
      assert.deepEqual(empty.data.auditTrail, { edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
      const edits = await q('{ auditTrail(filter: { types: ["SegmentationEdited"], siteId: "SITE-1" }, first: 100) { edges { node { eventType siteId reason actor actorName beforeJson afterJson } } } }');
      assert.equal(edits.errors, undefined);
      assert.ok(edits.data.auditTrail.edges.length > 0);
      for (const { node } of edits.data.auditTrail.edges) {
        assert.equal(node.eventType, 'SegmentationEdited');
        assert.equal(node.siteId, 'SITE-1');
        assert.equal(node.reason, 'boundary of oedema corrected');
        assert.equal(node.actorName, 'Operator 1');
        assert.equal(JSON.parse(node.beforeJson).versionId.endsWith('-v1'), true);
        assert.equal(JSON.parse(node.afterJson).diceVsParent, 0.95);
      }
      const bad = await q('{ auditTrail(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }');
      assert.equal(bad.errors?.[0]?.extensions?.code, 'CURSOR_INVALID');
      const big = await q('{ auditTrail(first: 501) { edges { cursor } } }');
      assert.equal(big.errors?.[0]?.extensions?.code, 'PAGE_SIZE_INVALID');
    });

    test('lockedAlgorithmCompliance counts per version and site and lists the hash mismatch', async () => {
      const res = await q('{ lockedAlgorithmCompliance(trialId: "TRIAL-E2E") { totalDecisions compliantDecisions currentLocks { modelId version } counts { siteId decisions deviations } deviations { decisionId reasons lockedVersion } } }');
      assert.equal(res.errors, undefined);
      const c = res.data.lockedAlgorithmCompliance;
      assert.equal(c.totalDecisions, 5);
      assert.equal(c.compliantDecisions, 4);
      assert.deepEqual(c.currentLocks, [{ modelId: 'idh-logreg', version: '1.0.0' }]);
      assert.deepEqual(c.deviations, [{ decisionId: 'DEC-SUBJ-000004', reasons: ['HASH_MISMATCH'], lockedVersion: '1.0.0' }]);
      const site = await q('{ lockedAlgorithmCompliance(trialId: "TRIAL-E2E", siteId: "SITE-1") { totalDecisions counts { siteId } } }');
      assert.ok(site.data.lockedAlgorithmCompliance.counts.every((r: { siteId: string }) => r.siteId === 'SITE-1'));
    });

    test('modelVersion shows lock history, validation, PCCP and signatures', async () => {
      const res = await q('{ modelVersion(id: "idh-logreg@1.0.0") { artifactSha256 locks { trialId current approvalSignatureIds } validations { validationId passed } changeControlPlans { planId } signatures { meaning printedName } } }');
      assert.equal(res.errors, undefined);
      const m = res.data.modelVersion;
      assert.equal(m.locks.length, 1);
      assert.equal(m.locks[0].current, true);
      assert.deepEqual(m.validations, [{ validationId: 'VAL-1', passed: true }]);
      assert.deepEqual(m.changeControlPlans, [{ planId: 'PCCP-1' }]);
      assert.deepEqual(m.signatures, [{ meaning: 'approved', printedName: 'Quinn Assurance' }]);
    });

    test('protocolDeviations and segmentationEdits(afterReview)', async () => {
      const dev = await q('{ protocolDeviations(trialId: "TRIAL-E2E") { imageId subjectId deviations { field actual } } }');
      assert.equal(dev.errors, undefined);
      assert.equal(dev.data.protocolDeviations.length, 3);
      assert.ok(dev.data.protocolDeviations.every((d: { deviations: Array<{ field: string }>; subjectId: string }) => d.deviations[0]!.field === 'fieldStrengthT' && d.subjectId));
      const all = await q('{ segmentationEdits(trialId: "TRIAL-E2E") { versionId } }');
      assert.equal(all.data.segmentationEdits.length, 12);
      const after = await q('{ segmentationEdits(trialId: "TRIAL-E2E", afterReview: true) { versionId diceVsParent acceptedReview { reviewer } } }');
      assert.equal(after.data.segmentationEdits.length, 4);
      assert.ok(after.data.segmentationEdits.every((e: { acceptedReview: { reviewer: string } }) => e.acceptedReview.reviewer === 'qa-1'));
    });

    test('saved audit-review queries answer with a result hash', async () => {
      const edits = await q('{ editsAfterLock(trialId: "TRIAL-E2E") { resultSha256 rows { eventType } } }');
      assert.equal(edits.errors, undefined);
      assert.match(edits.data.editsAfterLock.resultSha256, /^[0-9a-f]{64}$/);
      assert.ok(edits.data.editsAfterLock.rows.length > 0);
      assert.ok(edits.data.editsAfterLock.rows.every((r: { eventType: string }) => r.eventType === 'SegmentationEdited'));
      const hours = await q('{ actionsOutsideSiteHours(trialId: "TRIAL-E2E", startHourUtc: 7, endHourUtc: 19, includeWeekends: false) { rows { recordedAt } } }');
      assert.equal(hours.errors, undefined);
      assert.ok(hours.data.actionsOutsideSiteHours.rows.length > 0);
      for (const row of hours.data.actionsOutsideSiteHours.rows) {
        const hour = new Date(row.recordedAt).getUTCHours();
        assert.ok(hour < 7 || hour >= 19);
      }
      // The synthetic trial runs on a Monday: adding weekends adds nothing; a window covering the day leaves nothing.
      const withWeekends = await q('{ actionsOutsideSiteHours(trialId: "TRIAL-E2E") { truncated rows { globalPosition } } }');
      assert.equal(withWeekends.errors, undefined);
      assert.equal(withWeekends.data.actionsOutsideSiteHours.truncated, false);
      assert.equal(withWeekends.data.actionsOutsideSiteHours.rows.length, hours.data.actionsOutsideSiteHours.rows.length);
      const allDay = await q('{ actionsOutsideSiteHours(trialId: "TRIAL-E2E", startHourUtc: 0, endHourUtc: 24) { rows { globalPosition } } }');
      assert.deepEqual(allDay.data.actionsOutsideSiteHours.rows, []);
      const badHours = await q('{ actionsOutsideSiteHours(trialId: "TRIAL-E2E", startHourUtc: 20, endHourUtc: 8) { truncated } }');
      assert.equal(badHours.errors?.[0]?.extensions?.code, 'HOURS_INVALID');
      const volume = await q('{ unusualVolumePerUser(trialId: "TRIAL-E2E", factor: 1, minEvents: 1) { rows { actor events medianPerUserDay } } }');
      assert.equal(volume.errors, undefined);
      assert.ok(volume.data.unusualVolumePerUser.rows.every((r: { events: number; medianPerUserDay: number }) => r.events > r.medianPerUserDay));
      const reviews = await q('{ completedAuditReviews(trialId: "TRIAL-E2E") { reviewId } }');
      assert.deepEqual(reviews.data.completedAuditReviews, []);
    });

    test('proof queries read the ledger: status, inclusion, consistency, verify', async () => {
      const status = await q('{ ledgerStatus { size rootHash lastHash latestCheckpoint { treeSize } } }');
      assert.equal(status.errors, undefined);
      assert.equal(status.data.ledgerStatus.size, ledgerSize);
      assert.match(status.data.ledgerStatus.rootHash, /^[0-9a-f]{64}$/);
      const event = (await ledger.readAll(5, 1))[0]!;
      const inclusion = await q(`{ inclusionProof(eventId: "${event.eventId}", treeSize: ${ledgerSize}) { leafIndex treeSize leafHash rootHash proof } }`);
      assert.equal(inclusion.errors, undefined);
      assert.equal(inclusion.data.inclusionProof.leafIndex, 5);
      assert.equal(inclusion.data.inclusionProof.leafHash, event.hash);
      assert.equal(inclusion.data.inclusionProof.rootHash, status.data.ledgerStatus.rootHash);
      const consistency = await q(`{ consistencyProof(from: 10, to: ${ledgerSize}) { size1 size2 root2 proof } }`);
      assert.equal(consistency.errors, undefined);
      assert.equal(consistency.data.consistencyProof.root2, status.data.ledgerStatus.rootHash);
      const badSize = await q(`{ consistencyProof(from: 10, to: ${ledgerSize + 1}) { size1 } }`);
      assert.equal(badSize.errors?.[0]?.extensions?.code, 'TREE_SIZE_INVALID');
      const verify = await q('{ verifyLedger { ok size rootHash failure { kind } } }');
      assert.deepEqual(verify.data.verifyLedger, { ok: true, size: ledgerSize, rootHash: status.data.ledgerStatus.rootHash, failure: null });
    });

    test('a tampered projection row changes a view but never what verifyLedger reports', async () => {
      const sql = `UPDATE rm_decision SET model_sha256 = 'ff' WHERE decision_id = 'DEC-SUBJ-000002'`;
      const sqlAudit = `UPDATE rm_audit_entry SET event_hash = 'ff' WHERE global_position = 3`;
      if (backend === 'sqlite') {
        const db = new Database(api.config.readStore.slice('sqlite:'.length));
        db.exec(sql);
        db.exec(sqlAudit);
        db.close();
      } else {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        const schema = new URL(api.config.readStore).searchParams.get('schema');
        await client.query(`SET search_path TO ${schema}`);
        await client.query(sql);
        await client.query(sqlAudit);
        await client.end();
      }
      const tampered = await q('{ decision(id: "DEC-SUBJ-000002") { model { hashMatchesLock } } }');
      assert.equal(tampered.data.decision.model.hashMatchesLock, false, 'the view reads the tampered row');
      const verify = await q('{ verifyLedger { ok size failure { kind } } }');
      assert.deepEqual(verify.data.verifyLedger, { ok: true, size: ledgerSize, failure: null });
      const status = await q('{ ledgerStatus { size } }');
      assert.equal(status.data.ledgerStatus.size, ledgerSize);
    });
  });
}
