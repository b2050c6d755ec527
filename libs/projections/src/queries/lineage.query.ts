import { NotFoundError } from '@radledger/platform';
import type { ReadModelStore } from '../read-model-store.port.js';
import { AUDIT_ENTRY_TABLE } from '../projections/audit-trail.projection.js';
import {
  LINEAGE_EDGE_TABLE,
  LINEAGE_EVENT_TABLE,
  LINEAGE_NODE_TABLE,
  lineageProjection,
  type LineageNodeType,
  type LineageRelation,
  type ProvKind,
} from '../projections/lineage.projection.js';
import { CHECKPOINT_TABLE } from '../sql/sql-compiler.js';
import { invalidArgument, parseJson, placeholders, requireIsoTime } from './query-errors.js';

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

/** The ledger event that created a node or edge: every answer can be checked against the ledger. */
export interface LedgerEventRef {
  eventId: string;
  type: string;
  hash: string;
  globalPosition: number;
  recordedAt: string | null;
}

export interface LineageNode {
  id: string;
  kind: ProvKind;
  type: LineageNodeType;
  refId: string | null;
  label: string | null;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  attributes: Record<string, unknown>;
  /** Edges from the root to this node (0 for the root). */
  depth: number;
  createdBy: LedgerEventRef;
}

export interface LineageEdge {
  id: string;
  relation: LineageRelation;
  from: string;
  to: string;
  role: string | null;
  createdBy: LedgerEventRef;
}

export interface LineageGraph {
  root: LineageNode;
  direction: LineageDirection;
  maxDepth: number;
  /** The ledger prefix answered: every node and edge was created at or before this position. */
  asOfPosition: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** False when the walk stopped at maxDepth or the node limit with more to see, when an edge names a node the read model does not hold, or when the read model has not yet applied the requested position. */
  complete: boolean;
  /** The depth at which the walk stopped with more to see (null when it did not). */
  truncatedAtDepth: number | null;
  /** Ids that edges point to but that no recorded event created (e.g. inputs imported without their own events). */
  unresolvedNodeIds: string[];
  /** Last ledger position the lineage read model has applied. */
  projectedThrough: number;
}

export interface LineageRequest {
  id: string;
  direction?: LineageDirection;
  maxDepth?: number;
  /** Answer as of this global position (inclusive)… */
  asOfPosition?: number;
  /** …or as of the last event recorded at or before this UTC time. */
  asOfTime?: string;
}

/** A trial, or one site or one subject of it. */
export interface LineageScope {
  trialId: string;
  siteId?: string;
  subjectId?: string;
}

/** Every node and edge of a scope (LineageQuery.scopeGraph): nodes of the scope have depth 0, those at the other end of their edges depth 1. */
export interface ScopeGraph {
  scope: LineageScope;
  asOfPosition: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  complete: boolean;
  unresolvedNodeIds: string[];
}

export const LINEAGE_MAX_DEPTH = 50;
/** A walk that would visit more nodes stops and says so (`complete: false`). */
export const LINEAGE_MAX_NODES = 5000;
const IN_CHUNK = 400;

interface NodeRow {
  node_id: string;
  kind: ProvKind;
  node_type: LineageNodeType;
  ref_id: string | null;
  label: string | null;
  trial_id: string | null;
  site_id: string | null;
  subject_id: string | null;
  attributes: string | null;
  global_position: number;
}

interface EdgeRow {
  ordinal: number;
  relation: LineageRelation;
  from_id: string;
  to_id: string;
  role: string | null;
  global_position: number;
}

/** Nodes and edges keep only the position of their creating event; its id, type, hash and time come from the event table. */
const NODE_FROM = `SELECT n.node_id, n.kind, n.node_type, n.ref_id, n.label, n.trial_id, n.site_id, n.subject_id, n.attributes, n.global_position
  FROM ${LINEAGE_NODE_TABLE} n`;
const EDGE_FROM = `SELECT d.global_position, d.ordinal, d.relation, d.from_id, d.to_id, d.role FROM ${LINEAGE_EDGE_TABLE} d`;

interface EventRow {
  global_position: number;
  event_id: string;
  event_type: string;
  event_hash: string;
  recorded_at: string | null;
}

export function lineageEdgeId(globalPosition: number, ordinal: number): string {
  return `${globalPosition}:${ordinal}`;
}
/** When a plain domain id matches several nodes, the entity is meant before the activity that made it. */
const KIND_PREFERENCE: Record<ProvKind, number> = { entity: 0, agent: 1, activity: 2 };

type EventRefs = Map<number, LedgerEventRef>;

