import { NotFoundError } from '@radledger/platform';
import type { ReadModelStore } from '../read-model-store.port.js';
import { lineageIds } from '../projections/lineage.projection.js';
import { MONITORING_TABLES as T } from '../projections/monitoring.projection.js';
import { LINEAGE_MAX_DEPTH, LineageQuery, type LedgerEventRef, type LineageGraph, type LineageNode } from './lineage.query.js';
import { MonitoringQuery, deviationReasons, type DeviationReason, type SignatureView } from './monitoring.query.js';
import { parseJson } from './query-errors.js';

export interface PersonView {
  userId: string;
  printedName: string | null;
}

export interface DecisionView {
  decisionId: string;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  decision: string | null;
  /** After any override. */
  currentDecision: string | null;
  outputs: unknown;
  threshold: number | null;
  /** Per-input contributions to the model output, recorded with the decision (null: none recorded). */
  explanation: DecisionExplanationView | null;
  madeBy: PersonView | null;
  madeAt: string | null;
  event: LedgerEventRef;
  override: { decision: string | null; reason: string | null; by: string | null; at: string | null } | null;
  model: {
    modelId: string | null;
    version: string | null;
    /** The hash verified at inference time and recorded in the decision. */
    sha256: string | null;
    registeredSha256: string | null;
    /** The version and hash locked for the trial when the decision was recorded. */
    lockedVersion: string | null;
    lockedSha256: string | null;
    lockedVersionMatches: boolean;
    hashMatchesLock: boolean;
    complianceIssues: DeviationReason[];
  };
  featureSet: LineageNode | null;
  masks: LineageNode[];
  images: LineageNode[];
  preprocessing: LineageNode[];
  sites: Array<{ siteId: string; name: string | null }>;
  people: PersonView[];
  software: LineageNode[];
  /** Signatures on the decision record (21 CFR 11.50: printed name, time, meaning). */
  signatures: SignatureView[];
  /** The full upstream lineage the fields above were read from. */
  lineage: LineageGraph;
}

export interface DecisionExplanationView {
  method: string;
  outputSpace: string;
  expectedValue: number;
  modelOutput: number;
  contributions: Array<{ featureCode: string; value: number; contribution: number }>;
  reference: { sha256: string; rows: number };
  additivityError: number;
}

/** Everything behind one decision: model (and whether it was the locked one), features, masks, images, people, signatures. */
export class DecisionQuery {
  private readonly lineageQuery: LineageQuery;
  private readonly monitoring: MonitoringQuery;

  constructor(private readonly store: ReadModelStore) {
    this.lineageQuery = new LineageQuery(store);
    this.monitoring = new MonitoringQuery(store);
  }

