import { blindedIn, streamIds, type ResultPolicy, type Visibility } from '@radledger/domain';
import type { EventStore } from '@radledger/ledger';
import type { Caller } from './caller.js';

export const BLINDED_TEXT = '[blinded]';

/** Events and lineage nodes that say what the model decided. */
export const DECISION_EVENT_TYPES: ReadonlySet<string> = new Set(['ModelDecisionMade', 'DecisionOverridden']);
const DECISION_NODE_TYPES: ReadonlySet<string> = new Set(['decision', 'decision-override']);

type Row = Record<string, unknown>;

/** Trials registered with `blinded: true` (TrialRegistered never changes once recorded, so the answer is cached). */
export class BlindedTrials {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

  /** The trial a decision-bearing event belongs to: named in it, or in its decision's first event. */
  async trialOfDecisionEvent(event: { streamId?: unknown; data?: unknown }): Promise<string | undefined> {
    const own = (event.data as { trialId?: unknown } | undefined)?.trialId;
    if (typeof own === 'string') return own;
    if (typeof event.streamId !== 'string') return undefined;
    const [first] = await this.store.readStream(event.streamId);
    const trialId = (first?.data as { trialId?: unknown } | undefined)?.trialId;
    return typeof trialId === 'string' ? trialId : undefined;
  }

  async isBlinded(trialId: string): Promise<boolean> {
    const cached = this.known.get(trialId);
    if (cached !== undefined) return cached;
    const [first] = await this.store.readStream(streamIds.trial(trialId));
    if (!first) return false;
    const blinded = first.type === 'TrialRegistered' && (first.data as { blinded?: unknown }).blinded === true;
    this.known.set(trialId, blinded);
    return blinded;
  }
}

/**
 * What a caller may see of a query's answer, applied to every read path by its declared result
 * policy: objects of trials and sites outside the caller's grants are dropped (lineage nodes with
 * their edges), and for a monitor of a blinded trial (ICH E6(R3), ICH E9) every value that says
 * what the model decided is replaced, wherever it sits: decision views, audit entries, lineage
 * nodes, PROV documents, inclusion-proof payloads and decision re-runs.
 */
export class ReadPolicy {
  constructor(private readonly blinded: BlindedTrials) {}

  async apply<T>(policy: ResultPolicy, value: T, caller: Caller | undefined, visibility: Visibility): Promise<T> {
    if (!caller || policy === 'none' || value === null || value === undefined) return value;
    switch (policy) {
      case 'rows':
        return (await this.blindRows(filterRows(value, visibility, undefined) as T, caller)) as T;
      case 'lineage':
        return (await this.blindRows(filterLineage(value as unknown as Row, visibility) as T, caller)) as T;
      case 'event':
        return (await this.blindEventPayload(value as unknown as Row, caller)) as T;
      case 'reproduction':
        return (await this.blindRows(value, caller)) as T;
    }
  }

  /**
   * An inclusion proof of an event that says what the model decided, for a caller blinded in its
   * trial: the leaf hash and the proof stand (inclusion is still provable), the canonical bytes
   * are withheld.
   */
  private async blindEventPayload(value: Row, caller: Caller): Promise<Row> {
    if (typeof value['canonical'] !== 'string' || !caller.grants.some((g) => g.role === 'monitor')) return value;
    let event: { type?: unknown; streamId?: unknown; data?: unknown };
    try {
      event = JSON.parse(value['canonical']) as typeof event;
    } catch {
      return value;
    }
    if (typeof event.type !== 'string' || !DECISION_EVENT_TYPES.has(event.type)) return value;
    const trialId = await this.blinded.trialOfDecisionEvent(event);
    if (!trialId || (await this.blindedTrialsFor(caller, [trialId])).size === 0) return value;
    return { ...value, canonical: null, blinded: true };
  }

  /** Trials among `trialIds` whose decisions this caller must not see. */
  async blindedTrialsFor(caller: Caller, trialIds: Iterable<string>): Promise<Set<string>> {
    const out = new Set<string>();
    for (const trialId of trialIds) if (blindedIn(caller.grants, trialId) && (await this.blinded.isBlinded(trialId))) out.add(trialId);
    return out;
  }

  private async blindRows<T>(value: T, caller: Caller): Promise<T> {
    if (!caller.grants.some((g) => g.role === 'monitor')) return value;
    const trials = new Set<string>();
    walk(value, undefined, (row, trialId) => {
      if (trialId && isDecisionBearing(row)) trials.add(trialId);
    });
    const blinded = await this.blindedTrialsFor(caller, trials);
    if (blinded.size === 0) return value;
    walk(value, undefined, (row, trialId) => {
      if (trialId && blinded.has(trialId) && isDecisionBearing(row)) blindRow(row);
    });
    return value;
  }
}