function refOf(position: number, events: EventRefs): LedgerEventRef {
  // Every node and edge position has its event row (written in the same operation batch); the fallback only guards a damaged read model.
  return events.get(position) ?? { eventId: '', type: '', hash: '', globalPosition: position, recordedAt: null };
}

function nodeOf(row: NodeRow, depth: number, events: EventRefs): LineageNode {
  const attributes = parseJson(row.attributes);
  return {
    id: row.node_id,
    kind: row.kind,
    type: row.node_type,
    refId: row.ref_id,
    label: row.label,
    trialId: row.trial_id,
    siteId: row.site_id,
    subjectId: row.subject_id,
    attributes: attributes && typeof attributes === 'object' ? (attributes as Record<string, unknown>) : {},
    depth,
    createdBy: refOf(Number(row.global_position), events),
  };
}

function edgeOf(row: EdgeRow, events: EventRefs): LineageEdge {
  return {
    id: lineageEdgeId(Number(row.global_position), Number(row.ordinal)),
    relation: row.relation,
    from: row.from_id,
    to: row.to_id,
    role: row.role,
    createdBy: refOf(Number(row.global_position), events),
  };
}

/** Lineage walks over the PROV graph read model (upstream = what it was made from). */
export class LineageQuery {
  constructor(private readonly store: ReadModelStore) {}

  async projectedThrough(projection = lineageProjection.name): Promise<number> {
    const row = await this.store.get<{ last_position: number }>(`SELECT last_position FROM ${CHECKPOINT_TABLE} WHERE projection = ?`, [projection]);
    return row ? Number(row.last_position) : -1;
  }

  /** The ledger position of "as of": a position as given, or the last event recorded at or before a time. */
  async resolveAsOf(request: Pick<LineageRequest, 'asOfPosition' | 'asOfTime'>): Promise<number | undefined> {
    if (request.asOfPosition !== undefined && request.asOfTime !== undefined) {
      throw invalidArgument('AS_OF_INVALID', 'asOf', 'either a position or a time, not both', request);
    }
    if (request.asOfPosition !== undefined) {
      if (!Number.isSafeInteger(request.asOfPosition) || request.asOfPosition < 0) {
        throw invalidArgument('AS_OF_INVALID', 'asOf.position', 'an integer >= 0', request.asOfPosition);
      }
      return request.asOfPosition;
    }
    if (request.asOfTime !== undefined) {
      const time = requireIsoTime('asOf.time', request.asOfTime);
      const row = await this.store.get<{ global_position: number }>(
        `SELECT global_position FROM ${AUDIT_ENTRY_TABLE} WHERE recorded_at <= ? ORDER BY recorded_at DESC, global_position DESC LIMIT 1`,
        [time],
      );
      return row ? Number(row.global_position) : -1;
    }
    return undefined;
  }

  /** A node by its lineage id (`decision:D-1`) or by the domain id it stands for (`D-1`). */
  async findNode(id: string, asOf: number): Promise<NodeRow | undefined> {
    const exact = await this.store.get<NodeRow>(`${NODE_FROM} WHERE n.node_id = ? AND n.global_position <= ?`, [id, asOf]);
    if (exact) return exact;
    const byRef = await this.store.all<NodeRow>(`${NODE_FROM} WHERE n.ref_id = ? AND n.global_position <= ?`, [id, asOf]);
    return byRef.sort((a, b) => KIND_PREFERENCE[a.kind] - KIND_PREFERENCE[b.kind] || Number(a.global_position) - Number(b.global_position))[0];
  }

