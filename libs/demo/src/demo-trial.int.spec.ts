import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { featureResultSha256 } from '@radledger/domain';
import type { RecordedEvent } from '@radledger/ledger';
import { AuditTrailQuery, LineageQuery, MonitoringQuery, openReadModelStore, ProjectionRunner, readModelProjections } from '@radledger/projections';
import { extractFeatures, maskFromLabels, parseRadiomicsSettings, readNifti } from '@radledger/radiomics';
import { openRuntime, type Runtime } from '@radledger/application';
import { DEMO_USERS, DEVIATING_SUBJECT, POST_QC_CORRECTION_SUBJECT } from './scenario/demo-trial.plan.js';
import { loadDemoTrial, type DemoTrialResult, type DemoTrialSummary } from './scenario/load-demo-trial.js';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('demo trial loaded into an empty SQLite ledger', () => {
  let dir: string;
  let runtime: Runtime;
  let result: DemoTrialResult;
  let events: RecordedEvent<Data>[];
  const ofType = (type: string) => events.filter((e) => e.type === type);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-demo-'));
    runtime = await openRuntime({ store: `sqlite:${join(dir, 'ledger.db')}`, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
    result = await loadDemoTrial(runtime);
    events = (await runtime.store.readAll(0, 100_000)) as RecordedEvent<Data>[];
  });

  after(async () => {
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends the whole trial and reports it', () => {
    assert.equal(result.skipped, false);
    const summary = result as DemoTrialSummary;
    assert.equal(summary.trialId, 'GLIO-RAD-01');
    assert.equal(summary.subjects, 12);
    assert.equal(events.length, summary.ledgerSize);
    assert.equal(summary.eventsAppended, events.length);
    for (const [type, n] of Object.entries(summary.eventsByType)) assert.equal(ofType(type).length, n, type);
    assert.equal(ofType('SubjectEnrolled').length, 12);
    assert.equal(ofType('ImageAcquired').length, 24);
    assert.deepEqual(new Set(ofType('ImageAcquired').map((e) => e.data.fieldStrengthT)), new Set([1.5, 3]));
    assert.deepEqual(new Set(ofType('ImageAcquired').map((e) => e.data.scanner.vendor)), new Set(['Siemens', 'GE', 'Philips']));
  });

  it('records every event with a demo user and role in its metadata', () => {
    const users = new Map<string, string>(Object.values(DEMO_USERS).map((u) => [u.userId, u.role]));
    for (const e of events) {
      assert.equal(users.get(e.meta.actor), e.meta.role, `${e.type} at ${e.globalPosition}: actor ${e.meta.actor}`);
      assert.match(e.meta.client, /^radledger-demo\//);
    }
  });

  it('detects the one acquisition outside the imaging protocol', () => {
    const deviations = ofType('ProtocolDeviationDetected');
    assert.equal(deviations.length, 1);
    assert.equal(deviations[0]!.data.imageId, `img-${DEVIATING_SUBJECT}-T1c`);
    assert.deepEqual(
      deviations[0]!.data.deviations.map((d: Data) => d.field),
      ['contrast.delayS'],
    );
  });

  it('records second-reader edits with a reason and a Dice of 0.85-0.95 computed from the masks', () => {
    const edits = ofType('SegmentationEdited');
    assert.equal(edits.length, 7);
    for (const e of edits) {
      assert.ok(e.data.diceVsParent >= 0.85 && e.data.diceVsParent <= 0.95, `Dice ${e.data.diceVsParent}`);
      assert.ok(e.data.reason.length > 20);
      assert.equal(e.meta.actor, DEMO_USERS.reader.userId);
    }
    const needsEdit = ofType('SegmentationReviewed').filter((e) => e.data.verdict === 'needs-edit');
    assert.equal(needsEdit.length, 6);
    // One correction after the segmentation had been accepted at QC (what QA audits).
    const accepted = ofType('SegmentationReviewed').filter((e) => e.data.verdict === 'accepted');
    const afterAcceptance = edits.filter((e) => accepted.some((r) => r.data.segmentationId === e.data.segmentationId && r.data.versionId === e.data.parentVersionId && Number(r.globalPosition) < Number(e.globalPosition)));
    assert.deepEqual(afterAcceptance.map((e) => e.data.segmentationId), [`seg-${POST_QC_CORRECTION_SUBJECT}-wt`]);
  });

  it('computes IBSI features on the stored volumes, reproducibly', async () => {
    const featureSets = ofType('FeaturesComputed');
    assert.equal(featureSets.length, 12);
    const fs = featureSets[0]!;
    assert.equal(fs.data.reproducible, true);
    for (const code of ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'TU9B@IAZD', 'QCFX', 'RNU0']) assert.equal(typeof fs.data.features[code], 'number', code);
    // Recompute independently from the exact artifacts the event names: same result hash.
    const settings = parseRadiomicsSettings(JSON.parse(readFileSync(join(process.cwd(), 'libs', 'demo', 'settings', 'mri-glioma-demo.json'), 'utf8')));
    const image = readNifti(await runtime.artifacts.get(fs.data.imageSha256)).volume;
    const mask = maskFromLabels(readNifti(await runtime.artifacts.get(fs.data.maskSha256)));
    assert.equal(featureResultSha256(extractFeatures(image, mask, settings).features), fs.data.resultSha256);
    // Inputs are exactly the preprocessed T1c and the accepted mask version.
    const preprocessed = ofType('PreprocessingApplied').find((e) => e.data.imageId === fs.data.imageId)!;
    assert.equal(fs.data.imageSha256, preprocessed.data.outputSha256);
    assert.equal((await runtime.features.reproduce(fs.data.featureSetId)).status, 'MATCH');
    assert.deepEqual(new Set(ofType('FeatureSetPartitionAssigned').map((e) => e.data.partition)), new Set(['train', 'test']));
  });

  it('decides only with locked models: every decision names the locked sha256', () => {
    const locks = ofType('ModelLocked');
    assert.deepEqual(locks.map((e) => `${e.data.modelId}@${e.data.version}`).sort(), ['idh-logreg@1', 'idh-logreg@2', 'mgmt-trees@1']);
    assert.equal(locks.find((e) => e.data.version === '2')!.data.supersedesVersion, '1');
    const decisions = ofType('ModelDecisionMade');
    assert.equal(decisions.length, 24);
    for (const d of decisions) {
      const lock = locks.filter((l) => l.data.modelId === d.data.modelId && l.data.version === d.data.modelVersion && Number(l.globalPosition) < Number(d.globalPosition));
      assert.equal(lock.length, 1, `${d.data.decisionId} follows a lock of its version`);
      assert.equal(d.data.modelSha256, lock[0]!.data.artifactSha256);
    }
    assert.ok(new Set(decisions.map((d) => d.data.decision)).size >= 3, 'decisions go both ways');
    assert.equal((result as DemoTrialSummary).example.modelSha256, decisions.find((d) => d.data.decisionId === (result as DemoTrialSummary).example.decisionId)!.data.modelSha256);
  });

  it('carries e-signatures with printed names bound to the signed events', () => {
    const signatures = ofType('RecordSigned');
    const byId = new Map(events.map((e) => [e.eventId, e]));
    assert.ok(signatures.length >= 10);
    for (const s of signatures) {
      assert.equal(byId.get(s.data.eventId)!.hash, s.data.eventHash);
      assert.ok(s.data.printedName.length > 3);
    }
    const meanings = new Set(signatures.map((s) => s.data.meaning));
    for (const m of ['authored', 'reviewed', 'approved']) assert.ok(meanings.has(m), m);
    for (const lock of ofType('ModelLocked')) assert.ok(lock.data.approvalSignatureIds.length >= 1);
  });

  it('answers the start-up log\'s three questions from the read models (lineage, audit trail, compliance)', async () => {
    const summary = result as DemoTrialSummary;
    const readModels = openReadModelStore(`sqlite:${join(dir, 'read-models.db')}`);
    const runner = new ProjectionRunner(runtime.store, readModels, readModelProjections);
    try {
      await runner.init();
      await runner.caughtUp();
      const lineage = await new LineageQuery(readModels).lineage({ id: `decision:${summary.example.decisionId}`, direction: 'UPSTREAM', maxDepth: 8 });
      const types = new Set(lineage.nodes.map((n) => n.type));
      for (const t of ['feature-set', 'model-version', 'mask-version', 'image']) assert.ok(types.has(t as never), `lineage reaches a ${t}: ${[...types].join(', ')}`);
      const audit = await new AuditTrailQuery(readModels).page({ trialId: summary.trialId, subjectId: summary.example.subjectId }, 50);
      assert.ok(audit.edges.length >= 10, `audit trail of ${summary.example.subjectId}: ${audit.edges.length} entries`);
      const compliance = await new MonitoringQuery(readModels).lockedAlgorithmCompliance(summary.trialId);
      assert.equal(compliance.totalDecisions, 24);
      assert.equal(compliance.compliantDecisions, 24);
      assert.deepEqual(compliance.deviations, []);
      // QA's question: which segmentations were edited after QC, by whom, why, with what Dice.
      const afterQc = await new MonitoringQuery(readModels).segmentationEdits(summary.trialId, true);
      assert.deepEqual(afterQc.map((e) => [e.segmentationId, e.editedByName]), [[`seg-${POST_QC_CORRECTION_SUBJECT}-wt`, DEMO_USERS.reader.printedName]]);
      // Read models keep free text sealed (ADR 0007); the runtime's cipher opens it on output.
      assert.match((await runtime.fieldCipher.reveal(afterQc[0]!.reason)).value ?? '', /Post-QC correction/);
    } finally {
      await runner.stop();
      await readModels.close();
    }
  });

  it('leaves a ledger that verifies, and a second load is skipped', async () => {
    const report = await runtime.ledger.verifyLedger();
    assert.equal(report.size, events.length);
    const again = await loadDemoTrial(runtime);
    assert.equal(again.skipped, true);
    assert.equal((await runtime.store.head()).size, events.length);
  });
});
