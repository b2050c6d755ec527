import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { OTHER_TRIAL, OWN_SITE, startTwoTrialApi, TRIAL, type TwoTrialApi } from '../testing/two-trial-fixture.js';

/**
 * Issue 15 over HTTP on the demo trial: lock gates of a change-control plan (each its own code,
 * nothing appended when refused), RANO 2.0 response assessment by two readers with a confirmed
 * progression, image QC, reliability refusals, the fixes (override labels), and access from
 * another trial.
 */
const RESULT = 'streamId events { type eventId }';
const sha = (label: string) => createHash('sha256').update(label).digest('hex');
type Gql = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('trial science over HTTP (issue 15)', () => {
  let fx: TwoTrialApi;
  let developer: string;
  let validator: string;
  let regulatory: string;
  let readerA: string;
  let readerB: string;
  let otherTrialQa: string;
  let otherSiteOperator: string;
  const size = async () => (await fx.api.application.runtime.store.head()).size;
  const gql = (token: string, query: string, variables?: Record<string, unknown>) => fx.api.graphql(token, query, variables) as Promise<Gql>;
  const code = (r: Gql) => r.errors?.[0]?.extensions?.code;
  const ok = (r: Gql) => assert.equal(r.errors, undefined, JSON.stringify(r.errors));

  before(async () => {
    fx = await startTwoTrialApi();
    const { api } = fx;
    developer = await api.tokenFor('ds-dev', [{ role: 'data-scientist', trialId: TRIAL }], 'Dev Eloper');
    validator = await api.tokenFor('qa-val', [{ role: 'qa', trialId: TRIAL }], 'Val Idator');
    regulatory = await api.tokenFor('reg-1', [{ role: 'regulatory', trialId: TRIAL }], 'Reg Ulatory');
    readerA = await api.tokenFor('reader-a', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }], 'Reader A');
    readerB = await api.tokenFor('reader-b', [{ role: 'qa', trialId: TRIAL }], 'Reader B');
    otherTrialQa = await api.tokenFor('qa-other', [{ role: 'qa', trialId: OTHER_TRIAL }, { role: 'site-operator', trialId: OTHER_TRIAL }], 'Other QA');
    otherSiteOperator = await api.tokenFor('op-bos', [{ role: 'site-operator', trialId: TRIAL, siteId: 'SITE-BOS' }], 'Bos Operator');
  });

  after(async () => {
    await fx?.api.close();
  });

  test('lock gates: each failing gate refuses the lock with its own code and appends nothing; a passing lock records every gate', async () => {
    const commands = fx.api.application.runtime.commands;
    const meta = { actor: 'ds-dev', role: 'data-scientist', correlationId: 'gates', client: 'radledger-test' };
    const trainingFeatureSets = (await fx.events()).filter((e) => e.type === 'FeaturesComputed' && (e.data as { siteId: string }).siteId !== 'SITE-TYO').map((e) => (e.data as { featureSetId: string }).featureSetId);
    const register = (version: string, intendedUse: string) =>
      commands.execute(
        {
          type: 'RegisterModel',
          data: {
            modelId: 'gate-m', version, artifactSha256: sha(`gate-m-${version}`), intendedUse, featureCodes: ['Q4LE'], decisionRule: { threshold: 0.5, positiveLabel: 'mutant', negativeLabel: 'wildtype' },
            inputs: [{ name: 'x', type: 'float32', shape: ['batch', 1] }], outputs: [{ name: 'p', type: 'float32', shape: ['batch', 2] }],
            trainingLineage: { featureSetIds: trainingFeatureSets, trialIds: [TRIAL], partitions: ['train'] }, performance: [],
          },
        },
        meta,
      );
    await register('1', 'IDH status, adult glioma');
    const plan = (planId: string, lockGates: Record<string, unknown>) =>
      gql(regulatory, `mutation($input: RecordChangeControlPlanInput!) { recordChangeControlPlan(input: $input) { ${RESULT} } }`, {
        input: { modelId: 'gate-m', planId, whatMayChange: 'Coefficients', validationProtocol: 'External sites', acceptanceCriteria: 'AUC lower CI >= 0.7', lockGates },
      });
    ok(await plan('G1', { allowedIntendedUses: ['IDH status, adult glioma'], minIndependentSites: 3, requiredMetric: 'AUC' }));
    const validate = (token: string, version: string, planId: string, siteIds: string[], metric: Record<string, unknown>) =>
      gql(token, `mutation($input: RecordModelValidationInput!) { recordModelValidation(input: $input) { ${RESULT} } }`, {
        input: { modelId: 'gate-m', version, planId, results: {}, passed: true, summary: 'External validation', siteIds, metrics: [metric] },
      });
    const auc = { metric: 'AUC', value: 0.84, ciLower: 0.78, ciUpper: 0.9 };
    const lock = (version: string) => gql(regulatory, `mutation($input: LockModelInput!) { lockModel(input: $input) { ${RESULT} } }`, { input: { modelId: 'gate-m', version, trialId: TRIAL } });
    const refused = async (version: string, expected: string) => {
      const before = await size();
      const r = await lock(version);
      assert.equal(code(r), expected, JSON.stringify(r.errors));
      assert.match(r.errors![0]!.message, /gate/);
      assert.equal(await size(), before, `${expected}: nothing appended, not even the approval signature`);
    };

    await refused('1', 'LOCK_GATE_VALIDATOR_NOT_INDEPENDENT');
    ok(await validate(developer, '1', 'G1', ['SITE-TYO', 'EXT-1', 'EXT-2'], auc));
    await refused('1', 'LOCK_GATE_VALIDATOR_NOT_INDEPENDENT');
    ok(await validate(validator, '1', 'G1', ['SITE-TYO', 'SITE-BER', 'EXT-1'], auc));
    await refused('1', 'LOCK_GATE_TOO_FEW_INDEPENDENT_SITES');
    ok(await validate(validator, '1', 'G1', ['SITE-TYO', 'EXT-1', 'EXT-2'], { metric: 'AUC', value: 0.84 }));
    await refused('1', 'LOCK_GATE_METRIC_WITHOUT_CI');
    // The demo's two-reader study has Q4LE well above 0.75 but, with measurement noise, never at 1: a plan asking for 1 is refused.
    ok(await plan('G2', { allowedIntendedUses: ['IDH status, adult glioma'], minFeatureIcc: 1 }));
    ok(await validate(validator, '1', 'G2', ['SITE-TYO', 'EXT-1', 'EXT-2'], auc));
    await refused('1', 'LOCK_GATE_FEATURES_UNRELIABLE');
    const badRange = await validate(validator, '1', 'G1', ['SITE-TYO'], { metric: 'AUC', value: 0.95, ciLower: 0.7, ciUpper: 0.8 });
    assert.equal(code(badRange), 'CI_EXCLUDES_ESTIMATE');

    ok(await validate(validator, '1', 'G1', ['SITE-TYO', 'EXT-1', 'EXT-2'], auc));
    const locked = await lock('1');
    ok(locked);
    assert.deepEqual(locked.data!['lockModel'].events.map((e: { type: string }) => e.type), ['RecordSigned', 'ModelLocked']);
    const lockEvent = (await fx.events()).find((e) => e.eventId === locked.data!['lockModel'].events[1].eventId)!;
    const gates = (lockEvent.data as { planId: string; gates: Array<{ gate: string; passed: boolean }> });
    assert.equal(gates.planId, 'G1');
    assert.deepEqual(gates.gates.map((g) => `${g.gate}:${g.passed}`), ['independent-validator:true', 'independent-sites:true', 'intended-use:true', 'metrics-with-ci:true']);

    // A later version whose intended use the plan does not allow.
    await register('2', 'IDH status, paediatric glioma');
    ok(await validate(validator, '2', 'G1', ['SITE-TYO', 'EXT-1', 'EXT-2'], auc));
    await refused('2', 'LOCK_GATE_INTENDED_USE_NOT_IN_PLAN');
  });

  test('RANO 2.0 by two readers: a preliminary progression confirmed 28 days later, with the derivation trail and the images and masks it rests on', async () => {
    const subjectId = fx.records.subjectId;
    const operator = await fx.api.tokenFor('op-ber', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }], 'Ber Operator');
    const images: Record<string, string> = {};
    for (const tp of ['BL', 'F1', 'F2']) {
      const r = await gql(operator, `mutation($input: AcquireImageInput!) { acquireImage(input: $input) { ${RESULT} } }`, {
        input: { imageId: `rano-${tp}`, trialId: TRIAL, siteId: OWN_SITE, subjectId, modality: 'T1c', scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 1, contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256: sha(`rano-${tp}`) },
      });
      ok(r);
      images[tp] = `rano-${tp}`;
    }
    const m = (field: string, token: string, input: Record<string, unknown>) => gql(token, `mutation($input: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { ${RESULT} } }`, { input: { trialId: TRIAL, subjectId, ...input } });
    // Another trial's reader, and a reader of another site, cannot write into this subject's record.
    assert.equal(code(await m('recordResponseTimepoint', otherTrialQa, { timepointId: 'BL', studyDay: 70, imageIds: [images['BL']] })), 'FORBIDDEN');
    assert.equal(code(await m('recordResponseTimepoint', otherSiteOperator, { timepointId: 'BL', studyDay: 70, imageIds: [images['BL']] })), 'FORBIDDEN');
    for (const [tp, day] of [['BL', 70], ['F1', 112], ['F2', 140]] as const) ok(await m('recordResponseTimepoint', readerA, { timepointId: tp, studyDay: day, imageIds: [images[tp]] }));
    assert.equal(code(await m('recordResponseTimepoint', readerA, { timepointId: 'X', studyDay: 71, imageIds: [fx.records.imageId, images['BL']] })), 'IMAGE_IN_OTHER_TIMEPOINT');
    ok(await m('designateResponseBaseline', readerB, { timepointId: 'BL', kind: 'post-radiotherapy', radiotherapyEndStudyDay: 42, component: 'enhancing', method: 'bidimensional' }));
    ok(await m('identifyLesion', readerB, { lesionId: 'T1', timepointId: 'BL', role: 'target', component: 'enhancing' }));
    assert.equal(code(await m('identifyLesion', otherTrialQa, { lesionId: 'T2', timepointId: 'BL', role: 'target', component: 'enhancing' })), 'FORBIDDEN');
    const sizes: Record<string, [number, number]> = { BL: [20, 20], F1: [26, 20], F2: [30, 22] };
    for (const reader of [readerA, readerB]) {
      for (const [tp, [a, b]] of Object.entries(sizes)) {
        ok(await m('recordLesionMeasurement', reader, { timepointId: tp, lesionId: 'T1', longestDiameterMm: a, perpendicularDiameterMm: b, imageId: images[tp] }));
      }
    }
    const wrongImage = await m('recordLesionMeasurement', readerA, { timepointId: 'F1', lesionId: 'T1', longestDiameterMm: 26, perpendicularDiameterMm: 20, imageId: images['BL'], reason: 'x' });
    assert.equal(code(wrongImage), 'IMAGE_NOT_IN_TIMEPOINT');
    for (const tp of ['BL', 'F1', 'F2']) ok(await m('recordClinicalStatus', readerB, { timepointId: tp, dexamethasoneMgPerDay: 2, status: 'stable' }));
    assert.equal(code(await m('assessTimepointResponse', readerA, { timepointId: 'F2' })), 'ASSESSMENT_OUT_OF_ORDER');
    for (const reader of [readerA, readerB]) for (const tp of ['F1', 'F2']) ok(await m('assessTimepointResponse', reader, { timepointId: tp }));
    await fx.caughtUp();

    const query = `query($subjectId: ID!) { responseAssessment(subjectId: $subjectId) {
      trialId siteId subjectId baseline { timepointId kind method criteriaJson } timepoints { timepointId studyDay imageIds }
      readers { readerId bestOverallResponse progressionStudyDay timepoints { timepointId category confirmation targetSum nadirSum steps { rule clause } measurements { lesionId product imageId } resolvesJson } }
      recorded { timepointId readerId category confirmation rules resolvesJson assessedBy }
      lineage { timepointId imageIds masks { maskVersionId } } } }`;
    const view = await gql(readerB, query, { subjectId });
    ok(view);
    const ra = view.data!['responseAssessment'];
    assert.equal(ra.trialId, TRIAL);
    assert.deepEqual(ra.readers.map((r: { readerId: string }) => r.readerId), ['reader-a', 'reader-b']);
    for (const reader of ra.readers) {
      const calls = Object.fromEntries(reader.timepoints.map((t: { timepointId: string; category: string; confirmation: string }) => [t.timepointId, `${t.category}/${t.confirmation}`]));
      assert.deepEqual(calls, { BL: 'baseline/not-applicable', F1: 'PD/confirmed', F2: 'PD/confirmed' });
      assert.equal(reader.progressionStudyDay, 112);
      const f1 = reader.timepoints.find((t: { timepointId: string }) => t.timepointId === 'F1');
      assert.equal(f1.targetSum, 520);
      assert.deepEqual(f1.measurements.map((x: { imageId: string }) => x.imageId), ['rano-F1']);
      assert.ok(f1.steps.some((s: { rule: string }) => s.rule === 'TARGET_SUM_INCREASE_FROM_NADIR'));
    }
    // What was derivable when each timepoint was read: F1 preliminary, F2 confirming it.
    const recorded = Object.fromEntries(ra.recorded.map((r: { timepointId: string; readerId: string; category: string; confirmation: string }) => [`${r.readerId}/${r.timepointId}`, `${r.category}/${r.confirmation}`]));
    assert.equal(recorded['reader-a/F1'], 'PD/pending');
    assert.deepEqual(JSON.parse(ra.recorded.find((r: { readerId: string; timepointId: string }) => r.readerId === 'reader-a' && r.timepointId === 'F2').resolvesJson), [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }]);
    assert.deepEqual(ra.lineage.map((l: { imageIds: string[] }) => l.imageIds), [['rano-BL'], ['rano-F1'], ['rano-F2']]);

    const denied = await gql(otherTrialQa, query, { subjectId });
    assert.equal(code(denied), 'FORBIDDEN');
  });

  test('image QC: computed from the stored bytes and recorded per image; same bytes for another subject refused; another trial refused', async () => {
    const qa = await fx.api.tokenFor('qa-img', [{ role: 'qa', trialId: TRIAL }], 'QA Images');
    const assessed = await gql(qa, `mutation($input: AssessImageQualityInput!) { assessImageQuality(input: $input) { ${RESULT} } }`, { input: { imageId: fx.records.imageId } });
    ok(assessed);
    assert.deepEqual(assessed.data!['assessImageQuality'].events.map((e: { type: string }) => e.type), ['ImageQualityAssessed']);
    // A protocol demanding more than the scan gives fails it; the failed image is excluded from feature sets.
    const strict = await gql(qa, `mutation($input: AssessImageQualityInput!) { assessImageQuality(input: $input) { ${RESULT} } }`, { input: { imageId: fx.records.imageId, thresholds: { minSnr: 1e9 } } });
    ok(strict);
    await fx.caughtUp();
    const listed = await gql(qa, 'query($t: ID!) { imageQuality(trialId: $t, failedOnly: true) { imageId passed excludedFromFeatures snr cnr ghostToSignalRatio metadataCompleteness failures { check } } }', { t: TRIAL });
    ok(listed);
    const row = listed.data!['imageQuality'].find((q: { imageId: string }) => q.imageId === fx.records.imageId);
    assert.equal(row.passed, false);
    assert.equal(row.excludedFromFeatures, true);
    assert.ok(row.snr > 0 && row.failures.some((f: { check: string }) => f.check === 'SNR'));
    const features = await gql(qa, `mutation($input: ComputeFeaturesInput!) { computeFeatures(input: $input) { ${RESULT} } }`, {
      input: { imageId: fx.records.imageId, segmentationId: fx.records.segmentationId, maskVersionId: fx.records.maskVersionId },
    });
    assert.ok(['IMAGE_QC_FAILED', 'FORBIDDEN'].includes(code(features)!), JSON.stringify(features.errors));
    const scientist = await fx.api.tokenFor('ds-img', [{ role: 'data-scientist', trialId: TRIAL }], 'DS Images');
    const excluded = await gql(scientist, `mutation($input: ComputeFeaturesInput!) { computeFeatures(input: $input) { ${RESULT} } }`, {
      input: { imageId: fx.records.imageId, segmentationId: fx.records.segmentationId, maskVersionId: fx.records.maskVersionId },
    });
    assert.equal(code(excluded), 'IMAGE_QC_FAILED');

    const operator = await fx.api.tokenFor('op-ber-2', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }], 'Ber Operator 2');
    const enrolled = (await fx.events()).filter((e) => e.type === 'SubjectEnrolled' && (e.data as { siteId: string }).siteId === OWN_SITE).map((e) => (e.data as { subjectId: string }).subjectId);
    const another = enrolled.find((s) => s !== fx.records.subjectId)!;
    const before = await size();
    const copy = await gql(operator, `mutation($input: AcquireImageInput!) { acquireImage(input: $input) { ${RESULT} } }`, {
      input: { trialId: TRIAL, siteId: OWN_SITE, subjectId: another, modality: 'T1c', scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 1, artifactSha256: fx.records.imageArtifactSha256 },
    });
    assert.equal(code(copy), 'IMAGE_BYTES_OF_OTHER_SUBJECT');
    const otherModality = await gql(operator, `mutation($input: AcquireImageInput!) { acquireImage(input: $input) { ${RESULT} } }`, {
      input: { trialId: TRIAL, siteId: OWN_SITE, subjectId: fx.records.subjectId, modality: 'FLAIR', scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 9000, teMs: 90, sliceThicknessMm: 1, artifactSha256: fx.records.imageArtifactSha256 },
    });
    assert.equal(code(otherModality), 'IMAGE_BYTES_OF_OTHER_MODALITY');
    assert.equal(await size(), before);

    assert.equal(code(await gql(otherTrialQa, `mutation($input: AssessImageQualityInput!) { assessImageQuality(input: $input) { ${RESULT} } }`, { input: { imageId: fx.records.imageId } })), 'FORBIDDEN');
    assert.equal(code(await gql(otherTrialQa, 'query($t: ID!) { imageQuality(trialId: $t) { imageId } }', { t: TRIAL })), 'FORBIDDEN');
  });

  test('feature reliability: refused without two segmentations of one image or with another trial\'s feature sets; the query answers only with a study', async () => {
    const ds = await fx.api.tokenFor('ds-rel', [{ role: 'data-scientist', trialId: TRIAL }], 'DS Reliability');
    // One feature set per image (the demo's own, not the independent reader's): no image is segmented twice.
    const featureSets = (await fx.events()).filter((e) => e.type === 'FeaturesComputed').map((e) => (e.data as { featureSetId: string }).featureSetId).filter((id) => !id.endsWith('-rb'));
    const before = await size();
    const once = await gql(ds, `mutation($input: ComputeFeatureReliabilityInput!) { computeFeatureReliability(input: $input) { ${RESULT} } }`, { input: { trialId: TRIAL, featureSetIds: featureSets.slice(0, 4) } });
    assert.equal(code(once), 'RELIABILITY_TOO_FEW', JSON.stringify(once.errors));
    assert.equal(await size(), before);
    // The demo's two-reader study answers: both central readers, every model input reliable.
    const study = await gql(ds, 'query($t: ID!) { featureReliability(trialId: $t) { studyId raters subjects reliable unreliable } }', { t: TRIAL });
    ok(study);
    assert.equal(study.data!['featureReliability'].studyId, fx.demo.example.reliabilityStudyId);
    assert.deepEqual([...study.data!['featureReliability'].raters].sort(), ['demo-independent-reader', 'demo-second-reader']);
    for (const code of ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'TU9B@IAZD', 'QCFX', 'RNU0']) assert.ok(study.data!['featureReliability'].reliable.includes(code), code);
    assert.equal(code(await gql(otherTrialQa, 'query($t: ID!) { featureReliability(trialId: $t) { studyId } }', { t: TRIAL })), 'FORBIDDEN');
    const otherTrialDs = await fx.api.tokenFor('ds-oth', [{ role: 'data-scientist', trialId: OTHER_TRIAL }], 'DS Other');
    const crossTrial = await gql(otherTrialDs, `mutation($input: ComputeFeatureReliabilityInput!) { computeFeatureReliability(input: $input) { ${RESULT} } }`, { input: { trialId: OTHER_TRIAL, featureSetIds: featureSets.slice(0, 2) } });
    assert.equal(code(crossTrial), 'FEATURE_SET_OF_OTHER_TRIAL');

    // The stricter basis, chosen by the caller: the lower bound of each ICC's 95% interval must meet
    // the threshold, so what it finds reliable is a subset of what the estimate finds reliable.
    type Study = { basis: string; features: Array<{ featureCode: string; meetsThreshold: boolean }> };
    const demoStudy = (await fx.events()).find((e) => e.type === 'FeatureReliabilityRecorded')!.data as Study & { featureSetIds: string[] };
    const strict = await gql(ds, `mutation($input: ComputeFeatureReliabilityInput!) { computeFeatureReliability(input: $input) { ${RESULT} } }`, {
      input: { trialId: TRIAL, studyId: 'REL-LOWER-BOUND', featureSetIds: demoStudy.featureSetIds, basis: 'lower-bound' },
    });
    ok(strict);
    const recorded = (await fx.events()).find((e) => e.eventId === strict.data!['computeFeatureReliability'].events[0].eventId)!.data as Study;
    assert.equal(recorded.basis, 'lower-bound');
    assert.equal(demoStudy.basis, 'estimate');
    const reliable = (s: Study) => new Set(s.features.filter((f) => f.meetsThreshold).map((f) => f.featureCode));
    const byEstimate = reliable(demoStudy);
    for (const code of reliable(recorded)) assert.ok(byEstimate.has(code), `${code}: reliable by its lower bound but not by its estimate`);
    assert.ok(reliable(recorded).size < byEstimate.size, 'some estimate above 0.75 has a lower bound below it');
  });

  test('overrideDecision only to the locked version\'s declared labels ("banana" refused, nothing appended)', async () => {
    const operator = await fx.api.tokenFor('op-ber-3', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }], 'Ber Operator 3');
    const before = await size();
    const banana = await gql(operator, `mutation($input: OverrideDecisionInput!) { overrideDecision(input: $input) { ${RESULT} } }`, { input: { decisionId: fx.records.decisionId, decision: 'banana', reason: 'Pathology disagrees' } });
    assert.equal(code(banana), 'DECISION_LABEL_UNKNOWN', JSON.stringify(banana.errors));
    assert.match(banana.errors![0]!.message, /decision/);
    assert.equal(await size(), before);
  });

  test('decision explanations over HTTP: recorded with each decision from the locked ONNX bytes, additive to 1e-9, re-computed by reproduceDecision (a redistributed explanation is a MISMATCH)', async () => {
    const operator = await fx.api.tokenFor('op-ber-expl', [{ role: 'site-operator', trialId: TRIAL, siteId: OWN_SITE }], 'Ber Operator Expl');
    const qa = await fx.api.tokenFor('qa-expl', [{ role: 'qa', trialId: TRIAL }], 'QA Expl');
    const scientist = await fx.api.tokenFor('ds-expl', [{ role: 'data-scientist', trialId: TRIAL }], 'DS Expl');
    const events = await fx.events();
    const registration = (modelId: string, version: string) =>
      events.find((e) => e.type === 'ModelRegistered' && (e.data as { modelId: string }).modelId === modelId && (e.data as { version: string }).version === version)!.data as {
        featureCodes: string[];
        artifactSha256: string;
        explanationReference: { artifactSha256: string; rows: number } | null;
      };
    const EXPLANATION = 'explanation { method outputSpace expectedValue modelOutput contributions { featureCode value contribution } reference { sha256 rows } additivityError }';
    type Explanation = { method: string; outputSpace: string; expectedValue: number; modelOutput: number; contributions: Array<{ featureCode: string; value: number; contribution: number }>; reference: { sha256: string; rows: number }; additivityError: number };
    const query = async (id: string) => {
      const r = await gql(qa, `query($id: ID!) { decision(id: $id) { outputsJson ${EXPLANATION} } }`, { id });
      ok(r);
      return r.data!['decision'] as { outputsJson: string; explanation: Explanation | null };
    };

    const expectations = [
      { modelId: 'mgmt-trees', method: 'tree-shap-path-dependent' },
      { modelId: 'idh-logreg', method: 'linear-exact' },
    ];
    for (const { modelId, method } of expectations) {
      const locked = fx.demo.example.lockedModels.find((m) => m.modelId === modelId)!;
      const reg = registration(modelId, locked.version);
      assert.ok(reg.explanationReference, `${modelId} ${locked.version} registered its explanation reference`);
      const decisionId = `dec-explained-${modelId}`;
      ok(await gql(operator, `mutation($input: MakeDecisionInput!) { makeDecision(input: $input) { ${RESULT} } }`, { input: { decisionId, modelId, modelVersion: locked.version, featureSetId: fx.records.featureSetId } }));
      const { outputsJson, explanation } = await query(decisionId);
      assert.ok(explanation, `${decisionId}: explanation recorded`);
      assert.equal(explanation.method, method);
      assert.equal(explanation.outputSpace, 'log-odds');
      assert.deepEqual(explanation.reference, { sha256: reg.explanationReference.artifactSha256, rows: reg.explanationReference.rows });
      assert.deepEqual(explanation.contributions.map((c) => c.featureCode), reg.featureCodes);
      // Additivity: Σ contributions = model output − expected value.
      const sum = explanation.contributions.reduce((s, c) => s + c.contribution, 0);
      assert.ok(Math.abs(sum - (explanation.modelOutput - explanation.expectedValue)) <= 1e-9, `${modelId}: Σ ${sum} vs ${explanation.modelOutput - explanation.expectedValue}`);
      assert.ok(explanation.additivityError <= 1e-9);
      // The explained output is the one onnxruntime produced for the decision (its logit, to float32 precision).
      const p = (JSON.parse(outputsJson) as Record<string, number>)['probability']!;
      assert.ok(Math.abs(Math.log(p / (1 - p)) - explanation.modelOutput) < 5e-5 * Math.max(1, Math.abs(explanation.modelOutput)), `${modelId}: logit(${p}) vs ${explanation.modelOutput}`);
      const reproduced = await gql(qa, '{ reproduceDecision(decisionId: "' + decisionId + '") { status differences } }');
      assert.deepEqual(reproduced.data?.['reproduceDecision'], { status: 'MATCH', differences: [] });
    }
    // The demo's own decisions carry explanations too.
    assert.ok((await query(fx.records.decisionId)).explanation, 'demo decision explained');

    // Another client records a decision whose contributions are moved between two inputs: still additive, so the
    // decider cannot tell; re-computation from the locked bytes can.
    const [made] = await fx.api.application.runtime.store.readStream('decision-dec-explained-idh-logreg');
    const d = made!.data as Record<string, unknown> & { explanation: Explanation };
    const moved = { ...d.explanation, contributions: d.explanation.contributions.map((c, j) => (j === 0 ? { ...c, contribution: c.contribution + 0.5 } : j === 1 ? { ...c, contribution: c.contribution - 0.5 } : c)) };
    const { trialId: _t, siteId: _s, subjectId: _u, featureSetResultSha256: _f, ...command } = d;
    await fx.api.application.runtime.commands.execute(
      { type: 'MakeDecision', data: { ...command, decisionId: 'dec-explanation-moved', explanation: moved } } as never,
      { actor: 'other-client', role: 'site-operator', correlationId: 'explanations', client: 'another-client/1.0' },
    );
    const mismatch = await gql(qa, '{ reproduceDecision(decisionId: "dec-explanation-moved") { status differences } }');
    ok(mismatch);
    assert.equal(mismatch.data!['reproduceDecision'].status, 'MISMATCH');
    const differences = mismatch.data!['reproduceDecision'].differences as string[];
    assert.deepEqual(differences.map((x) => x.split(':')[0]), [`explanation.contributions.${moved.contributions[0]!.featureCode}.contribution`, `explanation.contributions.${moved.contributions[1]!.featureCode}.contribution`]);

    // Registration checks a reference against the bytes: other inputs, or trees the rows never reach, are refused; nothing appended.
    const server = fx.api.app.getHttpServer();
    const upload = (bytes: Uint8Array, kind: string) => request(server).post(`/artifacts?kind=${kind}`).set('authorization', `Bearer ${scientist}`).set('content-type', 'application/octet-stream').send(Buffer.from(bytes));
    const mgmt = registration('mgmt-trees', '1');
    const onnx = await upload(readFileSync(join(process.cwd(), 'models/mgmt-trees-v1.onnx')), 'model');
    assert.equal(onnx.body.sha256, mgmt.artifactSha256);
    const encode = (codes: string[], rows: number[][]) => new TextEncoder().encode(JSON.stringify({ featureCodes: codes, rows }));
    const notJson = await upload(new TextEncoder().encode('Q4LE;ECT3'), 'explanation-reference');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, 'EXPLANATION_REFERENCE_INVALID');
    const reversed = await upload(encode([...mgmt.featureCodes].reverse(), [mgmt.featureCodes.map(() => 1)]), 'explanation-reference');
    assert.equal(reversed.status, 201, JSON.stringify(reversed.body));
    assert.deepEqual(reversed.body.reference, { featureCodes: [...mgmt.featureCodes].reverse(), rows: 1 });
    const oneRow = await upload(encode(mgmt.featureCodes, [mgmt.featureCodes.map(() => 1)]), 'explanation-reference');
    const register = (referenceSha256: string) =>
      gql(scientist, `mutation($input: RegisterModelInput!) { registerModel(input: $input) { ${RESULT} } }`, {
        input: {
          modelId: 'mgmt-explained', version: '1', artifactSha256: onnx.body.sha256, intendedUse: 'MGMT methylation from T1c radiomics (explanation check)', featureCodes: mgmt.featureCodes,
          decisionRule: { threshold: 0.51, positiveLabel: 'MGMT-methylated', negativeLabel: 'MGMT-unmethylated', probabilityOutput: { name: 'probabilities', column: 1 } },
          trainingLineage: { featureSetIds: [], trialIds: [TRIAL], partitions: ['train'] }, performance: [],
          explanationReference: { artifactSha256: referenceSha256 },
        },
      });
    const before = await size();
    for (const bad of [reversed.body.sha256 as string, oneRow.body.sha256 as string]) {
      const r = await register(bad);
      assert.equal(code(r), 'EXPLANATION_REFERENCE_INVALID', JSON.stringify(r.errors));
      assert.match(r.errors![0]!.message, /explanationReference/);
    }
    assert.equal(await size(), before);
    ok(await register(mgmt.explanationReference!.artifactSha256));
  });
});
