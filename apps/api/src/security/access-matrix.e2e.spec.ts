import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { ROLES, operationDeclarations, type OperationDeclaration, type Role, type RoleGrant } from '@radledger/domain';
import { SchemaCatalogue } from './graphql-introspection.js';
import { grantAt, OWN_SITE, SCOPES, startTwoTrialApi, TRIAL, type ScopeLabel, type TrialRecords, type TwoTrialApi } from '../testing/two-trial-fixture.js';

/**
 * The role × scope × operation matrix, generated from the declarations (libs/domain): every
 * declared query, mutation and REST route is called over HTTP by a caller holding one role at
 * one scope (global, this trial, this site, another site of this trial, another trial), and the
 * answer must be FORBIDDEN exactly when the declaration says so. The expectation is computed
 * here from the declared roles and the target each sample names, by the rules of DESIGN.md,
 * not by the code under test. A declared operation without a sample, or a served operation
 * without a declaration, fails.
 */

/** The place of the record a sample names: what the declaration's scope must resolve to. */
type Target = { kind: 'public' } | { kind: 'any-grant' } | { kind: 'global' } | { kind: 'trial'; trialId: string } | { kind: 'site'; trialId: string; siteId: string };

interface Sample {
  target: Target;
  /** GraphQL arguments, or for routes the request to send. */
  args?: Record<string, unknown>;
  http?: { method: 'get' | 'post'; path: string; body?: Buffer };
}

const ANY: Target = { kind: 'any-grant' };
const PUBLIC: Target = { kind: 'public' };
const TRIAL_TARGET: Target = { kind: 'trial', trialId: TRIAL };
const SITE_TARGET: Target = { kind: 'site', trialId: TRIAL, siteId: OWN_SITE };