  async decision(decisionId: string): Promise<DecisionView> {
    const row = await this.store.get<Record<string, unknown>>(`SELECT * FROM ${T.decision} WHERE decision_id = ?`, [decisionId]);
    if (!row) throw new NotFoundError(`id: no recorded decision ${JSON.stringify(decisionId)}`, { id: decisionId });
    const lineage = await this.lineageQuery.lineage({ id: lineageIds.decision(decisionId), direction: 'UPSTREAM', maxDepth: LINEAGE_MAX_DEPTH });
    const modelId = (row['model_id'] as string | null) ?? null;
    const version = (row['model_version'] as string | null) ?? null;
    const registered = modelId && version
      ? await this.store.get<{ artifact_sha256: string | null }>(`SELECT artifact_sha256 FROM ${T.modelVersion} WHERE model_id = ? AND version = ?`, [modelId, version])
      : undefined;
    const compliance = {
      model_version: version,
      locked_version: (row['locked_version'] as string | null) ?? null,
      model_sha256: (row['model_sha256'] as string | null) ?? null,
      locked_sha256: (row['locked_sha256'] as string | null) ?? null,
    };
    // Only the decision's own inputs: the model's training data is upstream too, but it is not "this decision's" feature set or masks.
    const ownFeatureSetId = row['feature_set_id'] ? lineageIds.featureSet(String(row['feature_set_id'])) : null;
    const own = this.ownInputs(lineage);
    const byType = (type: string) => lineage.nodes.filter((n) => n.type === type && own.has(n.id));
    const userIds = [...new Set(lineage.nodes.filter((n) => n.type === 'user' && own.has(n.id)).map((n) => n.refId ?? n.id))];
    const people = await this.people(userIds);
    const madeById = (row['made_by'] as string | null) ?? null;
    const siteNodes = byType('site');
    const signatures = await this.monitoring.signaturesOn([String(row['event_id'])]);
    return {
      decisionId,
      trialId: (row['trial_id'] as string | null) ?? null,
      siteId: (row['site_id'] as string | null) ?? null,
      subjectId: (row['subject_id'] as string | null) ?? null,
      decision: (row['decision'] as string | null) ?? null,
      currentDecision: (row['current_decision'] as string | null) ?? null,
      outputs: parseJson(row['outputs']),
      threshold: row['threshold'] === null || row['threshold'] === undefined ? null : Number(row['threshold']),
      explanation: row['explanation'] ? (parseJson(row['explanation']) as DecisionExplanationView) : null,
      madeBy: madeById ? (people.find((p) => p.userId === madeById) ?? { userId: madeById, printedName: null }) : null,
      madeAt: (row['recorded_at'] as string | null) ?? null,
      event: {
        eventId: String(row['event_id']),
        type: String(row['event_type']),
        hash: String(row['event_hash']),
        globalPosition: Number(row['global_position']),
        recordedAt: (row['recorded_at'] as string | null) ?? null,
      },
      override: row['overridden_by']
        ? { decision: (row['current_decision'] as string | null) ?? null, reason: (row['override_reason'] as string | null) ?? null, by: row['overridden_by'] as string, at: (row['overridden_at'] as string | null) ?? null }
        : null,
      model: {
        modelId,
        version,
        sha256: compliance.model_sha256,
        registeredSha256: registered?.artifact_sha256 ?? null,
        lockedVersion: compliance.locked_version,
        lockedSha256: compliance.locked_sha256,
        lockedVersionMatches: compliance.locked_version !== null && compliance.locked_version === version,
        hashMatchesLock: compliance.locked_sha256 !== null && compliance.locked_sha256 === compliance.model_sha256,
        complianceIssues: deviationReasons(compliance),
      },
      featureSet: ownFeatureSetId ? (lineage.nodes.find((n) => n.id === ownFeatureSetId) ?? null) : null,
      masks: byType('mask-version'),
      images: byType('image'),
      preprocessing: byType('preprocessed-image'),
      sites: siteNodes.map((n) => ({ siteId: n.refId ?? n.id, name: n.label })),
      people,
      software: byType('software'),
      signatures,
      lineage,
    };
  }

  /** Nodes reachable upstream from the decision without passing through the model version (whose upstream is its training data). */
  private ownInputs(lineage: LineageGraph): Set<string> {
    const modelNodes = new Set(lineage.nodes.filter((n) => n.type === 'model-version').map((n) => n.id));
    const out = new Map<string, string[]>();
    for (const edge of lineage.edges) {
      if (!out.has(edge.from)) out.set(edge.from, []);
      out.get(edge.from)!.push(edge.to);
    }
    const seen = new Set<string>([lineage.root.id]);
    const stack = [lineage.root.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (modelNodes.has(id)) continue;
      for (const next of out.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return seen;
  }

  private async people(userIds: readonly string[]): Promise<PersonView[]> {
    if (userIds.length === 0) return [];
    const rows = await this.store.all<{ user_id: string; printed_name: string | null }>(
      `SELECT user_id, printed_name FROM ${T.person} WHERE user_id IN (${userIds.map(() => '?').join(', ')})`,
      [...userIds],
    );
    const names = new Map(rows.map((r) => [r.user_id, r.printed_name]));
    return userIds.map((userId) => ({ userId, printedName: names.get(userId) ?? null })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }
}
