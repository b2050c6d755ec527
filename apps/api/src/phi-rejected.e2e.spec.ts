import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { EventStore } from '@radledger/ledger';
import { EVENT_STORE } from './ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from './testing/api-test-harness.js';
import { fixtureImage } from './testing/imaging-fixtures.js';

const EVENT_STORE_TOKEN = EVENT_STORE as unknown as new () => EventStore;

/**
 * Issue 12 item 10 over HTTP: subject ids `Mueller-Hans`, `Hans-Mueller-1960`,
 * `SMITH-JOHN-02JAN60`, and names and birth dates in `tool` and `parameters`, were accepted.
 * Each is now refused with PHI_REJECTED naming the field (never echoing the value), nothing
 * is appended, and realistic pseudonyms still pass.
 */
describe('PHI in subject ids, tool and parameters is refused over GraphQL', () => {
  let api: TestApi;
  let admin: string;
  let operator: string;
  let imageSha: string;
  let correctedSha: string;
  const mutate = (token: string, name: string, input: Record<string, unknown>) =>
    api.graphql<Record<string, unknown>>(token, `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { streamId } }`, { input });
  const ledgerSize = async () => (await api.app.get(EVENT_STORE_TOKEN).head()).size;

  before(async () => {
    api = await startTestApi('sqlite');
    admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
    operator = await api.tokenFor('u-op', [{ role: 'site-operator', trialId: 'T1', siteId: 'BER' }], 'Otto Operator');
    assert.equal((await mutate(admin, 'registerTrial', { trialId: 'T1', title: 'Glioma radiomics', sponsor: 'ACME' })).errors, undefined);
    assert.equal((await mutate(admin, 'enrollSite', { trialId: 'T1', siteId: 'BER', name: 'Charité Berlin' })).errors, undefined);
    assert.equal((await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-001' })).errors, undefined);
    const upload = await request(api.app.getHttpServer()).post('/artifacts?kind=image').set('authorization', `Bearer ${operator}`).set('content-type', 'application/octet-stream').send(Buffer.from(fixtureImage(5)));
    imageSha = upload.body.sha256;
    const corrected = await request(api.app.getHttpServer()).post('/artifacts?kind=image').set('authorization', `Bearer ${operator}`).set('content-type', 'application/octet-stream').send(Buffer.from(fixtureImage(6)));
    correctedSha = corrected.body.sha256;
    const acquired = await mutate(operator, 'acquireImage', {
      imageId: 'IMG-1', trialId: 'T1', siteId: 'BER', subjectId: 'GRA-BER-001', modality: 'T1c',
      scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 1, contrast: { agent: 'gadobutrol', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256: imageSha,
    });
    assert.equal(acquired.errors, undefined, JSON.stringify(acquired.errors));
  });
  after(async () => api.close());

  test('subject ids carrying a name or a birth date are PHI_REJECTED naming subjectId; nothing appended, nothing echoed', async () => {
    const size = await ledgerSize();
    for (const subjectId of ['Mueller-Hans', 'Hans-Mueller-1960', 'SMITH-JOHN-02JAN60', 'hans.mueller', 'LI-WEI-1972', 'BER-1960-01-02']) {
      const res = await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId });
      assert.equal(res.errors?.[0]?.extensions?.code, 'PHI_REJECTED', subjectId);
      assert.match(res.errors![0]!.message, /^subjectId: looks like (person-name|date)/);
      assert.doesNotMatch(JSON.stringify(res.errors), /Mueller|Hans|SMITH|JOHN|1960|WEI|1972/i);
    }
    assert.equal(await ledgerSize(), size);
  });

  test('realistic pseudonyms are enrolled', async () => {
    for (const subjectId of ['GRA-BER-002', 'SUBJ_0042', 'P-17-0003', 'GLIO-RAD-01-BER-007', 'TCGA-02-0003', 'UPENN-GBM-00012', 'BraTS2021_00495', 'sub-01', 'S0042', 'site3_pt12']) {
      const res = await mutate(operator, 'enrollSubject', { trialId: 'T1', siteId: 'BER', subjectId });
      assert.equal(res.errors, undefined, `${subjectId}: ${JSON.stringify(res.errors)}`);
    }
  });

  test('a name or birth date in tool or anywhere in parameters is PHI_REJECTED naming the path; nothing appended', async () => {
    const base = { imageId: 'IMG-1', toolVersion: '2.5.0', inputSha256: imageSha, outputSha256: correctedSha };
    const size = await ledgerSize();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ tool: 'Mueller-Hans', parameters: {} }, /^tool:/],
      [{ tool: 'N4 for Frau Weber', parameters: {} }, /^tool:/],
      [{ tool: 'ANTs N4', parameters: { operator: { name: 'Hans Mueller' } } }, /^parameters\.operator\.name:/],
      [{ tool: 'ANTs N4', parameters: { notes: ['ok', 'SMITH-JOHN-02JAN60'] } }, /^parameters\.notes\[1\]:/],
      [{ tool: 'ANTs N4', parameters: { reference: 'scan of 2.1.1960' } }, /^parameters\.reference:/],
    ];
    for (const [input, path] of cases) {
      const res = await mutate(operator, 'applyPreprocessing', { ...base, ...input });
      assert.equal(res.errors?.[0]?.extensions?.code, 'PHI_REJECTED', JSON.stringify(input));
      assert.match(res.errors![0]!.message, path);
      assert.doesNotMatch(res.errors![0]!.message, /Mueller|Weber|SMITH|1960/);
    }
    assert.equal(await ledgerSize(), size);
    const ok = await mutate(operator, 'applyPreprocessing', { ...base, tool: 'ANTs N4BiasFieldCorrection', parameters: { shrinkFactor: 4, iterations: [50, 50, 30], interpolator: 'sitkBSpline', atlas: 'MNI152NLin2009cAsym', method: 'Kaplan-Meier' } });
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  });
});
