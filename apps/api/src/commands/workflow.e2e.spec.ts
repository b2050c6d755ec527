import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';
import { fixtureImage, fixtureMask } from '../testing/imaging-fixtures.js';

const RESULT = 'streamId nextExpectedRevision events { eventId type hash globalPosition }';

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`trial workflow over GraphQL (${backend})`, () => {
    let api: TestApi;
    let admin: string;
    let operator: string;
    let otherSiteOperator: string;
    let qa: string;
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
      assert.deepEqual(types, ['ImageAcquired', 'ProtocolDeviationDetected']);
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
  });
}
