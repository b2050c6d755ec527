import { AUDIT_PAGE_MAX, AuditTrailQuery, LineageQuery, type AuditEntry, type LineageScope, type ReadModelStore } from '@radledger/projections';
import type { InclusionProofBundle } from '@radledger/ledger';
import type { InteropRecords, LedgerInclusion } from './interop-source.js';
import { PROCESSING_ACTIVITIES } from './interop-source.js';

/** The largest audit trail one export carries; beyond it the export says `complete: false`. */
export const INTEROP_MAX_AUDIT_ENTRIES = 20_000;

export interface CollectOptions {
  /** Only audit entries of these sites (a site-scoped caller's view); undefined: every site. */
  auditSiteIds?: readonly string[];
  requestedBy?: string | null;
  maxAuditEntries?: number;
}

/** Reads what the exports need from the read models: the scope's lineage graph and audit trail. */
export async function collectInteropRecords(readModels: ReadModelStore, scope: LineageScope, options: CollectOptions = {}): Promise<InteropRecords> {
  const graph = await new LineageQuery(readModels).scopeGraph(scope);
  const audit: AuditEntry[] = [];
  const max = options.maxAuditEntries ?? INTEROP_MAX_AUDIT_ENTRIES;
  const pages = new AuditTrailQuery(readModels);
  let after: string | null = null;
  let capped = false;
  for (;;) {
    const page = await pages.page(
      { trialId: scope.trialId, ...(scope.siteId ? { siteId: scope.siteId } : {}), ...(scope.subjectId ? { subjectId: scope.subjectId } : {}), ...(options.auditSiteIds ? { siteIds: options.auditSiteIds } : {}) },
      AUDIT_PAGE_MAX,
      after,
    );
    for (const edge of page.edges) if (edge.node.globalPosition <= graph.asOfPosition) audit.push(edge.node);
    if (audit.length >= max) {
      capped = page.pageInfo.hasNextPage || audit.length > max;
      audit.length = Math.min(audit.length, max);
      break;
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return {
    scope: graph.scope,
    asOfPosition: graph.asOfPosition,
    nodes: graph.nodes,
    edges: graph.edges,
    audit,
    complete: graph.complete && !capped,
    requestedBy: options.requestedBy ?? null,
  };
}

/** The ledger operations the proofs need (LedgerService). */
export interface InclusionProver {
  proveInclusion(eventId: string, treeSize?: number): Promise<InclusionProofBundle>;
  store: { head(): Promise<{ size: number }>; latestCheckpoint(): Promise<{ treeSize: number } | undefined> };
}

/**
 * RFC 9162 inclusion proofs of the events that recorded the processing activities and the
 * model locks, all against one tree: the latest signed checkpoint when it covers them (the root
 * is then signed), else the ledger head. The canonical bytes are not kept (they may hold what a
 * blinded caller must not see); the leaf hash stands for them.
 */
export async function proveActivities(ledger: InclusionProver, records: Pick<InteropRecords, 'nodes'>): Promise<Record<string, LedgerInclusion>> {
  const wanted = records.nodes.filter((n) => n.kind === 'activity' && (PROCESSING_ACTIVITIES.has(n.type) || n.type === 'model-lock') && n.createdBy.eventId);
  if (wanted.length === 0) return {};
  const last = Math.max(...wanted.map((n) => n.createdBy.globalPosition));
  const checkpoint = await ledger.store.latestCheckpoint();
  const treeSize = checkpoint && checkpoint.treeSize > last ? checkpoint.treeSize : (await ledger.store.head()).size;
  const out: Record<string, LedgerInclusion> = {};
  for (const node of wanted) {
    const bundle = await ledger.proveInclusion(node.createdBy.eventId, treeSize);
    out[node.createdBy.eventId] = {
      eventId: bundle.eventId,
      eventType: node.createdBy.type,
      leafIndex: bundle.leafIndex,
      treeSize: bundle.treeSize,
      leafHash: bundle.leafHash,
      auditPath: bundle.proof,
      rootHash: bundle.rootHash,
      checkpoint: bundle.checkpoint ?? null,
    };
  }
  return out;
}
