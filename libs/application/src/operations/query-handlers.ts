import { existsSync } from 'node:fs';
import { INTEROP_INLINE_MAX_BYTES, SAVED_AUDIT_QUERIES, type SavedAuditQuery, type Visibility } from '@radledger/domain';
import { LedgerVerificationError, loadSigningKey, type CheckpointVerifier } from '@radledger/ledger';
import { NotFoundError, ValidationError } from '@radledger/platform';
import type { InteropRecords } from '@radledger/interop';
import { collectInteropScope, renderInteropScope } from '../exports/interop-document.js';
import {
  AuditTrailQuery,
  DecisionQuery,
  LineageQuery,
  MonitoringQuery,
  ScienceQuery,
  provId,
  toProvJson,
  toProvOJsonLd,
  type AuditReviewResult,
  type LineageGraph,
  type ProjectionRunner,
  type ReadModelStore,
} from '@radledger/projections';
import type { Runtime } from '../runtime.js';
import { latestCosignedCheckpoint } from '@radledger/witness';
import type { Witnessing } from './dossier-export.service.js';
import type { QueryHandlers } from './operation-gateway.js';

export interface QueryHandlerDeps {
  runtime: Runtime;
  readModels: ReadModelStore;
  projections?: Pick<ProjectionRunner, 'lag'>;
  /** The deployment's checkpoint key file: verification pins it when it exists (a read never creates a key). */
  signingKeyPath: string;
  /** Called with every full verification's duration (metrics). */
  onVerify?: (seconds: number, ok: boolean) => void;
  /** Witnesses' cosignatures and policy (issue 14), for the latest cosigned checkpoint. */
  witnessing?: () => Witnessing | undefined;
}

/**
 * A site-scoped caller asking about a whole trial gets their site's answer: their one site when
 * they have one, the site they name when they have several (a caller who sees every site gets
 * what they asked).
 */
export function narrowToVisibleSite(visibility: Visibility, trialId: string, siteId: string | undefined): string | undefined {
  const v = visibility.trial(trialId);
  if (v === 'all-sites' || v === 'none') return siteId;
  if (siteId !== undefined) return siteId;
  if (v.size === 1) return [...v][0];
  throw new ValidationError('SITE_REQUIRED', `siteId: you see sites ${[...v].sort().join(', ')} of trial ${trialId}; name one`, { field: 'siteId' });
}

/** The trials and sites an audit-trail page may show this caller, as filter clauses (undefined: everything). */
function auditVisibility(visibility: Visibility, filter: { trialId?: string | undefined; siteId?: string | undefined }): { trialIds?: string[]; siteIds?: string[] } {
  if (visibility.global) return {};
  if (filter.trialId !== undefined) {
    const v = visibility.trial(filter.trialId);
    if (v === 'none') return { trialIds: [] };
    return v === 'all-sites' ? {} : { siteIds: [...v] };
  }
  const restricted = visibility.trials.filter((t) => visibility.trial(t) !== 'all-sites');
  if (restricted.length === 0) return { trialIds: [...visibility.trials] };
  if (visibility.trials.length === 1) return { trialIds: [...visibility.trials], siteIds: [...(visibility.trial(restricted[0]!) as ReadonlySet<string>)] };
  throw new ValidationError('TRIAL_REQUIRED', `filter.trialId: you see parts of trials ${visibility.trials.join(', ')}; name one`, { field: 'filter.trialId' });
}