/** Drops array members (and nulls object members) whose trial/site the caller does not see; rows inherit the trial of the object around them. */
export function filterRows(value: unknown, visibility: Visibility, trialId: string | undefined): unknown {
  if (visibility.global) return value;
  if (Array.isArray(value)) {
    return value.filter((v) => !isHidden(v, visibility, trialId)).map((v) => filterRows(v, visibility, trialId));
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const row = value as Row;
    const own = typeof row['trialId'] === 'string' ? (row['trialId'] as string) : trialId;
    for (const [key, child] of Object.entries(row)) {
      if (child && typeof child === 'object') {
        if (isHidden(child, visibility, own)) row[key] = null;
        else row[key] = filterRows(child, visibility, own);
      }
    }
  }
  return value;
}

function isHidden(value: unknown, visibility: Visibility, inheritedTrial: string | undefined): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const row = value as Row;
  const hasTrial = typeof row['trialId'] === 'string';
  const hasSite = typeof row['siteId'] === 'string';
  if (!hasTrial && !hasSite) return false;
  const trialId = hasTrial ? (row['trialId'] as string) : inheritedTrial;
  return !visibility.sees(trialId, hasSite ? (row['siteId'] as string) : undefined);
}

/** A lineage graph without the nodes the caller may not see, the edges touching them, and `complete: false` when anything was left out. */
export function filterLineage(graph: Row, visibility: Visibility): Row {
  if (visibility.global || !Array.isArray(graph['nodes'])) return graph;
  const nodes = graph['nodes'] as Row[];
  const hidden = new Set(nodes.filter((n) => typeof n['trialId'] === 'string' && !visibility.sees(n['trialId'] as string, (n['siteId'] as string | null) ?? undefined)).map((n) => n['id'] as string));
  if (hidden.size === 0) return graph;
  const edges = ((graph['edges'] as Row[] | undefined) ?? []).filter((e) => !hidden.has(e['from'] as string) && !hidden.has(e['to'] as string));
  return { ...graph, nodes: nodes.filter((n) => !hidden.has(n['id'] as string)), edges, complete: false, restrictedNodes: hidden.size };
}

function isDecisionBearing(row: Row): boolean {
  if ('decisionId' in row && ('outputs' in row || 'currentDecision' in row)) return true;
  if (typeof row['eventType'] === 'string' && DECISION_EVENT_TYPES.has(row['eventType'])) return true;
  if (typeof row['type'] === 'string' && DECISION_EVENT_TYPES.has(row['type']) && 'canonical' in row) return true;
  return typeof row['type'] === 'string' && 'attributes' in row && DECISION_NODE_TYPES.has(row['type']);
}

function blindRow(row: Row): void {
  if ('currentDecision' in row || 'outputs' in row) {
    // A decision view or a decision re-run.
    for (const key of ['decision', 'currentDecision']) if (key in row) row[key] = BLINDED_TEXT;
    if ('outputs' in row) row['outputs'] = BLINDED_TEXT;
    if ('threshold' in row) row['threshold'] = null;
    // The explanation's modelOutput is the decision's score in another unit.
    if ('explanation' in row) row['explanation'] = null;
    const override = row['override'] as Row | null | undefined;
    if (override && typeof override === 'object') override['decision'] = BLINDED_TEXT;
  } else if ('canonical' in row) {
    // An event with its canonical bytes (inclusion proof): the proof stands, the payload is withheld.
    row['canonical'] = null;
    row['blinded'] = true;
  } else if ('eventType' in row) {
    row['summary'] = `${String(row['eventType'])}: ${BLINDED_TEXT}`;
    row['before'] = null;
    row['after'] = null;
  } else {
    row['label'] = `${String(row['type'])} ${String(row['refId'] ?? '')}`.trim();
    row['attributes'] = { blinded: true };
  }
}

/** Visits every object with the nearest trial id around it. */
function walk(value: unknown, trialId: string | undefined, visit: (row: Row, trialId: string | undefined) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, trialId, visit);
  } else if (value && typeof value === 'object') {
    const row = value as Row;
    const own = typeof row['trialId'] === 'string' ? (row['trialId'] as string) : trialId;
    visit(row, own);
    for (const v of Object.values(row)) walk(v, own, visit);
  }
}