function samples(r: TrialRecords): Record<string, Sample> {
  const sha = 'a'.repeat(64);
  const site = SITE_TARGET;
  return {
    registerTrial: { target: { kind: 'global' }, args: { input: { trialId: 'MX-NEW', title: 'x', sponsor: 'y' } } },
    enrollSite: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, siteId: 'SITE-MX', name: 'mx' } } },
    enrollSubject: { target: site, args: { input: { trialId: TRIAL, siteId: OWN_SITE, subjectId: 'MX-0001' } } },
    // A site that does not exist: an allowed caller gets NOT_FOUND, and no real site is closed.
    closeSiteEnrolment: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, siteId: 'SITE-MX-NONE', reason: 'matrix' } } },
    defineImagingProtocol: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, protocolId: 'p-mx', modality: 'T2' } } },
    acquireImage: {
      target: site,
      args: { input: { trialId: TRIAL, siteId: OWN_SITE, subjectId: r.subjectId, modality: 'T2', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 2000, teMs: 80, sliceThicknessMm: 1, artifactSha256: sha } },
    },
    applyPreprocessing: { target: site, args: { input: { imageId: r.imageId, tool: 'mx', toolVersion: '1', parameters: {}, inputSha256: sha, outputSha256: 'b'.repeat(64) } } },
    createSegmentation: { target: site, args: { input: { imageId: r.imageId, imageSha256: r.imageSha256, method: 'manual', tool: 't', toolVersion: '1', region: 'oedema', maskSha256: sha } } },
    editSegmentation: { target: site, args: { input: { segmentationId: r.segmentationId, parentVersionId: 'nope', maskSha256: sha, reason: 'matrix' } } },
    reviewSegmentation: { target: site, args: { input: { segmentationId: r.segmentationId, versionId: 'nope', verdict: 'accepted' } } },
    computeFeatures: { target: site, args: { input: { imageId: r.imageId, segmentationId: r.segmentationId, maskVersionId: 'nope' } } },
    importFeatureSet: {
      target: site,
      args: {
        input: {
          imageId: r.imageId,
          imageSha256: r.imageSha256,
          segmentationId: r.segmentationId,
          maskVersionId: 'nope',
          extractor: { name: 'x', version: '1' },
          settings: { resamplingMm: null, interpolation: { image: 'none', mask: 'none', maskThreshold: null }, discretisation: { method: 'none', binWidth: null, binCount: null }, resegmentationRange: null, outlierSigma: null, aggregation: '3D-merged' },
          features: { Q4LE: 1 },
        },
      },
    },
    assignFeatureSetPartition: { target: site, args: { input: { featureSetId: r.featureSetId, partition: 'train', reason: 'matrix' } } },
    registerModel: {
      target: TRIAL_TARGET,
      args: {
        input: {
          modelId: 'mx-model',
          version: 'v1',
          artifactSha256: sha,
          intendedUse: 'matrix',
          featureCodes: ['Q4LE'],
          decisionRule: { threshold: 0.5, positiveLabel: 'a', negativeLabel: 'b' },
          trainingLineage: { featureSetIds: [], trialIds: [TRIAL], partitions: [] },
          performance: [],
        },
      },
    },
    recordChangeControlPlan: { target: TRIAL_TARGET, args: { input: { modelId: r.modelId, whatMayChange: 'w', validationProtocol: 'v', acceptanceCriteria: 'a' } } },
    recordModelValidation: { target: TRIAL_TARGET, args: { input: { modelId: r.modelId, version: 'nope', planId: 'nope', results: {}, passed: true, summary: 's' } } },
    lockModel: { target: TRIAL_TARGET, args: { input: { modelId: r.modelId, version: 'nope', trialId: TRIAL } } },
    retireModel: { target: TRIAL_TARGET, args: { input: { modelId: r.modelId, version: 'nope', reason: 'matrix' } } },
    makeDecision: { target: site, args: { input: { modelId: r.modelId, modelVersion: r.modelVersion, featureSetId: r.featureSetId } } },
    makeDecisions: { target: site, args: { inputs: [{ modelId: r.modelId, modelVersion: r.modelVersion, featureSetId: r.featureSetId }] } },
    overrideDecision: { target: site, args: { input: { decisionId: r.decisionId, decision: 'nope', reason: 'matrix' } } },
    signRecord: { target: site, args: { input: { eventId: r.imageEventId, meaning: 'reviewed' } } },
    redactPayload: { target: site, args: { input: { eventId: r.imageEventId, justification: 'matrix' } } },
    completeAuditReview: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, queryName: 'editsAfterLock', resultSha256: sha, conclusion: 'c' } } },
    exportDossier: { target: TRIAL_TARGET, args: { trialId: TRIAL, modelVersion: 'no-such-version' } },
    login: { target: PUBLIC, args: { userId: 'matrix-target', password: 'not the password' } },
    changePassword: { target: PUBLIC, args: { userId: 'matrix-target', currentPassword: 'not the password', newPassword: 'x' } },
    registerUser: { target: TRIAL_TARGET, args: { input: { userId: 'mx-registered', printedName: 'Mx Registered', trialId: TRIAL } } },
    grantRole: { target: TRIAL_TARGET, args: { input: { userId: 'matrix-target', role: 'monitor', trialId: TRIAL, reason: 'matrix' } } },
    revokeRole: { target: TRIAL_TARGET, args: { input: { userId: 'matrix-target', role: 'qa', trialId: TRIAL, reason: 'matrix' } } },
    setUserPassword: { target: TRIAL_TARGET, args: { input: { userId: 'matrix-target', password: 'correct horse battery staple 7' } } },
    unlockAccount: { target: TRIAL_TARGET, args: { input: { userId: 'matrix-target', reason: 'matrix' } } },
    issueApiToken: { target: TRIAL_TARGET, args: { input: { userId: 'matrix-service', scopes: [`monitor:${TRIAL}`], expiresAt: '2099-01-01T00:00:00Z' } } },
    revokeApiToken: { target: TRIAL_TARGET, args: { input: { tokenId: 'matrix-service-token', reason: 'matrix' } } },
    assessImageQuality: { target: site, args: { input: { imageId: r.imageId, imageSha256: 'b'.repeat(64) } } },
    imageQuality: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    computeFeatureReliability: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, featureSetIds: [r.featureSetId, 'nope'] } } },
    featureReliability: { target: TRIAL_TARGET, args: { trialId: TRIAL, threshold: 0.75 } },
    recordResponseTimepoint: { target: site, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'MX-TP', studyDay: 1, imageIds: [r.imageId, 'nope'] } } },
    // No response record exists for the subject yet: the record names no trial, so only a global grant reaches it (existence is not revealed).
    designateResponseBaseline: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'nope', kind: 'pre-treatment', component: 'enhancing', method: 'bidimensional' } } },
    identifyLesion: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, lesionId: 'L', timepointId: 'nope', role: 'target', component: 'enhancing' } } },
    recordLesionMeasurement: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'nope', lesionId: 'L', longestDiameterMm: 20, perpendicularDiameterMm: 10, imageId: r.imageId } } },
    assessNonTargetLesion: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'nope', lesionId: 'L', status: 'present' } } },
    recordClinicalStatus: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'nope', dexamethasoneMgPerDay: 0, status: 'stable' } } },
    assessTimepointResponse: { target: { kind: 'global' }, args: { input: { trialId: TRIAL, subjectId: r.subjectId, timepointId: 'nope' } } },
    responseAssessment: { target: site, args: { subjectId: r.subjectId } },
    me: { target: ANY },
    lineage: { target: site, args: { id: r.decisionNodeId } },
    decision: { target: site, args: { id: r.decisionId } },
    provDocument: { target: site, args: { id: r.decisionNodeId } },
    interopExport: { target: TRIAL_TARGET, args: { trialId: TRIAL, format: 'FHIR' } },
    exportInterop: { target: TRIAL_TARGET, args: { input: { trialId: TRIAL, format: 'FHIR' } } },
    exportDicomSr: { target: site, args: { input: { featureSetIds: [r.featureSetId] } } },
    auditTrail: { target: ANY, args: {} },
    lockedAlgorithmCompliance: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    modelVersion: { target: TRIAL_TARGET, args: { id: `${r.modelId}@${r.modelVersion}` } },
    protocolDeviations: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    trialSites: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    segmentationEdits: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    editsAfterLock: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    actionsOutsideSiteHours: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    unusualVolumePerUser: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    completedAuditReviews: { target: TRIAL_TARGET, args: { trialId: TRIAL } },
    projectionStatus: { target: ANY },
    ledgerStatus: { target: ANY },
    inclusionProof: { target: site, args: { eventId: r.imageEventId } },
    consistencyProof: { target: ANY, args: { from: 1, to: 2 } },
    verifyLedger: { target: ANY },
    reproduceFeatureSet: { target: site, args: { featureSetId: r.featureSetId } },
    reproduceDecision: { target: site, args: { decisionId: r.decisionId } },
    'POST /artifacts': { target: ANY, http: { method: 'post', path: '/artifacts', body: Buffer.from('not an image') } },
    'GET /artifacts/:sha256': { target: site, http: { method: 'get', path: `/artifacts/${r.imageArtifactSha256}` } },
    'GET /dossiers/:name': { target: PUBLIC, http: { method: 'get', path: `/dossiers/x.zip?trial=GLIO-RAD-01&user=u&expires=1&sig=${'a'.repeat(43)}` } },
    'GET /exports/:exportId/:sha256': { target: PUBLIC, http: { method: 'get', path: `/exports/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/${sha}?user=u&expires=1&sig=${'a'.repeat(43)}` } },
    'GET /health': { target: PUBLIC, http: { method: 'get', path: '/health' } },
    'GET /ready': { target: PUBLIC, http: { method: 'get', path: '/ready' } },
    'GET /metrics': { target: PUBLIC, http: { method: 'get', path: '/metrics' } },
  };
}

