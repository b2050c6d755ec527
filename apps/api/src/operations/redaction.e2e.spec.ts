import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { LedgerService } from '@radledger/ledger';
import { ProjectionRunner } from '@radledger/projections';
import { isSealedValue } from '@radledger/domain';
import { ledgerOf } from '../security/security-test-kit.js';
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';
import { fixtureImage, fixtureMask } from '../testing/imaging-fixtures.js';

const RESULT = 'streamId events { eventId type }';
const REASON = 'second reader: oedema margin excluded, discussed with Dr Okafor at the tumour board';
const JUSTIFICATION = 'The edit reason names the treating physician; removed per ICH E6(R3) 4.2.2';
const AUDIT = `query($filter: AuditTrailFilterInput) { auditTrail(filter: $filter, first: 50) { edges { node {
  eventId eventType reason afterJson redaction { targetEventId redactionEventId justification requestedBy requestedRole approvedBy approvedRole redactedAt } } } } }`;

interface AuditNode {
  eventId: string;
  eventType: string;
  reason: string | null;
  afterJson: string | null;
  redaction: null | { targetEventId: string; redactionEventId: string; justification: string; requestedBy: string; requestedRole: string; approvedBy: string; approvedRole: string; redactedAt: string };
}

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) describe(`PHI redaction: sealed free text, two-person RedactPayload, crypto-shredding (${backend})`, () => {
  let api: TestApi;
  let admin: string;
  let operator: string;
  let qa: string;
  let regulatory: string;
  let otherRegulatory: string;
  let editEventId: string;
  let reviewEventId: string;

  const mutate = (token: string, name: string, input: Record<string, unknown>, options?: Record<string, unknown>) =>
    api.graphql<Record<string, { streamId: string; events: Array<{ eventId: string; type: string }> }>>(
      token,
      `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!, $options: CommandOptionsInput) { ${name}(input: $input, options: $options) { ${RESULT} } }`,
      { input, options },
    );
  const upload = async (bytes: Uint8Array, kind: string) =>
    (await request(api.app.getHttpServer()).post(`/artifacts?kind=${kind}`).set('authorization', `Bearer ${operator}`).set('content-type', 'application/octet-stream').send(Buffer.from(bytes))).body
      .sha256 as string;
  const audit = async (filter: Record<string, unknown>) => {
    await api.app.get(ProjectionRunner).caughtUp();
    const res = await api.graphql<{ auditTrail: { edges: Array<{ node: AuditNode }> } }>(qa, AUDIT, { filter });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!.auditTrail.edges.map((e) => e.node);
  };
  const ok = <T extends { errors?: unknown }>(res: T): T => {
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res;
  };

  before(async () => {
    api = await startTestApi(backend);
    admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
    operator = await api.tokenFor('u-op', [{ role: 'site-operator', trialId: 'T1', siteId: 'BER' }], 'Otto Operator');
    qa = await api.tokenFor('u-qa', [{ role: 'qa' }], 'Quinn QA');
    regulatory = await api.tokenFor('u-reg', [{ role: 'regulatory' }], 'Rae Regulatory');
    otherRegulatory = await api.tokenFor('u-reg-2', [{ role: 'regulatory' }], 'Rob Regulatory');

    ok(await mutate(admin, 'registerTrial', { trialId: 'T1', title: 'Glioma radiomics', sponsor: 'ACME' }));
    ok(await mutate(admin, 'enrollSite', { trialId: 'T1', siteId: 'BER', name: 'Site BER' }));
    ok(await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-001' }));
    const image = await upload(fixtureImage(), 'image');
    ok(
      await mutate(operator, 'acquireImage', {
        imageId: 'IMG-1', trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-001', modality: 'T1c',
        scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 2,
        contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256: image,
      }),
    );
    const mask1 = await upload(fixtureMask(6, 5, 3), 'mask');
    const mask2 = await upload(fixtureMask(5, 5, 3), 'mask');
    ok(
      await mutate(operator, 'createSegmentation', {
        segmentationId: 'SEG-1', versionId: 'SEG-1-v1', imageId: 'IMG-1', imageSha256: image, method: 'automatic',
        tool: 'nnU-Net', toolVersion: '2.4', region: 'whole-tumour', maskSha256: mask1,
      }),
    );
    const edited = ok(await mutate(operator, 'editSegmentation', { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', versionId: 'SEG-1-v2', maskSha256: mask2, reason: REASON }));
    editEventId = edited.data!.editSegmentation!.events[0]!.eventId;
    const reviewed = ok(await mutate(qa, 'reviewSegmentation', { segmentationId: 'SEG-1', versionId: 'SEG-1-v2', verdict: 'accepted', comment: 'margin now follows the FLAIR rim' }));
    reviewEventId = reviewed.data!.reviewSegmentation!.events[0]!.eventId;
  });
  after(async () => api.close());

  test('the ledger holds only sealed text: data.reason and meta.reason are enc:v1 envelopes, the plaintext is in no stored byte', async () => {
    const keyFiles = readdirSync(api.dataDir).filter((f) => f.startsWith('keys.db'));
    assert.deepEqual(keyFiles, backend === 'sqlite' ? ['keys.db'] : [], 'PostgreSQL deployments keep the keys in the database');
    const [edit] = (await ledgerOf(api).stream('segmentation-SEG-1')).filter((e) => e.eventId === editEventId);
    assert.ok(edit);
    assert.ok(isSealedValue(edit.data['reason']), String(edit.data['reason']));
    assert.ok(isSealedValue(edit.meta.reason), String(edit.meta.reason));
    assert.match(String(edit.data['reason']), /:SegmentationEdited\.reason:/);
    for (const e of await ledgerOf(api).all()) assert.ok(!e.canonical.includes('Okafor'), `${e.type} canonical bytes contain the plaintext`);
    if (backend !== 'sqlite') return;
    // Ledger and read models (same SQLite file here, WAL included) and the key store: no plaintext anywhere on disk.
    await api.app.get(ProjectionRunner).caughtUp();
    const files = readdirSync(api.dataDir).filter((f) => /\.db(-wal|-journal)?$/.test(f));
    assert.ok(files.includes('ledger.db') && files.includes('keys.db'), files.join(', '));
    for (const f of files) assert.equal(readFileSync(join(api.dataDir, f)).includes('Okafor'), false, `${f} contains the plaintext`);
  });

  test('the audit trail reads the reason and the review comment back decrypted', async () => {
    const entries = await audit({ subjectId: 'GRA-BER-001' });
    const edit = entries.find((e) => e.eventId === editEventId);
    assert.equal(edit?.reason, REASON);
    assert.equal(edit?.redaction, null);
    const review = entries.find((e) => e.eventId === reviewEventId);
    assert.equal(JSON.parse(review!.afterJson!).comment, 'margin now follows the FLAIR rim');
  });

  test('redaction needs two people with regulatory + admin: other roles, the same person and the same role are refused', async () => {
    const input = { eventId: editEventId, justification: JUSTIFICATION };
    assert.equal((await mutate(qa, 'redactPayload', input)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const requested = ok(await mutate(regulatory, 'redactPayload', input));
    assert.deepEqual(requested.data!.redactPayload!.events.map((e) => e.type), ['RedactionRequested']);
    assert.equal((await mutate(regulatory, 'redactPayload', input)).errors?.[0]?.extensions?.code, 'REDACTION_SAME_PERSON');
    assert.equal((await mutate(otherRegulatory, 'redactPayload', input)).errors?.[0]?.extensions?.code, 'REDACTION_ROLE_DUPLICATE');
    // One person alone has not changed anything yet.
    assert.equal((await audit({ subjectId: 'GRA-BER-001' })).find((e) => e.eventId === editEventId)?.reason, REASON);

    const approved = ok(await mutate(admin, 'redactPayload', input));
    assert.deepEqual(approved.data!.redactPayload!.events.map((e) => e.type), ['PayloadRedacted']);
    assert.equal((await mutate(admin, 'redactPayload', input)).errors?.[0]?.extensions?.code, 'ALREADY_REDACTED');
  });

  test('afterwards the audit trail shows [redacted] with who, when and why; the redaction record itself stays readable', async () => {
    const entries = await audit({ subjectId: 'GRA-BER-001' });
    const edit = entries.find((e) => e.eventId === editEventId)!;
    assert.equal(edit.reason, '[redacted]');
    assert.equal(edit.redaction?.targetEventId, editEventId);
    assert.equal(edit.redaction?.justification, JUSTIFICATION);
    assert.equal(edit.redaction?.requestedBy, 'u-reg');
    assert.equal(edit.redaction?.requestedRole, 'regulatory');
    assert.equal(edit.redaction?.approvedBy, 'u-admin');
    assert.equal(edit.redaction?.approvedRole, 'admin');
    assert.match(edit.redaction!.redactedAt, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    // The subject's key sealed the review comment too: crypto-shredding is per subject key (ADR 0007).
    const review = entries.find((e) => e.eventId === reviewEventId)!;
    assert.equal(JSON.parse(review.afterJson!).comment, '[redacted]');
    const [redacted] = await audit({ types: ['PayloadRedacted'] });
    assert.equal(redacted?.eventId, edit.redaction?.redactionEventId);
  });

  test('the whole ledger still verifies end to end, over the API and through LedgerService', async () => {
    // Throws a typed verification error on any broken hash, chain link or canonical form.
    const report = await api.app.get(LedgerService).verifyLedger({ checkCanonical: true });
    assert.equal(report.size, await ledgerOf(api).size());
    const res = await api.graphql<{ verifyLedger: { ok: boolean } }>(qa, '{ verifyLedger { ok } }');
    assert.equal(res.data?.verifyLedger.ok, true, JSON.stringify(res));
  });

  test('new free text for the same subject is sealed under a fresh key and reads in clear', async () => {
    const overrideFree = ok(await mutate(qa, 'reviewSegmentation', { segmentationId: 'SEG-1', versionId: 'SEG-1-v2', verdict: 'accepted', comment: 'second look after redaction' }));
    const id = overrideFree.data!.reviewSegmentation!.events[0]!.eventId;
    const entry = (await audit({ subjectId: 'GRA-BER-001' })).find((e) => e.eventId === id)!;
    assert.equal(JSON.parse(entry.afterJson!).comment, 'second look after redaction');
    assert.equal(entry.redaction, null);
  });
});