/** The answers behind every query: read models for views, the ledger itself for proofs and verification. */
export function createQueryHandlers(deps: QueryHandlerDeps): QueryHandlers {
  const { runtime, readModels } = deps;
  const lineage = new LineageQuery(readModels);
  const decisions = new DecisionQuery(readModels);
  const monitoring = new MonitoringQuery(readModels);
  const science = new ScienceQuery(readModels);
  const audit = new AuditTrailQuery(readModels);
  const review = <T>(result: AuditReviewResult<T>) => result;
  const pinnedKey = (): CheckpointVerifier | undefined => (existsSync(deps.signingKeyPath) ? loadSigningKey(deps.signingKeyPath).signer : undefined);

  return {
    me: {
      run: async (_input, { caller }) => ({ userId: caller.userId, printedName: caller.printedName, grants: caller.grants, authMethod: caller.authMethod }),
    },
    lineage: {
      run: (input) => lineage.lineage({ id: input.id, direction: input.direction, maxDepth: input.maxDepth, asOfPosition: input.asOf?.position, asOfTime: input.asOf?.time }),
    },
    decision: { run: (input) => decisions.decision(input.id) },
    provDocument: {
      run: (input) => lineage.lineage({ id: input.id, direction: 'UPSTREAM', maxDepth: input.maxDepth, asOfPosition: input.asOf?.position, asOfTime: input.asOf?.time }),
      // Serialised only after the read policy dropped what the caller may not see and blinded the rest.
      finish: (graph: LineageGraph & { complete: boolean }, input) => {
        const document =
          input.format === 'PROV_JSON'
            ? toProvJson(graph)
            : toProvOJsonLd(graph, { documentId: `${provId(graph.root.id)}/lineage@${graph.asOfPosition}`, extra: { 'radledger:complete': graph.complete, 'radledger:asOfPosition': graph.asOfPosition } });
        return {
          format: input.format,
          mediaType: input.format === 'PROV_JSON' ? 'application/json' : 'application/ld+json',
          document: JSON.stringify(document),
          complete: graph.complete,
          truncatedAtDepth: graph.truncatedAtDepth,
          asOfPosition: graph.asOfPosition,
        };
      },
    },
    interopExport: {
      run: (input, { caller, auth }) => collectInteropScope(readModels, input, caller.userId, auth.visibility),
      // Proofs and documents are made only from what the read policy left (hidden nodes dropped, decisions blinded).
      finish: async (records: InteropRecords, input) => {
        const answer = await renderInteropScope(runtime, records, input);
        const bytes = answer.files.reduce((n, f) => n + Buffer.byteLength(f.content, 'utf8'), 0);
        if (bytes > INTEROP_INLINE_MAX_BYTES) {
          throw new ValidationError(
            'EXPORT_TOO_LARGE',
            `format: the ${input.format} export of trial ${input.trialId} is ${bytes} bytes, more than the ${INTEROP_INLINE_MAX_BYTES} answered inline; ask exportInterop with the same arguments for a download URL (or name a siteId or subjectId)`,
            { field: 'format', bytes, limit: INTEROP_INLINE_MAX_BYTES },
          );
        }
        return answer;
      },
    },
    auditTrail: {
      run: (input, { auth }) => {
        const f = input.filter ?? {};
        return audit.page({ ...f, ...auditVisibility(auth.visibility, f) }, input.first, input.after ?? null);
      },
    },
    lockedAlgorithmCompliance: {
      run: (input, { auth }) => monitoring.lockedAlgorithmCompliance(input.trialId, narrowToVisibleSite(auth.visibility, input.trialId, input.siteId) ?? null),
    },
    modelVersion: { run: (input) => monitoring.modelVersion(input.id) },
    protocolDeviations: { run: (input) => monitoring.protocolDeviations(input.trialId) },
    trialSites: { run: (input) => monitoring.trialSites(input.trialId, input.siteId ?? null) },
    segmentationEdits: { run: (input) => monitoring.segmentationEdits(input.trialId, input.afterReview) },
    editsAfterLock: { run: async (input) => review(await monitoring.editsAfterLock(input.trialId)) },
    actionsOutsideSiteHours: { run: (input) => monitoring.actionsOutsideSiteHours(input.trialId, input.startHourUtc, input.endHourUtc, input.includeWeekends) },
    unusualVolumePerUser: { run: (input) => monitoring.unusualVolumePerUser(input.trialId, input.factor, input.minEvents) },
    completedAuditReviews: { run: (input) => monitoring.completedAuditReviews(input.trialId) },
    imageQuality: { run: (input) => science.imageQuality(input.trialId, input.failedOnly) },
    featureReliability: {
      run: async (input) => {
        const view = await science.featureReliability(input.trialId, input.threshold);
        if (!view) throw new NotFoundError(`trialId: trial ${input.trialId} has no recorded feature reliability study`, { field: 'trialId' });
        return view;
      },
    },
    responseAssessment: {
      run: async (input, { auth }) => {
        const trials = input.trialId ? [input.trialId] : (await science.subjectEnrolments(input.subjectId)).map((e) => e.trialId).filter((t) => auth.visibility.sees(t));
        if (trials.length > 1) throw new ValidationError('TRIAL_REQUIRED', `trialId: subject ${input.subjectId} is enrolled in ${trials.join(', ')}; name one`, { field: 'trialId' });
        const view = trials.length === 1 ? await runtime.science.responseAssessment(trials[0]!, input.subjectId) : null;
        if (!view) throw new NotFoundError(`subjectId: no response assessment is recorded for subject ${input.subjectId}`, { field: 'subjectId' });
        const recorded = await science.recordedAssessments(view.trialId, view.subjectId);
        const siteId = (await science.subjectEnrolments(view.subjectId)).find((e) => e.trialId === view.trialId)?.siteId ?? null;
        return { ...view, siteId, recorded };
      },
    },
    projectionStatus: { run: async () => (deps.projections ? deps.projections.lag() : []) },
    ledgerStatus: {
      run: async () => {
        // One head read and the Merkle root kept incrementally (O(log n) after the first call).
        const head = await runtime.ledger.headRoot();
        const witnessing = deps.witnessing?.();
        const latestCosigned = witnessing
          ? (latestCosignedCheckpoint(await runtime.ledger.store.listCheckpoints(), await witnessing.cosignatures.listCosignatures(), witnessing.policy) ?? null)
          : null;
        return {
          size: head.size,
          lastHash: head.lastHash,
          rootHash: head.rootHash,
          latestCheckpoint: (await runtime.ledger.store.latestCheckpoint()) ?? null,
          latestCosignedCheckpoint: latestCosigned,
        };
      },
    },
    inclusionProof: {
      run: async (input) => {
        const bundle = await runtime.ledger.proveInclusion(input.eventId, input.treeSize ?? undefined);
        return { ...bundle, checkpoint: bundle.checkpoint ?? null };
      },
      // The bundle as JSON is built from what the policy left: a blinded payload is not in it either.
      finish: (value: Record<string, unknown>) => ({ ...value, bundleJson: JSON.stringify(value) }),
    },
    consistencyProof: {
      run: async (input) => {
        const bundle = await runtime.ledger.proveConsistency(input.from, input.to);
        return { ...bundle, checkpoint1: bundle.checkpoint1 ?? null, checkpoint2: bundle.checkpoint2 ?? null, bundleJson: JSON.stringify(bundle) };
      },
    },
    verifyLedger: {
      run: async () => {
        const verifier = pinnedKey();
        const started = process.hrtime.bigint();
        try {
          const report = await runtime.ledger.verifyLedger({ verifier });
          deps.onVerify?.(Number(process.hrtime.bigint() - started) / 1e9, true);
          return {
            ok: true,
            size: report.size,
            rootHash: report.rootHash,
            lastHash: report.lastHash,
            checkpointsVerified: report.checkpointsVerified,
            checkpointsStored: report.checkpointsStored,
            signaturesChecked: verifier !== undefined,
            failure: null,
          };
        } catch (error) {
          deps.onVerify?.(Number(process.hrtime.bigint() - started) / 1e9, false);
          // A tampered ledger is an answer, not a server error.
          if (!(error instanceof LedgerVerificationError)) throw error;
          const head = await runtime.ledger.store.head();
          return {
            ok: false,
            size: head.size,
            rootHash: null,
            lastHash: null,
            checkpointsVerified: 0,
            checkpointsStored: (await runtime.ledger.store.listCheckpoints()).length,
            signaturesChecked: verifier !== undefined,
            failure: { kind: error.kind, position: error.position, message: error.message, expected: error.expected ?? null, computed: error.computed ?? null },
          };
        }
      },
    },
    reproduceFeatureSet: {
      run: async (input) => {
        const r = await runtime.features.reproduce(input.featureSetId);
        return { id: input.featureSetId, status: r.status, reason: r.reason, differences: r.differences.map((d) => `${d.key}: recorded ${d.recorded}, recomputed ${d.recomputed}`) };
      },
    },
    reproduceDecision: {
      run: async (input) => {
        const r = await runtime.models.reproduceDecision(input.decisionId);
        const trialId = await decisionTrial(runtime, input.decisionId);
        // `trialId` and `decisionId` let the read policy find what to blind; the answer keeps the differences as text.
        return { id: input.decisionId, decisionId: input.decisionId, trialId, status: r.status, reason: r.reason, outputs: r.recorded.outputs, differences: r.differences };
      },
      finish: (value: { id: string; status: string; reason?: string; outputs: unknown; differences: string[] }) => ({
        id: value.id,
        status: value.status,
        reason: value.reason,
        // A blinded caller learns MATCH/MISMATCH and how many values differ, not what they are.
        differences: value.outputs === '[blinded]' ? value.differences.map((_, i) => `difference ${i + 1}: [blinded]`) : value.differences,
      }),
    },
  };
}