  async lineage(request: LineageRequest): Promise<LineageGraph> {
    const direction = request.direction ?? 'UPSTREAM';
    const maxDepth = request.maxDepth ?? 10;
    if (!Number.isSafeInteger(maxDepth) || maxDepth < 0 || maxDepth > LINEAGE_MAX_DEPTH) {
      throw invalidArgument('MAX_DEPTH_INVALID', 'maxDepth', `an integer from 0 to ${LINEAGE_MAX_DEPTH}`, request.maxDepth);
    }
    const projectedThrough = await this.projectedThrough();
    const requested = await this.resolveAsOf(request);
    const asOf = requested === undefined ? projectedThrough : Math.min(requested, Number.MAX_SAFE_INTEGER);
    const root = await this.findNode(request.id, asOf);
    if (!root) {
      throw new NotFoundError(
        requested === undefined
          ? `id: no lineage node or recorded entity ${JSON.stringify(request.id)}`
          : `id: no lineage node or recorded entity ${JSON.stringify(request.id)} as of position ${asOf}`,
        { id: request.id },
      );
    }
    const depths = new Map<string, number>([[root.node_id, 0]]);
    const edges = new Map<string, EdgeRow>();
    let truncatedAtDepth: number | null = null;
    const walks: Array<'UPSTREAM' | 'DOWNSTREAM'> = direction === 'BOTH' ? ['UPSTREAM', 'DOWNSTREAM'] : [direction];
    for (const walk of walks) {
      const truncated = await this.walk(root.node_id, walk, maxDepth, asOf, depths, edges);
      if (truncated !== null) truncatedAtDepth = truncatedAtDepth === null ? truncated : Math.min(truncatedAtDepth, truncated);
    }
    const rows = await this.nodesById([...depths.keys()], asOf);
    const positions = new Set<number>([Number(root.global_position)]);
    for (const row of rows.values()) positions.add(Number(row.global_position));
    for (const row of edges.values()) positions.add(Number(row.global_position));
    const events = await this.eventsAt([...positions]);
    const nodes: LineageNode[] = [];
    const unresolved: string[] = [];
    for (const [id, depth] of depths) {
      const row = rows.get(id);
      if (row) nodes.push(nodeOf(row, depth, events));
      else unresolved.push(id);
    }
    nodes.sort((a, b) => a.depth - b.depth || a.createdBy.globalPosition - b.createdBy.globalPosition || (a.id < b.id ? -1 : 1));
    const edgeList = [...edges.values()]
      .map((row) => edgeOf(row, events))
      .sort((a, b) => a.createdBy.globalPosition - b.createdBy.globalPosition || (a.id < b.id ? -1 : 1));
    const behind = requested !== undefined && requested > projectedThrough;
    return {
      root: nodeOf(root, 0, events),
      direction,
      maxDepth,
      asOfPosition: Math.min(asOf, projectedThrough),
      nodes,
      edges: edgeList,
      complete: truncatedAtDepth === null && unresolved.length === 0 && !behind && [...positions].every((p) => events.has(p)),
      truncatedAtDepth,
      unresolvedNodeIds: unresolved.sort(),
      projectedThrough,
    };
  }

  /**
   * Every node recorded in a trial (optionally one site's or one subject's), the trial's model
   * locks, the edges touching them and the nodes at their other ends (users, software, model
   * versions): the input of the interoperability exports. Scans the node table by trial (no
   * index: exports are rare, and a trial index would cost every projected node a B-tree write).
   */
  async scopeGraph(scope: LineageScope): Promise<ScopeGraph> {
    const projectedThrough = await this.projectedThrough();
    const where = ['n.trial_id = ?'];
    const params: (string | number)[] = [scope.trialId];
    if (scope.siteId !== undefined) {
      where.push('(n.site_id = ? OR n.site_id IS NULL)');
      params.push(scope.siteId);
    }
    if (scope.subjectId !== undefined) {
      where.push(`(n.subject_id = ? OR n.node_type = 'model-lock')`);
      params.push(scope.subjectId);
    }
    const coreRows = await this.store.all<NodeRow>(`${NODE_FROM} WHERE ${where.join(' AND ')} AND n.global_position <= ?`, [...params, projectedThrough]);
    const core = new Map(coreRows.map((row) => [row.node_id, row] as const));
    // Agents (sites, users, software) act in many trials: their own edges are not walked, only
    // the edges of the scope's entities and activities, which reach the agents.
    const walked = [...core.values()].filter((row) => row.kind !== 'agent').map((row) => row.node_id);
    const edges = new Map<string, EdgeRow>();
    for (const column of ['from_id', 'to_id'] as const) {
      for (const row of await this.edgesFrom(column, walked, projectedThrough)) edges.set(lineageEdgeId(Number(row.global_position), Number(row.ordinal)), row);
    }
    const others = new Set<string>();
    for (const row of edges.values()) for (const id of [row.from_id, row.to_id]) if (!core.has(id)) others.add(id);
    const far = await this.nodesById([...others], projectedThrough);
    // A node of another trial at the end of an edge (a feature set of another trial a model was trained on) stays out, with its edge.
    for (const [id, row] of far) {
      if (row.trial_id === null || row.trial_id === scope.trialId) continue;
      far.delete(id);
      others.delete(id);
      for (const [key, edge] of edges) if (edge.from_id === id || edge.to_id === id) edges.delete(key);
    }
    const positions = new Set<number>();
    for (const row of [...core.values(), ...far.values()]) positions.add(Number(row.global_position));
    for (const row of edges.values()) positions.add(Number(row.global_position));
    const events = await this.eventsAt([...positions]);
    const nodes = [...[...core.values()].map((row) => nodeOf(row, 0, events)), ...[...far.values()].map((row) => nodeOf(row, 1, events))].sort(
      (a, b) => a.createdBy.globalPosition - b.createdBy.globalPosition || (a.id < b.id ? -1 : 1),
    );
    const unresolved = [...others].filter((id) => !far.has(id)).sort();
    return {
      scope: { ...scope },
      asOfPosition: projectedThrough,
      nodes,
      edges: [...edges.values()].map((row) => edgeOf(row, events)).sort((a, b) => a.createdBy.globalPosition - b.createdBy.globalPosition || (a.id < b.id ? -1 : 1)),
      complete: unresolved.length === 0 && [...positions].every((p) => events.has(p)),
      unresolvedNodeIds: unresolved,
    };
  }

