import { AUDIT_PAGE_MAX, AuditTrailQuery, LineageQuery, type AuditEntry, type LineageScope, type ReadModelStore } from '@radledger/projections';
import { IllegalStateError } from '@radledger/platform';
import { inclusionProofFromReader, InMemorySubtreeCache, subtreeRoot } from '@radledger/ledger';
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

/** What the proofs read from the ledger (the LedgerStore port). */
export interface LeafSource {
  head(): Promise<{ size: number }>;
  latestCheckpoint(): Promise<{ treeSize: number; rootHash: string; note: string } | undefined>;
  readLeafHashes(fromPosition: number, toPosition: number): Promise<Uint8Array[]>;
}

/**
 * RFC 9162 inclusion proofs of the events that recorded the processing activities and the
 * model locks, all against one tree: the latest signed checkpoint when it covers them (its note
 * travels with each proof), else the ledger head. The leaf hashes are read once and perfect
 * subtrees are cached, so n proofs cost one read plus O(n log N) hashes. The canonical bytes are
 * not kept (they may hold what a blinded caller must not see); the leaf hash stands for them.
 */
export async function proveActivities(ledger: LeafSource, records: Pick<InteropRecords, 'nodes'>): Promise<Record<string, LedgerInclusion>> {
  const wanted = records.nodes.filter((n) => n.kind === 'activity' && (PROCESSING_ACTIVITIES.has(n.type) || n.type === 'model-lock') && n.createdBy.eventId);
  if (wanted.length === 0) return {};
  const last = Math.max(...wanted.map((n) => n.createdBy.globalPosition));
  const checkpoint = await ledger.latestCheckpoint();
  const signed = checkpoint && checkpoint.treeSize > last ? checkpoint : undefined;
  const treeSize = signed ? signed.treeSize : (await ledger.head()).size;
  const leaves: Uint8Array[] = [];
  for (let from = 0; from < treeSize; from += LEAF_PAGE) leaves.push(...(await ledger.readLeafHashes(from, Math.min(treeSize, from + LEAF_PAGE))));
  if (leaves.length !== treeSize) throw new IllegalStateError('LEDGER_SHORT', `the ledger holds ${leaves.length} leaves, not the ${treeSize} of the tree to prove against`);
  const read = (start: number, end: number) => leaves.slice(start, end);
  const cache = new InMemorySubtreeCache();
  const rootHash = (await subtreeRoot(read, 0, treeSize, { cache, minCachedHeight: 4 })).toString('hex');
  if (signed && signed.rootHash !== rootHash) throw new IllegalStateError('CHECKPOINT_MISMATCH', `the checkpoint of size ${treeSize} signs root ${signed.rootHash}, the ledger's leaves give ${rootHash}`);
  const out: Record<string, LedgerInclusion> = {};
  for (const node of wanted) {
    const index = node.createdBy.globalPosition;
    const leafHash = Buffer.from(leaves[index]!).toString('hex');
    if (leafHash !== node.createdBy.hash) throw new IllegalStateError('LEDGER_SHORT', `the leaf at position ${index} is ${leafHash}, the read model says ${node.createdBy.hash}`);
    const path = await inclusionProofFromReader(read, index, treeSize, { cache, minCachedHeight: 4 });
    out[node.createdBy.eventId] = {
      eventId: node.createdBy.eventId,
      eventType: node.createdBy.type,
      leafIndex: index,
      treeSize,
      leafHash,
      auditPath: path.map((h) => h.toString('hex')),
      rootHash,
      checkpoint: signed?.note ?? null,
    };
  }
  return out;
}

const LEAF_PAGE = 50_000;
