import type { SqlScalar } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { AUDIT_ENTRY_TABLE } from '../projections/audit-trail.projection.js';
import { MONITORING_TABLES } from '../projections/monitoring.projection.js';
import { invalidArgument, parseJson, placeholders, requireIsoTime } from './query-errors.js';

export interface AuditTrailFilter {
  trialId?: string;
  siteId?: string;
  subjectId?: string;
  /** User id of the person who recorded the event. */
  actor?: string;
  types?: string[];
  /** Only entries of these trials (the caller's visibility; empty = none). */
  trialIds?: readonly string[];
  /** Only entries of these sites (a site-scoped caller's visibility; empty = none). */
  siteIds?: readonly string[];
  /** Inclusive UTC bounds on `recordedAt`. */
  from?: string;
  to?: string;
}

/** One audit-trail line (21 CFR 11.10(e)): who, what, when, why, and before/after for edits. */
export interface AuditEntry {
  globalPosition: number;
  eventId: string;
  eventType: string;
  eventHash: string;
  streamId: string;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  entityId: string | null;
  actor: string | null;
  actorName: string | null;
  role: string | null;
  onBehalfOf: string | null;
  reason: string | null;
  recordedAt: string | null;
  client: string | null;
  summary: string;
  before: unknown;
  after: unknown;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;

/** Opaque Relay cursor: the entry's global position. */
export function encodeAuditCursor(position: number): string {
  return Buffer.from(`audit:${position}`, 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^audit:(\d{1,16})$/.exec(text);
  if (!match) throw invalidArgument('CURSOR_INVALID', 'after', 'a cursor returned by auditTrail', cursor);
  return Number(match[1]);
}

interface AuditRow {
  global_position: number;
  event_id: string;
  event_type: string;
  event_hash: string;
  stream_id: string;
  trial_id: string | null;
  site_id: string | null;
  subject_id: string | null;
  entity_id: string | null;
  actor: string | null;
  actor_name: string | null;
  role: string | null;
  on_behalf_of: string | null;
  reason: string | null;
  recorded_at: string | null;
  client: string | null;
  summary: string;
  before_state: string | null;
  after_state: string | null;
}

export function auditEntryOf(row: AuditRow): AuditEntry {
  return {
    globalPosition: Number(row.global_position),
    eventId: row.event_id,
    eventType: row.event_type,
    eventHash: row.event_hash,
    streamId: row.stream_id,
    trialId: row.trial_id,
    siteId: row.site_id,
    subjectId: row.subject_id,
    entityId: row.entity_id,
    actor: row.actor,
    actorName: row.actor_name ?? null,
    role: row.role,
    onBehalfOf: row.on_behalf_of,
    reason: row.reason,
    recordedAt: row.recorded_at,
    client: row.client,
    summary: row.summary,
    before: parseJson(row.before_state),
    after: parseJson(row.after_state),
  };
}

export const AUDIT_SELECT = `SELECT a.global_position, a.event_id, a.event_type, a.event_hash, a.stream_id, a.trial_id, a.site_id, a.subject_id, a.entity_id,
  a.actor, p.printed_name AS actor_name, a.role, a.on_behalf_of, a.reason, a.recorded_at, a.client, a.summary, a.before_state, a.after_state
  FROM ${AUDIT_ENTRY_TABLE} a LEFT JOIN ${MONITORING_TABLES.person} p ON p.user_id = a.actor`;

/** WHERE clause (on alias `a`) and parameters for a filter. */
export function auditFilterSql(filter: AuditTrailFilter): { where: string[]; params: SqlScalar[] } {
  const where: string[] = [];
  const params: SqlScalar[] = [];
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined || value === null) return;
    where.push(`a.${column} = ?`);
    params.push(value);
  };
  equal('trial_id', filter.trialId);
  equal('site_id', filter.siteId);
  equal('subject_id', filter.subjectId);
  equal('actor', filter.actor);
  for (const [column, values] of [['trial_id', filter.trialIds], ['site_id', filter.siteIds]] as const) {
    if (values === undefined) continue;
    if (values.length === 0) where.push('1 = 0');
    else {
      where.push(`a.${column} IN (${placeholders(values.length)})`);
      params.push(...values);
    }
  }
  if (filter.types && filter.types.length > 0) {
    if (filter.types.length > 100) throw invalidArgument('FILTER_INVALID', 'filter.types', 'at most 100 event types', filter.types.length);
    where.push(`a.event_type IN (${placeholders(filter.types.length)})`);
    params.push(...filter.types);
  }
  if (filter.from !== undefined && filter.from !== null) {
    where.push('a.recorded_at >= ?');
    params.push(requireIsoTime('filter.from', filter.from));
  }
  if (filter.to !== undefined && filter.to !== null) {
    where.push('a.recorded_at <= ?');
    params.push(requireIsoTime('filter.to', filter.to));
  }
  return { where, params };
}

/** The audit trail in ledger order with Relay cursor paging (forward: `first`/`after`). */
export class AuditTrailQuery {
  constructor(private readonly store: ReadModelStore) {}

  async page(filter: AuditTrailFilter = {}, first = AUDIT_PAGE_DEFAULT, after?: string | null): Promise<Page<AuditEntry>> {
    if (!Number.isSafeInteger(first) || first < 0 || first > AUDIT_PAGE_MAX) {
      throw invalidArgument('PAGE_SIZE_INVALID', 'first', `an integer from 0 to ${AUDIT_PAGE_MAX}`, first);
    }
    const afterPosition = after === undefined || after === null ? undefined : decodeAuditCursor(after);
    const { where, params } = auditFilterSql(filter);
    const pageWhere = [...where];
    const pageParams = [...params];
    if (afterPosition !== undefined) {
      pageWhere.push('a.global_position > ?');
      pageParams.push(afterPosition);
    }
    const rows = await this.store.all<AuditRow>(
      `${AUDIT_SELECT}${pageWhere.length ? ` WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY a.global_position LIMIT ?`,
      [...pageParams, first + 1],
    );
    const hasNextPage = rows.length > first;
    const pageRows = rows.slice(0, first);
    let hasPreviousPage = false;
    if (afterPosition !== undefined) {
      const earlier = await this.store.get(
        `SELECT 1 AS found FROM ${AUDIT_ENTRY_TABLE} a WHERE ${[...where, 'a.global_position <= ?'].join(' AND ')} LIMIT 1`,
        [...params, afterPosition],
      );
      hasPreviousPage = earlier !== undefined;
    }
    const edges = pageRows.map((row) => ({ cursor: encodeAuditCursor(Number(row.global_position)), node: auditEntryOf(row) }));
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
