import { createHash } from 'node:crypto';
import { INTEROP_FORMATS, SEALED_VALUE_IN_TEXT_RE } from '@radledger/domain';
import type { AuditEntry, LineageEdge, LineageNode, LineageScope } from '@radledger/projections';

/**
 * What the read side gives the interoperability exports, after the read policy dropped what
 * the caller may not see and blinded decisions: the lineage graph of a trial (or one site or
 * subject of it), its audit trail, and RFC 9162 inclusion proofs of the events that recorded
 * the activities. The mappers are pure functions of this value; nothing here reads a store.
 */
export interface InteropRecords {
  scope: LineageScope;
  /** Every node, edge and audit entry was recorded at or before this ledger position. */
  asOfPosition: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  audit: AuditEntry[];
  /** False when something was left out (hidden nodes, unresolved ids, a capped audit trail). */
  complete: boolean;
  /** Who asked (recorded as the export's own AuditEvent); null for the command line. */
  requestedBy: string | null;
}

/** RFC 9162 §2.1.3 inclusion proof of one ledger event (no canonical bytes: they may hold blinded values). */
export interface LedgerInclusion {
  eventId: string;
  eventType: string;
  leafIndex: number;
  treeSize: number;
  /** SHA-256(0x00 || RFC 8785 canonical event), hex. */
  leafHash: string;
  /** Audit path, hex, bottom up. */
  auditPath: string[];
  rootHash: string;
  /** The signed checkpoint (C2SP signed note) of `treeSize`, when one was issued at that size. */
  checkpoint: string | null;
}

export interface InteropSource extends InteropRecords {
  /** Inclusion proofs by event id, all against one tree size. */
  proofs: Readonly<Record<string, LedgerInclusion>>;
  /** UTC time of the export (ISO 8601). */
  generatedAt: string;
  software: { name: string; version: string };
}

export { INTEROP_FORMATS };
export type InteropFormat = (typeof INTEROP_FORMATS)[number];

export interface InteropFile {
  /** Relative path (BIDS-Prov files keep their place in a BIDS dataset). */
  path: string;
  mediaType: string;
  content: string;
  sha256: string;
}

export interface InteropDocument {
  format: InteropFormat;
  scope: LineageScope;
  asOfPosition: number;
  complete: boolean;
  files: InteropFile[];
  /** What the files hold (run events, provenances, audit events, activities, entities…). */
  counts: Record<string, number>;
}

/** The activities the exports describe as runs: what turns images into decisions. */
export const PROCESSING_ACTIVITIES: ReadonlySet<string> = new Set(['preprocessing', 'segmentation', 'segmentation-edit', 'feature-extraction', 'inference']);

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The content hash an entity is named by: the sha256 of its bytes (image, mask, feature result,
 * ONNX file) or, for a decision (a ledger record, not a file), the leaf hash of the event that
 * recorded it, which commits to its content.
 */
export function contentHashOf(node: LineageNode): { sha256: string; of: 'artifact' | 'ledger-event' } | undefined {
  const sha = node.attributes['sha256'];
  if (typeof sha === 'string' && SHA256.test(sha)) return { sha256: sha, of: 'artifact' };
  if (node.kind === 'entity' && SHA256.test(node.createdBy.hash)) return { sha256: node.createdBy.hash, of: 'ledger-event' };
  return undefined;
}

/**
 * Free text for an export: sealed values (ADR 0007) that the exporter could not open (no keys at
 * hand) read `[sealed]` instead of ciphertext; opened or redacted values pass as they are.
 */
export function exportText(value: string): string {
  return value.replace(new RegExp(SEALED_VALUE_IN_TEXT_RE.source, 'g'), '[sealed]');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id itself when it is a UUID (ledger event ids are v7), else an RFC 9562 v8 UUID from its SHA-256. */
export function uuidOf(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const h = sha256Hex(id);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Graph access shared by the mappers (edges indexed by both ends: lookups are O(degree)). */
export class InteropGraph {
  readonly byId: ReadonlyMap<string, LineageNode>;
  private readonly from = new Map<string, LineageEdge[]>();
  private readonly to = new Map<string, LineageEdge[]>();

  constructor(readonly source: InteropSource) {
    this.byId = new Map(source.nodes.map((n) => [n.id, n] as const));
    for (const e of source.edges) {
      this.from.set(e.from, [...(this.from.get(e.from) ?? []), e]);
      this.to.set(e.to, [...(this.to.get(e.to) ?? []), e]);
    }
  }

  /** Activities in ledger order. */
  activities(types: ReadonlySet<string> = PROCESSING_ACTIVITIES): LineageNode[] {
    return this.source.nodes.filter((n) => n.kind === 'activity' && types.has(n.type)).sort((a, b) => a.createdBy.globalPosition - b.createdBy.globalPosition);
  }

  /** Targets of `from`'s edges of one relation, with the edge role. */
  targets(from: string, relation: LineageEdge['relation']): Array<{ node: LineageNode; role: string | null }> {
    const out: Array<{ node: LineageNode; role: string | null }> = [];
    for (const e of this.from.get(from) ?? []) {
      if (e.relation !== relation) continue;
      const node = this.byId.get(e.to);
      if (node) out.push({ node, role: e.role });
    }
    return out;
  }

  /** Sources of edges of one relation pointing at `to`. */
  sources(to: string, relation: LineageEdge['relation']): LineageNode[] {
    return (this.to.get(to) ?? []).filter((e) => e.relation === relation).flatMap((e) => this.byId.get(e.from) ?? []);
  }

  inputs(activity: LineageNode): Array<{ node: LineageNode; role: string | null }> {
    return this.targets(activity.id, 'used').filter((t) => t.node.kind === 'entity');
  }

  outputs(activity: LineageNode): LineageNode[] {
    return this.sources(activity.id, 'wasGeneratedBy').filter((n) => n.kind === 'entity');
  }

  agents(activity: LineageNode): Array<{ node: LineageNode; role: string | null }> {
    return this.targets(activity.id, 'wasAssociatedWith').filter((t) => t.node.kind === 'agent');
  }

  /** The activity that generated an entity, when it is in the graph. */
  generatedBy(entity: LineageNode): LineageNode | undefined {
    return this.targets(entity.id, 'wasGeneratedBy').find((t) => t.node.kind === 'activity')?.node;
  }

  /** The newest lock of a model version in the scope's trial recorded at or before `position`. */
  lockOf(model: LineageNode, position: number): LineageNode | undefined {
    return this.sources(model.id, 'used')
      .filter((a) => a.type === 'model-lock' && a.trialId === this.source.scope.trialId && a.createdBy.globalPosition <= position)
      .sort((a, b) => b.createdBy.globalPosition - a.createdBy.globalPosition)[0];
  }

  proof(node: LineageNode): LedgerInclusion | undefined {
    return this.source.proofs[node.createdBy.eventId];
  }
}

/** `name@version` of a software agent (its refId), split at the last '@'. */
export function softwareOf(node: LineageNode): { name: string; version: string | null } {
  const ref = node.refId ?? node.label ?? node.id;
  const at = ref.lastIndexOf('@');
  return at > 0 ? { name: ref.slice(0, at), version: ref.slice(at + 1) } : { name: ref, version: null };
}

export function interopFile(path: string, mediaType: string, value: unknown): InteropFile {
  const content = typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`;
  return { path, mediaType, content, sha256: sha256Hex(content) };
}