async function decisionTrial(runtime: Runtime, decisionId: string): Promise<string | null> {
  const [made] = await runtime.store.readStream(`decision-${decisionId}`);
  const trialId = (made?.data as { trialId?: unknown } | undefined)?.trialId;
  return typeof trialId === 'string' ? trialId : null;
}

/** Re-runs a saved audit-review query with the arguments the reviewer named (completeAuditReview). */
export async function runSavedAuditQuery(readModels: ReadModelStore, trialId: string, queryName: SavedAuditQuery, args: Record<string, unknown>): Promise<AuditReviewResult<unknown>> {
  const monitoring = new MonitoringQuery(readModels);
  const allowed: Record<SavedAuditQuery, readonly string[]> = {
    editsAfterLock: [],
    actionsOutsideSiteHours: ['startHourUtc', 'endHourUtc', 'includeWeekends'],
    unusualVolumePerUser: ['factor', 'minEvents'],
  };
  if (!(SAVED_AUDIT_QUERIES as readonly string[]).includes(queryName)) throw new ValidationError('INVALID_ENUM', `queryName: expected one of ${SAVED_AUDIT_QUERIES.join(', ')}`, { field: 'queryName' });
  for (const key of Object.keys(args)) {
    if (!allowed[queryName].includes(key)) throw new ValidationError('INPUT_INVALID', `arguments.${key}: ${queryName} takes ${allowed[queryName].join(', ') || 'no arguments'}`, { field: `arguments.${key}` });
  }
  const num = (key: string, fallback: number): number => {
    const v = args[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError('INPUT_INVALID', `arguments.${key}: expected a number, got ${JSON.stringify(v)}`, { field: `arguments.${key}` });
    return v;
  };
  switch (queryName) {
    case 'editsAfterLock':
      return monitoring.editsAfterLock(trialId);
    case 'actionsOutsideSiteHours': {
      const weekends = args['includeWeekends'];
      if (weekends !== undefined && weekends !== null && typeof weekends !== 'boolean') {
        throw new ValidationError('INPUT_INVALID', `arguments.includeWeekends: expected true or false, got ${JSON.stringify(weekends)}`, { field: 'arguments.includeWeekends' });
      }
      return monitoring.actionsOutsideSiteHours(trialId, num('startHourUtc', 7), num('endHourUtc', 19), weekends ?? true);
    }
    case 'unusualVolumePerUser':
      return monitoring.unusualVolumePerUser(trialId, num('factor', 3), num('minEvents', 20));
  }
}