/** Queries, routes, and actions that hand out what a read answers (exports declare the read's result policy). */
const isRead = (d: OperationDeclaration) => d.kind === 'query' || d.kind === 'route' || (d.kind === 'action' && d.result !== undefined);

/** The rule (DESIGN.md, issue 12), written out independently of the application's code. */
function expectAllowed(declaration: OperationDeclaration, target: Target, grant: RoleGrant): boolean {
  if (target.kind === 'public') return true;
  if (!(declaration.access.roles as readonly Role[]).includes(grant.role)) return false;
  switch (target.kind) {
    case 'any-grant':
      return true;
    case 'global':
      return grant.trialId === undefined;
    case 'trial':
      if (grant.trialId === undefined) return true;
      if (grant.trialId !== target.trialId) return false;
      // A site-scoped grant reads a trial-level view (filtered to its site); it never writes one.
      return isRead(declaration) || grant.siteId === undefined;
    case 'site':
      return grant.trialId === undefined || (grant.trialId === target.trialId && (grant.siteId === undefined || grant.siteId === target.siteId));
  }
}

describe('access matrix: every declared operation × role × scope over HTTP (SQLite, demo trial + a second trial)', () => {
  let fx: TwoTrialApi;
  let catalogue: SchemaCatalogue;
  let table: Record<string, Sample>;
  const tokens = new Map<string, string>();
  let deniedCells = 0;
  let deniedBefore = 0;

  before(async () => {
    fx = await startTwoTrialApi();
    const { api } = fx;
    const commands = api.application.runtime.commands;
    const op = { actor: 'test-operator', role: 'admin', correlationId: 'matrix', client: 'radledger-test' };
    // The accounts the identity samples act on: a person and a service account of this trial.
    await commands.execute({ type: 'RegisterUser', data: { userId: 'matrix-target', printedName: 'Matrix Target', trialId: TRIAL } }, op);
    await commands.execute({ type: 'GrantRole', data: { userId: 'matrix-target', role: 'qa', trialId: TRIAL, reason: 'matrix' } }, op);
    await commands.execute({ type: 'RegisterUser', data: { userId: 'matrix-service', printedName: 'Matrix pipeline', kind: 'service', trialId: TRIAL } }, op);
    await commands.execute({ type: 'GrantRole', data: { userId: 'matrix-service', role: 'monitor', trialId: TRIAL, reason: 'matrix' } }, op);
    await api.application.credentials.saveApiToken({ tokenId: 'matrix-service-token', userId: 'matrix-service', tokenSha256: 'c'.repeat(64), scopes: [`monitor:${TRIAL}`], expiresAt: '2099-01-01T00:00:00.000Z', revokedAt: null });
    await commands.execute({ type: 'IssueApiToken', data: { userId: 'matrix-service', tokenId: 'matrix-service-token', tokenSha256: 'c'.repeat(64), scopes: [`monitor:${TRIAL}`], expiresAt: '2099-01-01T00:00:00Z' } }, { ...op, actor: 'matrix-service' });
    for (const role of ROLES) for (const scope of SCOPES) tokens.set(`${role}/${scope}`, await api.tokenFor(`mx-${role}-${scope}`, [grantAt(role, scope)]));
    await fx.caughtUp();
    catalogue = await SchemaCatalogue.load(api, tokens.get('admin/global')!);
    table = samples(fx.records);
    deniedBefore = (await fx.events()).filter((e) => e.type === 'AccessDenied').length;
  });

  after(async () => {
    await fx?.api.close();
  });

  test('every served GraphQL operation is declared, and every declaration is served and has a sample', () => {
    const declared = new Map((operationDeclarations as readonly OperationDeclaration[]).map((d) => [d.field, d]));
    for (const op of catalogue.operations) assert.ok(declared.has(op.name), `${op.kind} ${op.name} has no declaration`);
    for (const d of declared.values()) {
      if (d.kind !== 'route') assert.ok(catalogue.operations.some((o) => o.name === d.field), `declared ${d.field} is not in the schema`);
      assert.ok(table[d.field], `declared ${d.field} has no sample in the access matrix`);
    }
  });

  for (const declaration of operationDeclarations as readonly OperationDeclaration[]) {
    test(`${declaration.kind} ${declaration.field}`, async () => {
      const sample = table[declaration.field];
      assert.ok(sample, `no sample for ${declaration.field}`);
      const mismatches: string[] = [];
      const call = async (token: string | undefined): Promise<{ code: string | undefined; status: number; message?: string }> => {
        const server = fx.api.app.getHttpServer();
        if (sample.http) {
          const req = sample.http.method === 'get' ? request(server).get(sample.http.path) : request(server).post(sample.http.path).set('content-type', 'application/octet-stream').send(sample.http.body);
          if (token) req.set('authorization', `Bearer ${token}`);
          const res = await req;
          return { code: res.body?.error?.code, status: res.status };
        }
        const info = catalogue.operations.find((o) => o.name === declaration.field)!;
        const { query, variables } = catalogue.call(info, sample.args ?? {});
        const res = await fx.api.graphql(token, query, variables);
        return { code: res.errors?.[0]?.extensions?.code, status: res.status, message: res.errors?.[0]?.message };
      };
      for (const role of ROLES) {
        for (const scope of SCOPES as readonly ScopeLabel[]) {
          const expected = expectAllowed(declaration, sample.target, grantAt(role, scope));
          const { code, status } = await call(tokens.get(`${role}/${scope}`));
          const denied = code === 'FORBIDDEN' || status === 403;
          if (denied === expected) mismatches.push(`${role}@${scope}: expected ${expected ? 'allowed' : 'FORBIDDEN'}, got ${code ?? status}`);
          if (denied) deniedCells++;
        }
      }
      const anonymous = await call(undefined);
      // A public operation answers a wrong password with UNAUTHENTICATED too (one message for unknown user,
      // wrong password and locked account); that is the operation's answer, not the guard's refusal.
      const operationAnswered = sample.target.kind === 'public' && anonymous.message?.startsWith('login failed') === true;
      const refused = (anonymous.code === 'UNAUTHENTICATED' || anonymous.status === 401) && !operationAnswered;
      if (refused === (sample.target.kind === 'public')) mismatches.push(`no credentials: got ${anonymous.code ?? anonymous.status}`);
      assert.deepEqual(mismatches, []);
    });
  }

  test('each refusal appended exactly one bounded AccessDenied, and the ledger verifies after the whole corpus', async () => {
    const denials = (await fx.events()).filter((e) => e.type === 'AccessDenied');
    assert.equal(denials.length - deniedBefore, deniedCells);
    for (const e of denials) {
      assert.deepEqual(Object.keys(e.data as object).sort(), ['operation', 'reasonCode', 'userId']);
      assert.ok(String((e.data as { operation: string }).operation).length <= 200);
    }
    const verify = await fx.api.graphql<{ verifyLedger: { ok: boolean } }>(tokens.get('qa/global')!, '{ verifyLedger { ok } }');
    assert.equal(verify.data?.verifyLedger.ok, true, JSON.stringify(verify.errors));
  });
});
