import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { LedgerService, type EventStore } from '@radledger/ledger';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';

const EVENT_STORE_TOKEN = EVENT_STORE as unknown as new () => EventStore;
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureImage, fixtureMask } from '../testing/imaging-fixtures.js';

/** Feature result hashes per backend: the same inputs and settings must give the same hash everywhere. */
const featureResultByBackend = new Map<string, string>();

const RESULT = 'streamId nextExpectedRevision events { eventId type hash globalPosition }';

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`trial workflow over GraphQL (${backend})`, () => {
    let api: TestApi;
    let admin: string;
    let operator: string;
    let otherSiteOperator: string;
    let qa: string;
    let scientist: string;
    let regulatory: string;
    const ids: Record<string, string> = {};

    const mutate = async (token: string, name: string, input: Record<string, unknown>, extra = '') => {
      const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
      return api.graphql<Record<string, { events: Array<{ eventId: string; type: string }> }>>(
        token,
        `mutation($input: ${inputType}!) { ${name}(input: $input${extra}) { ${RESULT} } }`,
        { input },
      );
    };
    const upload = async (token: string, bytes: Uint8Array, kind?: string) =>
      request(api.app.getHttpServer())
        .post(`/artifacts${kind ? `?kind=${kind}` : ''}`)
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/octet-stream')
        .send(Buffer.from(bytes));

    before(async () => {
      api = await startTestApi(backend);
      admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
      operator = await api.tokenFor('u-op-ber', [{ role: 'site-operator', trialId: 'T1', siteId: 'BER' }], 'Otto Operator');
      otherSiteOperator = await api.tokenFor('u-op-bos', [{ role: 'site-operator', trialId: 'T1', siteId: 'BOS' }], 'Bo Operator');
      qa = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
      scientist = await api.tokenFor('u-ds', [{ role: 'data-scientist' }], 'Dana Scientist');
      regulatory = await api.tokenFor('u-reg', [{ role: 'regulatory' }], 'Rae Regulatory');
    });
    after(async () => api.close());

    test('register the trial, its sites, a subject and the imaging protocol', async () => {
      assert.equal((await mutate(admin, 'registerTrial', { trialId: 'T1', title: 'Glioma radiomics', sponsor: 'ACME' })).errors, undefined);
      for (const siteId of ['BER', 'BOS']) {
        assert.equal((await mutate(admin, 'enrollSite', { trialId: 'T1', siteId, name: `Site ${siteId}` })).errors, undefined);
      }
      assert.equal((await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-001' })).errors, undefined);
      const protocol = await mutate(admin, 'defineImagingProtocol', {
        trialId: 'T1',
        protocolId: 'P-T1C',
        modality: 'T1c',
        fieldStrengthT: 3,
        trMs: { min: 400, max: 800 },
        teMs: { min: 5, max: 20 },
        contrast: { agent: 'gadobutrol', injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } },
      });
      assert.equal(protocol.errors, undefined);
    });

    test('PHI in a subject id is refused with PHI_REJECTED naming the field, and nothing is appended', async () => {
      const before = (await api.graphql<{ ledgerStatus?: unknown }>(admin, '{ me { userId } }')).data;
      assert.ok(before);
      const res = await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId: 'Smith^John' });
      assert.equal(res.errors?.[0]?.extensions?.code, 'PHI_REJECTED');
      assert.match(res.errors![0]!.message, /subjectId/);
    });

    test('a site operator cannot write for another site (FORBIDDEN)', async () => {
      const res = await mutate(otherSiteOperator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-002' });
      assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    });

    test('uploads answer the sha256; a file that is not NIfTI/DICOM/ONNX and a truncated .nii.gz are refused', async () => {
      const image = await upload(operator, fixtureImage(), 'image');
      assert.equal(image.status, 201, JSON.stringify(image.body));
      assert.match(image.body.sha256, /^[0-9a-f]{64}$/);
      assert.equal(image.body.format, 'nifti-gz');
      ids.image = image.body.sha256;
      const text = await upload(operator, Buffer.from('hello, not an image'));
      assert.equal(text.status, 400);
      assert.equal(text.body.error.code, 'ARTIFACT_FORMAT_UNSUPPORTED');
      const full = fixtureImage(2);
      const truncated = await upload(operator, full.subarray(0, Math.floor(full.length / 2)));
      assert.equal(truncated.status, 400);
      assert.equal(truncated.body.error.code, 'IMAGE_UNREADABLE');
      const anonymous = await request(api.app.getHttpServer()).post('/artifacts').send(Buffer.from(fixtureImage()));
      assert.equal(anonymous.status, 401);
    });

    test('an acquisition outside the protocol is recorded with a ProtocolDeviationDetected', async () => {
      const res = await mutate(operator, 'acquireImage', {
        imageId: 'IMG-1',
        trialId: 'T1',
        siteId: 'BER',
        subjectId: 'GRA-BER-001',
        modality: 'T1c',
        scanner: { vendor: 'Siemens', model: 'Prisma' },
        fieldStrengthT: 3,
        trMs: 600,
        teMs: 10,
        sliceThicknessMm: 2,
        contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 150 },
        artifactSha256: ids.image,
      });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const types = res.data!.acquireImage!.events.map((e) => e.type);
      assert.deepEqual(types, ['ImageAcquired', 'ProtocolDeviationDetected', 'ImageBytesClaimed']);
    });

    test('segmentation: create, edit with a reason (Dice computed), review; bad edits are refused', async () => {
      const mask1 = await upload(operator, fixtureMask(6, 5, 3), 'mask');
      const mask2 = await upload(operator, fixtureMask(5, 5, 3), 'mask');
      const wrongGrid = await upload(operator, fixtureMask(5, 5, 3, [20, 20, 10]), 'mask');
      const created = await mutate(operator, 'createSegmentation', {
        segmentationId: 'SEG-1',
        versionId: 'SEG-1-v1',
        imageId: 'IMG-1',
        imageSha256: ids.image,
        method: 'automatic',
        tool: 'nnU-Net',
        toolVersion: '2.4',
        region: 'whole-tumour',
        maskSha256: mask1.body.sha256,
      });
      assert.equal(created.errors, undefined, JSON.stringify(created.errors));

      const noReason = await mutate(operator, 'editSegmentation', { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', maskSha256: mask2.body.sha256, reason: ' ' });
      assert.equal(noReason.errors?.[0]?.extensions?.code, 'REASON_REQUIRED');
      assert.match(noReason.errors![0]!.message, /reason/);
      const unknownParent = await mutate(operator, 'editSegmentation', { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v9', maskSha256: mask2.body.sha256, reason: 'fix margin' });
      assert.equal(unknownParent.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      assert.match(unknownParent.errors![0]!.message, /parentVersionId/);
      const grid = await mutate(operator, 'editSegmentation', { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', maskSha256: wrongGrid.body.sha256, reason: 'fix margin' });
      assert.equal(grid.errors?.[0]?.extensions?.code, 'MASK_GRID_MISMATCH');

      const edited = await api.graphql<{ editSegmentation: { events: Array<{ type: string }>; nextExpectedRevision: number } }>(
        operator,
        `mutation($input: EditSegmentationInput!, $options: CommandOptionsInput) { editSegmentation(input: $input, options: $options) { ${RESULT} } }`,
        { input: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', versionId: 'SEG-1-v2', maskSha256: mask2.body.sha256, reason: 'second reader: oedema margin excluded' }, options: { expectedRevision: 0 } },
      );
      assert.equal(edited.errors, undefined, JSON.stringify(edited.errors));
      assert.equal(edited.data!.editSegmentation.nextExpectedRevision, 1);

      const stale = await api.graphql(
        operator,
        `mutation($input: EditSegmentationInput!, $options: CommandOptionsInput) { editSegmentation(input: $input, options: $options) { ${RESULT} } }`,
        { input: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', maskSha256: mask1.body.sha256, reason: 'again' }, options: { expectedRevision: 0 } },
      );
      assert.equal(stale.errors?.[0]?.extensions?.code, 'STREAM_REVISION_CONFLICT');

      const reviewed = await mutate(qa, 'reviewSegmentation', { segmentationId: 'SEG-1', versionId: 'SEG-1-v2', verdict: 'accepted' });
      assert.equal(reviewed.errors, undefined, JSON.stringify(reviewed.errors));
      ids.reviewEvent = reviewed.data!.reviewSegmentation!.events[0]!.eventId;
    });

    test('a retried command with the same commandId appends nothing new', async () => {
      const send = () =>
        api.graphql<{ enrollSubject: { events: Array<{ eventId: string }> } }>(
          operator,
          `mutation($input: EnrollSubjectInput!, $options: CommandOptionsInput) { enrollSubject(input: $input, options: $options) { ${RESULT} } }`,
          { input: { trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-003' }, options: { commandId: 'cmd-enrol-003' } },
        );
      const first = await send();
      const second = await send();
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      assert.deepEqual(second.data, first.data);
    });

    test('the QC review is signed by its author with a fresh session token', async () => {
      const signed = await api.graphql<{ signRecord: { events: Array<{ type: string }> } }>(
        qa,
        `mutation($input: SignRecordInput!) { signRecord(input: $input) { ${RESULT} } }`,
        { input: { eventId: ids.reviewEvent, meaning: 'reviewed' } },
      );
      assert.equal(signed.errors, undefined, JSON.stringify(signed.errors));
      assert.equal(signed.data!.signRecord.events[0]!.type, 'RecordSigned');
      const twice = await api.graphql(qa, `mutation($input: SignRecordInput!) { signRecord(input: $input) { ${RESULT} } }`, { input: { eventId: ids.reviewEvent, meaning: 'reviewed' } });
      assert.equal(twice.errors?.[0]?.extensions?.code, 'SIGNATURE_DUPLICATE');
      const missing = await api.graphql(qa, `mutation($input: SignRecordInput!) { signRecord(input: $input) { ${RESULT} } }`, { input: { eventId: '0190aaaa-0000-7000-8000-000000000000', meaning: 'reviewed' } });
      assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });

    test('features are computed by RadLedger from the stored image and mask, then reproduce to MATCH', async () => {
      const computed = await api.graphql<{ computeFeatures: { events: Array<{ type: string; eventId: string }> } }>(
        scientist,
        `mutation($input: ComputeFeaturesInput!) { computeFeatures(input: $input) { ${RESULT} } }`,
        { input: { featureSetId: 'FS-1', imageId: 'IMG-1', segmentationId: 'SEG-1', maskVersionId: 'SEG-1-v2' } },
      );
      assert.equal(computed.errors, undefined, JSON.stringify(computed.errors));
      assert.equal(computed.data!.computeFeatures.events[0]!.type, 'FeaturesComputed');
      const [event] = await api.app.get(EVENT_STORE_TOKEN).readStream('featureset-FS-1');
      const data = event!.data as { features: Record<string, number>; extractorSettings: unknown; reproducible: boolean; resultSha256: string };
      featureResultByBackend.set(backend, data.resultSha256);
      for (const [other, hash] of featureResultByBackend) assert.equal(hash, data.resultSha256, `result hash on ${backend} equals the one on ${other}`);
      assert.equal(data.reproducible, true);
      assert.ok(Number.isFinite(data.features['RNU0']) && data.features['RNU0']! > 0, 'mesh volume computed');
      assert.ok('ACUI@IAZD' in data.features, 'GLCM contrast, 3D merged');
      assert.ok(data.extractorSettings, 'the exact extractor configuration is recorded');
      const reproduced = await api.graphql<{ reproduceFeatureSet: { status: string; differences: string[] } }>(qa, '{ reproduceFeatureSet(featureSetId: "FS-1") { status differences } }');
      assert.deepEqual(reproduced.data?.reproduceFeatureSet, { status: 'MATCH', differences: [] });
    });

    test('an ONNX model is registered (signature read by onnxruntime), approved with an e-signature and locked; decisions use exactly the locked bytes', async () => {
      const onnx = readFileSync(join(process.cwd(), 'models/idh-logreg-v1.onnx'));
      const uploaded = await upload(scientist, onnx, 'model');
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      assert.equal(uploaded.body.format, 'onnx');
      const register = (version: string, sha: string) =>
        api.graphql(scientist, `mutation($input: RegisterModelInput!) { registerModel(input: $input) { ${RESULT} } }`, {
          input: {
            modelId: 'IDH-LR',
            version,
            artifactSha256: sha,
            intendedUse: 'IDH mutation status from T1c radiomics, adult glioma',
            featureCodes: ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'QCFX', 'RNU0'],
            decisionRule: { threshold: 0.31, positiveLabel: 'IDH-mutant', negativeLabel: 'IDH-wildtype', probabilityOutput: { name: 'probability', column: 0 } },
            inputModality: 'T1c',
            trainingLineage: { featureSetIds: [], trialIds: ['SYN'], partitions: ['train'] },
            performance: [{ metric: 'AUC', value: 0.9, ciLower: 0.87, ciUpper: 0.94, dataset: 'synthetic test' }],
          },
        });
      const registered = await register('1', uploaded.body.sha256);
      assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));

      const decide = (decisionId: string) =>
        api.graphql<{ makeDecision: { events: Array<{ type: string }> } }>(operator, `mutation($input: MakeDecisionInput!) { makeDecision(input: $input) { ${RESULT} } }`, {
          input: { decisionId, modelId: 'IDH-LR', modelVersion: '1', featureSetId: 'FS-1' },
        });
      const unlocked = await decide('D-0');
      assert.equal(unlocked.errors?.[0]?.extensions?.code, 'MODEL_NOT_LOCKED');

      const notAllowed = await api.graphql(operator, `mutation($input: LockModelInput!) { lockModel(input: $input) { ${RESULT} } }`, { input: { modelId: 'IDH-LR', version: '1', trialId: 'T1' } });
      assert.equal(notAllowed.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      const locked = await api.graphql<{ lockModel: { events: Array<{ type: string }> } }>(regulatory, `mutation($input: LockModelInput!) { lockModel(input: $input) { ${RESULT} } }`, {
        input: { modelId: 'IDH-LR', version: '1', trialId: 'T1' },
      });
      assert.equal(locked.errors, undefined, JSON.stringify(locked.errors));
      // The signer's approval and the lock it authorises are recorded together, in one append.
      assert.deepEqual(locked.data!.lockModel.events.map((e) => e.type), ['RecordSigned', 'ModelLocked']);

      const wrongSubject = await api.graphql(operator, `mutation($input: MakeDecisionInput!) { makeDecision(input: $input) { ${RESULT} } }`, {
        input: { decisionId: 'D-X', modelId: 'IDH-LR', modelVersion: '1', featureSetId: 'FS-1', subjectId: 'GRA-BER-003' },
      });
      assert.equal(wrongSubject.errors?.[0]?.extensions?.code, 'FEATURE_SET_SUBJECT_MISMATCH');

      const decided = await decide('D-1');
      assert.equal(decided.errors, undefined, JSON.stringify(decided.errors));
      const [made] = await api.app.get(EVENT_STORE_TOKEN).readStream('decision-D-1');
      const d = made!.data as { modelSha256: string; decision: string; outputs: Record<string, number> };
      assert.equal(d.modelSha256, uploaded.body.sha256, 'the recorded hash is the locked hash');
      assert.ok(['IDH-mutant', 'IDH-wildtype'].includes(d.decision));
      assert.ok(d.outputs.probability! >= 0 && d.outputs.probability! <= 1);

      const reproduced = await api.graphql<{ reproduceDecision: { status: string } }>(qa, '{ reproduceDecision(decisionId: "D-1") { status differences } }');
      assert.equal(reproduced.data?.reproduceDecision.status, 'MATCH');
    });

    test('a locked model altered on disk is refused with MODEL_HASH_MISMATCH and nothing is appended', async () => {
      const store = api.app.get(EVENT_STORE_TOKEN);
      const sha = createHash('sha256').update(readFileSync(join(process.cwd(), 'models/idh-logreg-v1.onnx'))).digest('hex');
      const path = join(api.dataDir, 'artifacts', 'sha256', sha.slice(0, 2), sha);
      const before = (await store.head()).size;
      const bytes = readFileSync(path);
      bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
      chmodSync(path, 0o644);
      writeFileSync(path, bytes);
      const res = await api.graphql(operator, `mutation($input: MakeDecisionInput!) { makeDecision(input: $input) { ${RESULT} } }`, {
        input: { decisionId: 'D-2', modelId: 'IDH-LR', modelVersion: '1', featureSetId: 'FS-1' },
      });
      assert.match(String(res.errors?.[0]?.extensions?.code), /MODEL_HASH_MISMATCH|ARTIFACT_CORRUPT/);
      assert.equal((await store.head()).size, before);
    });

    test('preprocessing, a change control plan, a partition, a responsible signature and an override complete the record', async () => {
      const corrected = await upload(operator, fixtureImage(7), 'image');
      const pre = await mutate(operator, 'applyPreprocessing', {
        imageId: 'IMG-1',
        tool: 'ANTs N4BiasFieldCorrection',
        toolVersion: '2.5.0',
        parameters: { shrinkFactor: 4, iterations: [50, 50, 30] },
        inputSha256: ids.image,
        outputSha256: corrected.body.sha256,
      });
      assert.equal(pre.errors, undefined, JSON.stringify(pre.errors));
      const pccp = await mutate(scientist, 'recordChangeControlPlan', {
        modelId: 'IDH-LR',
        planId: 'PCCP-1',
        whatMayChange: 'logistic weights retrained on new sites',
        validationProtocol: 'held-out multi-site test partition',
        acceptanceCriteria: 'AUC >= 0.85 and calibration slope 0.8-1.2',
      });
      assert.equal(pccp.errors, undefined, JSON.stringify(pccp.errors));
      const partition = await mutate(scientist, 'assignFeatureSetPartition', { featureSetId: 'FS-1', partition: 'test' });
      assert.equal(partition.errors, undefined, JSON.stringify(partition.errors));
      const [made] = await api.app.get(EVENT_STORE_TOKEN).readStream('decision-D-1');
      const signed = await api.graphql(operator, `mutation($input: SignRecordInput!) { signRecord(input: $input) { ${RESULT} } }`, { input: { eventId: made!.eventId, meaning: 'responsible' } });
      assert.equal(signed.errors, undefined, JSON.stringify(signed.errors));
      const recorded = (made!.data as { decision: string }).decision;
      const other = recorded === 'IDH-mutant' ? 'IDH-wildtype' : 'IDH-mutant';
      const overridden = await mutate(operator, 'overrideDecision', { decisionId: 'D-1', decision: other, reason: 'molecular pathology result available' });
      assert.equal(overridden.errors, undefined, JSON.stringify(overridden.errors));
    });

    test('the ledger written by the whole workflow (21 successful commands) verifies', async () => {
      const report = await api.app.get(LedgerService).verifyLedger();
      assert.ok(report.size >= 24, `at least 24 events, got ${report.size}`);
      assert.match(report.rootHash, /^[0-9a-f]{64}$/);
    });
  });
}