  /** Breadth-first walk; returns the depth at which it stopped with more to see, or null. */
  private async walk(
    rootId: string,
    direction: 'UPSTREAM' | 'DOWNSTREAM',
    maxDepth: number,
    asOf: number,
    depths: Map<string, number>,
    edges: Map<string, EdgeRow>,
  ): Promise<number | null> {
    const near = direction === 'UPSTREAM' ? 'from_id' : 'to_id';
    const far = direction === 'UPSTREAM' ? 'to_id' : 'from_id';
    const seen = new Set<string>([rootId]);
    let frontier = [rootId];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const row of await this.edgesFrom(near, frontier, asOf)) {
        const edgeId = lineageEdgeId(Number(row.global_position), Number(row.ordinal));
        if (!edges.has(edgeId)) edges.set(edgeId, row);
        const other = row[far];
        if (seen.has(other)) continue;
        seen.add(other);
        const known = depths.get(other);
        if (known === undefined || known > depth) depths.set(other, depth);
        next.push(other);
      }
      if (depths.size > LINEAGE_MAX_NODES) return depth;
      frontier = next;
    }
    if (frontier.length === 0) return null;
    // Reached maxDepth: is there anything beyond? (Never silently partial.)
    const beyond = await this.edgesFrom(near, frontier, asOf, 1);
    return beyond.length > 0 ? maxDepth : null;
  }

  private async edgesFrom(column: 'from_id' | 'to_id', ids: readonly string[], asOf: number, limit?: number): Promise<EdgeRow[]> {
    const out: EdgeRow[] = [];
    for (const chunk of this.chunks(ids)) {
      const list = this.inList(chunk);
      const rows = await this.store.all<EdgeRow>(
        `${EDGE_FROM} WHERE d.${column} IN ${list.sql} AND d.global_position <= ?${limit ? ` LIMIT ${limit}` : ''}`,
        [...list.params, asOf],
      );
      out.push(...rows);
      if (limit && out.length >= limit) break;
    }
    return out;
  }

  /**
   * SQLite takes the whole id list as one JSON parameter (`json_each`): one prepared statement
   * per query whatever the frontier size, and one round trip per walk step. PostgreSQL gets
   * chunks of `?` placeholders.
   */
  private chunks<T>(ids: readonly T[]): T[][] {
    if (this.store.dialect === 'sqlite') return ids.length === 0 ? [] : [[...ids]];
    const out: T[][] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(ids.slice(i, i + IN_CHUNK));
    return out;
  }

  private inList(values: readonly (string | number)[]): { sql: string; params: (string | number)[] } {
    if (this.store.dialect === 'sqlite') return { sql: '(SELECT value FROM json_each(?))', params: [JSON.stringify(values)] };
    return { sql: `(${placeholders(values.length)})`, params: [...values] };
  }

  private async eventsAt(positions: readonly number[]): Promise<EventRefs> {
    const out: EventRefs = new Map();
    for (const chunk of this.chunks(positions)) {
      const list = this.inList(chunk);
      const rows = await this.store.all<EventRow>(
        `SELECT global_position, event_id, event_type, event_hash, recorded_at FROM ${LINEAGE_EVENT_TABLE} WHERE global_position IN ${list.sql}`,
        list.params,
      );
      for (const row of rows) {
        const position = Number(row.global_position);
        out.set(position, { eventId: row.event_id, type: row.event_type, hash: row.event_hash, globalPosition: position, recordedAt: row.recorded_at });
      }
    }
    return out;
  }

  private async nodesById(ids: readonly string[], asOf: number): Promise<Map<string, NodeRow>> {
    const out = new Map<string, NodeRow>();
    for (const chunk of this.chunks(ids)) {
      const list = this.inList(chunk);
      const rows = await this.store.all<NodeRow>(`${NODE_FROM} WHERE n.node_id IN ${list.sql} AND n.global_position <= ?`, [...list.params, asOf]);
      for (const row of rows) out.set(row.node_id, row);
    }
    return out;
  }
}
