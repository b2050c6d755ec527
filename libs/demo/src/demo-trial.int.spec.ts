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
import { DEMO_SITES, DEMO_USERS, DEVIATING_SUBJECT, POST_QC_CORRECTION_SUBJECT, QC_FAILURE_SUBJECT, RANO_SUBJECT } from './scenario/demo-trial.plan.js';
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
    assert.equal(summary.subjects, 16);
    assert.equal(events.length, summary.ledgerSize);
    assert.equal(summary.eventsAppended, events.length);
    for (const [type, n] of Object.entries(summary.eventsByType)) assert.equal(ofType(type).length, n, type);
    assert.equal(ofType('SubjectEnrolled').length, 16);
    // T1c and FLAIR per subject, and three RANO follow-up T1c scans.
    assert.equal(ofType('ImageAcquired').length, 35);
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
    assert.equal(edits.length, 9);
    for (const e of edits) {
      assert.ok(e.data.diceVsParent >= 0.85 && e.data.diceVsParent <= 0.95, `Dice ${e.data.diceVsParent}`);
      assert.ok(e.data.reason.length > 20);
      assert.equal(e.meta.actor, DEMO_USERS.reader.userId);
    }
    const needsEdit = ofType('SegmentationReviewed').filter((e) => e.data.verdict === 'needs-edit');
    assert.equal(needsEdit.length, 8);
    // One correction after the segmentation had been accepted at QC (what QA audits).
    const accepted = ofType('SegmentationReviewed').filter((e) => e.data.verdict === 'accepted');
    const afterAcceptance = edits.filter((e) => accepted.some((r) => r.data.segmentationId === e.data.segmentationId && r.data.versionId === e.data.parentVersionId && Number(r.globalPosition) < Number(e.globalPosition)));
    assert.deepEqual(afterAcceptance.map((e) => e.data.segmentationId), [`seg-${POST_QC_CORRECTION_SUBJECT}-wt`]);
  });

  it('computes IBSI features on the stored volumes, reproducibly', async () => {
    const featureSets = ofType('FeaturesComputed');
    // One per subject, and one on the independent reader's contour where the second reader drew the accepted one.
    assert.equal(featureSets.length, 25);
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
    assert.equal(decisions.length, 32);
    for (const d of decisions) {
      const lock = locks.filter((l) => l.data.modelId === d.data.modelId && l.data.version === d.data.modelVersion && Number(l.globalPosition) < Number(d.globalPosition));
      assert.equal(lock.length, 1, `${d.data.decisionId} follows a lock of its version`);
      assert.equal(d.data.modelSha256, lock[0]!.data.artifactSha256);
    }
    assert.ok(new Set(decisions.map((d) => d.data.decision)).size >= 3, 'decisions go both ways');
    assert.equal((result as DemoTrialSummary).example.modelSha256, decisions.find((d) => d.data.decisionId === (result as DemoTrialSummary).example.decisionId)!.data.modelSha256);
  });

  it('validates every lock on three held-out sites by someone other than the developer, under a plan whose lock gates every lock met', () => {
    const development = new Set(DEMO_SITES.filter((s) => s.role === 'development').map((s) => s.siteId));
    const validations = new Map(ofType('ModelValidationRecorded').map((v) => [v.data.validationId, v]));
    const registrations = ofType('ModelRegistered');
    const locks = ofType('ModelLocked');
    assert.equal(locks.length, 3);
    for (const lock of locks) {
      const validation = validations.get(lock.data.validationId);
      assert.ok(validation, `${lock.data.modelId}@${lock.data.version} rests on a validation`);
      assert.ok(Number(validation.globalPosition) < Number(lock.globalPosition), 'validated before the lock');
      const developer = registrations.find((r) => r.data.modelId === lock.data.modelId && r.data.version === lock.data.version)!.meta.actor;
      assert.notEqual(validation.meta.actor, developer);
      assert.equal(validation.meta.actor, DEMO_USERS.validator.userId);
      assert.equal(validation.data.siteIds.length, 3);
      for (const site of validation.data.siteIds) assert.ok(!development.has(site), `${site} took no part in development`);
      const auc = validation.data.metrics.find((m: Data) => m.metric === 'AUC');
      assert.ok(auc.ciLower <= auc.value && auc.value <= auc.ciUpper);
      assert.ok(lock.data.planId, 'a plan gated the lock');
      assert.deepEqual(lock.data.gates.map((g: Data) => `${g.gate}:${g.passed}`), ['independent-validator:true', 'independent-sites:true', 'intended-use:true', 'metrics-with-ci:true', 'feature-reliability:true']);
    }
  });

  it('records a two-reader reliability study of every feature on the same T1c images', () => {
    const [study] = ofType('FeatureReliabilityRecorded');
    assert.ok(study);
    assert.deepEqual([...study.data.raters].sort(), [DEMO_USERS.readerB.userId, DEMO_USERS.reader.userId].sort());
    assert.equal(study.data.subjects, 9);
    assert.ok(study.data.features.length > 100, `${study.data.features.length} features`);
    const inputs = ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'TU9B@IAZD', 'QCFX', 'RNU0'];
    for (const code of inputs) assert.equal(study.data.features.find((f: Data) => f.featureCode === code).meetsThreshold, true, code);
  });

  it('assesses every acquisition\'s quality; the one FLAIR with a motion ghost fails and is excluded from feature sets', () => {
    const qc = ofType('ImageQualityAssessed');
    assert.equal(qc.length, 32);
    const failed = qc.filter((e) => e.data.passed === false);
    assert.deepEqual(failed.map((e) => e.data.imageId), [`img-${QC_FAILURE_SUBJECT}-FLAIR`]);
    assert.deepEqual(failed[0]!.data.failures.map((f: Data) => f.check), ['GHOSTING']);
    assert.equal(failed[0]!.data.excludedFromFeatures, true);
  });

  it('follows one subject under RANO 2.0 with both readers: progression preliminary at F1, confirmed at F2', () => {
    const assessed = ofType('TimepointResponseAssessed').filter((e) => e.data.subjectId === RANO_SUBJECT);
    const calls = assessed.map((e) => `${e.meta.actor}/${e.data.timepointId}: ${e.data.category}/${e.data.confirmation}`).sort();
    assert.deepEqual(calls, [
      `${DEMO_USERS.readerB.userId}/F1: PD/pending`,
      `${DEMO_USERS.readerB.userId}/F2: PD/confirmed`,
      `${DEMO_USERS.reader.userId}/F1: PD/pending`,
      `${DEMO_USERS.reader.userId}/F2: PD/confirmed`,
    ]);
    for (const e of assessed.filter((x) => x.data.timepointId === 'F2')) assert.deepEqual(e.data.resolves, [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }]);
  });

  it('explains every decision from the locked bytes, additively', () => {
    for (const d of ofType('ModelDecisionMade')) {
      const e = d.data.explanation;
      assert.ok(e, `${d.data.decisionId} explained`);
      const sum = e.contributions.reduce((s: number, c: Data) => s + c.contribution, 0);
      assert.ok(Math.abs(sum - (e.modelOutput - e.expectedValue)) <= 1e-9);
      assert.equal(e.method, d.data.modelId === 'mgmt-trees' ? 'tree-shap-path-dependent' : 'linear-exact');
    }
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
      assert.equal(compliance.totalDecisions, 32);
      assert.equal(compliance.compliantDecisions, 32);
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
