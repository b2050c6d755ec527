import { streamIds } from '@radledger/domain';
import type { EventStore } from '@radledger/ledger';
import type { Actor } from '../auth/actor.js';

export const BLINDED_TEXT = '[blinded]';

/** Audit entries whose what/before/after name the model's decision. */
const DECISION_EVENTS = new Set(['ModelDecisionMade', 'DecisionOverridden']);
/** Lineage nodes whose label and attributes name the model's decision. */
const DECISION_NODES = new Set(['decision', 'decision-override']);

type Row = Record<string, unknown>;

/**
 * ICH E6(R3) / ICH E9 blinding: a monitor of a blinded trial must not see what the model decided
 * (decision, outputs, threshold, overrides), which would unblind the allocation it correlates with.
 * "Blinded" = every grant of the actor that covers the trial is `monitor`.
 */
export function blindedFor(actor: Actor | undefined, trialId: string): boolean {
  if (!actor) return false;
  const covering = actor.grants.filter((g) => g.trialId === undefined || g.trialId === trialId);
  return covering.length > 0 && covering.every((g) => g.role === 'monitor');
}

/** Trials registered with `blinded: true`, read from the trial stream's TrialRegistered (it never changes once recorded). */
export class BlindedTrials {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

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

/** Trial ids of every decision-bearing object inside a query result. */
export function decisionTrialIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  walk(value, (row) => {
    if (typeof row['trialId'] === 'string' && isDecisionBearing(row)) into.add(row['trialId']);
  });
  return into;
}

/** Replaces the decision fields of objects belonging to `blindedTrials` (in place; the result is a fresh copy). */
export function blindDecisions(value: unknown, blindedTrials: ReadonlySet<string>): void {
  walk(value, (row) => {
    if (typeof row['trialId'] !== 'string' || !blindedTrials.has(row['trialId']) || !isDecisionBearing(row)) return;
    if ('outputsJson' in row) {
      // The decision view.
      row['decision'] = BLINDED_TEXT;
      row['currentDecision'] = BLINDED_TEXT;
      row['outputsJson'] = JSON.stringify(BLINDED_TEXT);
      row['threshold'] = null;
      const override = row['override'] as Row | null | undefined;
      if (override && typeof override === 'object') override['decision'] = BLINDED_TEXT;
    } else if ('eventType' in row) {
      row['summary'] = `${String(row['eventType'])}: ${BLINDED_TEXT}`;
      row['beforeJson'] = null;
      row['afterJson'] = null;
    } else {
      row['label'] = `${String(row['type'])} ${String(row['refId'] ?? '')}`.trim();
      row['attributesJson'] = JSON.stringify({ blinded: true });
    }
  });
}

function isDecisionBearing(row: Row): boolean {
  if ('outputsJson' in row && 'decisionId' in row) return true;
  if (typeof row['eventType'] === 'string' && 'summary' in row) return DECISION_EVENTS.has(row['eventType']);
  return typeof row['type'] === 'string' && 'attributesJson' in row && DECISION_NODES.has(row['type']);
}

function walk(value: unknown, visit: (row: Row) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
  } else if (value && typeof value === 'object') {
    visit(value as Row);
    for (const v of Object.values(value as Row)) walk(v, visit);
  }
}
