import { IllegalStateError } from '@radledger/platform';
import type { CommandResult } from '@radledger/domain';
import { defaultRadiomicsSettings } from '@radledger/radiomics';
import type { ReadModelStore } from '@radledger/projections';
import type { Runtime } from '../runtime.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { DossierExportService } from './dossier-export.service.js';
import type { BlindedTrials } from '../access/read-policy.js';
import { blindedIn } from '@radledger/domain';
import type { ExportDownloadsService } from '../exports/export-downloads.service.js';
import { collectInteropScope, renderInteropScope } from '../exports/interop-document.js';
import { renderLedgerSr } from '../exports/ledger-dicom-sr.js';
import type { ActionContext, ActionHandlers } from './operation-gateway.js';
import { runSavedAuditQuery } from './query-handlers.js';

export interface ActionHandlerDeps {
  runtime: Runtime;
  identity: IdentityService;
  readModels: ReadModelStore;
  dossiers: DossierExportService;
  exports: ExportDownloadsService;
  blinded: BlindedTrials;
}

/**
 * The work behind each action mutation: RadLedger computes, verifies or issues something,
 * then records the declared commands through the domain CommandService with the metadata the
 * gateway built from the authorised caller. Nothing here decides who may call.
 */
export function createActionHandlers(deps: ActionHandlerDeps): ActionHandlers {
  const { runtime, identity } = deps;
  const idCtx = (ctx: ActionContext) => ({ caller: ctx.caller, metadata: ctx.metadata });

  return {
    computeFeatures: (input, ctx) => runtime.features.compute({ ...input, settings: input.settings ?? defaultRadiomicsSettings() }, ctx.metadata),
    importFeatureSet: (input, ctx) => runtime.commands.execute({ type: 'ComputeFeatures', data: { ...input, provenance: 'imported' } }, ctx.metadata),
    registerModel: (input, ctx) => runtime.models.register(input, ctx.metadata),
    assessImageQuality: (input, ctx) => runtime.science.assessImageQuality(input, ctx.metadata),
    computeFeatureReliability: (input, ctx) => runtime.science.computeFeatureReliability(input, ctx.metadata),
    makeDecision: (input, ctx) => runtime.models.decide(input, ctx.metadata),
    makeDecisions: (input, ctx) => runtime.models.decide(input, ctx.metadata),
    lockModel: async (input, ctx) => {
      await identity.verifySigner(ctx.caller, ctx.options.password ?? undefined);
      // The approval is recorded with the lock, in one append, once every gate of the lock passed.
      return runtime.commands.execute({ type: 'LockModel', data: { ...input, approval: { printedName: ctx.caller.printedName } } }, ctx.metadata);
    },
    signRecord: async (input, ctx) => {
      await identity.verifySigner(ctx.caller, ctx.options.password ?? undefined);
      return runtime.commands.execute({ type: 'SignRecord', data: { ...input, printedName: ctx.caller.printedName } }, ctx.metadata);
    },
    completeAuditReview: async (input, ctx) => {
      const result = await runSavedAuditQuery(deps.readModels, input.trialId, input.queryName, input.arguments ?? {});
      if (result.resultSha256 !== input.resultSha256) {
        throw new IllegalStateError(
          'AUDIT_REVIEW_RESULT_CHANGED',
          `resultSha256: ${input.queryName} now returns a result with hash ${result.resultSha256}, not the reviewed ${input.resultSha256}; re-run the query and review again`,
          { field: 'resultSha256', expected: input.resultSha256, computed: result.resultSha256 },
        );
      }
      return runtime.commands.execute(
        {
          type: 'CompleteAuditReview',
          data: { ...(input.reviewId ? { reviewId: input.reviewId } : {}), trialId: input.trialId, queryName: input.queryName, parameters: result.parameters, resultSha256: result.resultSha256, conclusion: input.conclusion },
        },
        ctx.metadata,
      );
    },
    exportDossier: (input, ctx) => deps.dossiers.export(input.trialId, input.modelVersion ?? undefined, ctx.caller.userId),
    exportInterop: async (input, ctx) => {
      // The same records, read policy and rendering as the interopExport query; stored instead of answered.
      const records = await collectInteropScope(deps.readModels, input, ctx.caller.userId, ctx.auth.visibility);
      const document = await renderInteropScope(runtime, await ctx.filter(records), input);
      const seen = ctx.auth.visibility.trial(input.trialId);
      const blinded = blindedIn(ctx.caller.grants, input.trialId) && (await deps.blinded.isBlinded(input.trialId));
      const stored = deps.exports.save(
        'exportInterop',
        ctx.caller.userId,
        { kind: 'provenance', trialId: input.trialId, siteIds: seen === 'all-sites' || seen === 'none' ? null : [...seen].sort(), blinded },
        document.files.map((f) => ({ path: f.path, mediaType: f.mediaType, content: f.content })),
      );
      return { ...stored, format: document.format, trialId: document.trialId, siteId: document.siteId, subjectId: document.subjectId, asOfPosition: document.asOfPosition, complete: document.complete, countsJson: document.countsJson };
    },
    exportDicomSr: async (input, ctx) => {
      const report = await renderLedgerSr({ store: runtime.store, artifacts: runtime.artifacts }, input.featureSetIds, { name: (i) => `featureSetIds[${i}]`, field: 'featureSetIds' });
      const stem = (report.imageId ?? input.featureSetIds[0]!).replace(/[^A-Za-z0-9._-]/g, '_');
      const stored = deps.exports.save(
        'exportDicomSr',
        ctx.caller.userId,
        { kind: 'feature-sets', trialId: report.trialId, siteId: report.siteId, subjectId: report.subjectId, featureSetIds: [...input.featureSetIds] },
        [
          { path: `dicom-sr-${stem}.dcm`, mediaType: 'application/dicom', content: report.sr },
          ...report.segs.map((s) => ({ path: `dicom-seg-${s.featureSetId.replace(/[^A-Za-z0-9._-]/g, '_')}.dcm`, mediaType: 'application/dicom', content: s.bytes })),
        ],
      );
      return {
        ...stored,
        format: 'DICOM_SR',
        trialId: report.trialId,
        siteId: report.siteId,
        subjectId: report.subjectId,
        asOfPosition: null,
        complete: true,
        countsJson: JSON.stringify({ measurementGroups: input.featureSetIds.length, segmentationsWritten: report.segs.length }),
      };
    },
    login: (input) => identity.login(input.userId, input.password),
    changePassword: (input) => identity.changePassword(input),
    registerUser: (input, ctx) => identity.registerUser(idCtx(ctx), input),
    grantRole: (input, ctx) => identity.grantRole(idCtx(ctx), input),
    revokeRole: (input, ctx) => identity.revokeRole(idCtx(ctx), input),
    setUserPassword: (input, ctx) => identity.setUserPassword(idCtx(ctx), input),
    unlockAccount: (input, ctx) => identity.unlockAccount(idCtx(ctx), input),
    issueApiToken: (input, ctx) => identity.issueApiToken(idCtx(ctx), input),
    revokeApiToken: (input, ctx) => identity.revokeApiToken(idCtx(ctx), input),
  } satisfies ActionHandlers;
}

export type { CommandResult };
