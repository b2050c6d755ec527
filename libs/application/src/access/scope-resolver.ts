import { accountTrials, identityDecider, streamIds, type RecordKind, type TargetScope } from '@radledger/domain';
import type { EventStore, RecordedEvent } from '@radledger/ledger';
import { LINEAGE_ARTIFACT_TABLE, LINEAGE_NODE_TABLE, SCIENCE_TABLES, type ReadModelStore } from '@radledger/projections';
import type { CredentialStore } from '../identity/credential-store.port.js';

/** A record's place: the trials (and site) whose grants reach it, and who owns it when it is an account or a token. */
export interface ResolvedScope {
  scope: TargetScope;
  ownerId?: string;
}

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Finds the trial and site of the record an operation names, from the ledger (the record's
 * first event, or the acquisition it derives from), and from the read models for lineage
 * nodes and artifacts. `undefined`: no such record, so only a global grant reaches it (the
 * same answer a caller gets for a record of another trial: existence is not revealed).
 */
export class ScopeResolver {
  constructor(
    private readonly deps: {
      store: Pick<EventStore, 'readStream'> & { findEvent?(eventId: string): Promise<RecordedEvent | undefined> };
      readModels?: Pick<ReadModelStore, 'get'> & Partial<Pick<ReadModelStore, 'all'>>;
      credentials?: Pick<CredentialStore, 'apiTokenById'>;
    },
  ) {}

  async resolve(kind: RecordKind, id: string | undefined | null): Promise<ResolvedScope | undefined> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 300) return undefined;
    switch (kind) {
      case 'trial':
        return (await this.first(streamIds.trial(id))) ? { scope: { trialIds: [id] } } : undefined;
      case 'image':
        return this.fromAcquisition(id);
      case 'segmentation': {
        const created = await this.first(streamIds.segmentation(id));
        return created ? this.fromAcquisition(str(created['imageId'])) : undefined;
      }
      case 'feature-set':
        return this.fromData(await this.first(streamIds.featureSet(id)));
      case 'decision':
        return this.fromData(await this.first(streamIds.decision(id)));
      case 'model':
        return this.model(id);
      case 'model-version':
        return this.model(id.includes('@') ? id.slice(0, id.indexOf('@')) : id);
      case 'user':
        return this.user(id);
      case 'api-token': {
        const token = await this.deps.credentials?.apiTokenById(id);
        return token ? this.user(token.userId) : undefined;
      }
      case 'event':
        return this.event(id);
      case 'lineage-node':
        return this.lineageNode(id);
      case 'artifact':
        return this.artifact(id);
      case 'response':
        return this.response(id);
    }
  }

  /**
   * A subject's response record sits where its first timepoint's image sits (trial and site).
   * A bare pseudonym (the responseAssessment query) reaches every trial enrolling it, from the
   * subjects read model; the answer is then filtered to what the caller sees.
   */
  private async response(id: string): Promise<ResolvedScope | undefined> {
    const slash = id.indexOf('/');
    if (slash < 0) {
      const rows = (await this.deps.readModels?.all?.<{ trial_id: string; site_id: string | null }>(`SELECT trial_id, site_id FROM ${SCIENCE_TABLES.subject} WHERE subject_id = ? ORDER BY trial_id`, [id])) ?? [];
      if (rows.length === 0) return undefined;
      const siteId = rows.length === 1 && rows[0]!.site_id ? rows[0]!.site_id : undefined;
      return { scope: { trialIds: rows.map((r) => r.trial_id), ...(siteId ? { siteId } : {}) } };
    }
    const [first] = await this.deps.store.readStream(streamIds.responseAssessment(id.slice(0, slash), id.slice(slash + 1)));
    const data = first?.data as Data | undefined;
    const imageId = (data?.['imageIds'] as unknown[] | undefined)?.[0];
    if (!data || typeof imageId !== 'string') return undefined;
    const image = await this.fromAcquisition(imageId);
    // The image must be of the record's trial (the decider guarantees it; a mismatch reaches no one).
    return image && image.scope.trialIds.includes(String(data['trialId'])) ? image : undefined;
  }

  private async first(streamId: string): Promise<Data | undefined> {
    const [first] = await this.deps.store.readStream(streamId);
    return first?.data as Data | undefined;
  }

  private fromData(data: Data | undefined): ResolvedScope | undefined {
    const trialId = str(data?.['trialId']);
    if (!trialId) return undefined;
    const siteId = str(data?.['siteId']);
    return { scope: { trialIds: [trialId], ...(siteId ? { siteId } : {}) } };
  }

  private async fromAcquisition(imageId: string | undefined): Promise<ResolvedScope | undefined> {
    return imageId ? this.fromData(await this.first(streamIds.image(imageId))) : undefined;
  }

  /**
   * A model belongs to the trials any of its versions was locked in (there its decisions are
   * made); a model never locked belongs to the trials its training lineage names.
   */
  private async model(modelId: string): Promise<ResolvedScope | undefined> {
    const events = await this.deps.store.readStream(streamIds.model(modelId));
    if (events.length === 0) return undefined;
    const locked = new Set<string>();
    const trained = new Set<string>();
    for (const e of events) {
      const d = e.data as Data;
      if (e.type === 'ModelRegistered') for (const t of ((d['trainingLineage'] as Data | undefined)?.['trialIds'] as unknown[] | undefined) ?? []) if (str(t)) trained.add(t as string);
      if (e.type === 'ModelLocked' && str(d['trialId'])) locked.add(d['trialId'] as string);
    }
    return { scope: { trialIds: [...(locked.size > 0 ? locked : trained)].sort() } };
  }

  private async user(userId: string): Promise<ResolvedScope | undefined> {
    const events = await this.deps.store.readStream(streamIds.user(userId));
    if (events.length === 0) return undefined;
    const state = events.reduce((s, e) => identityDecider.evolve(s, { type: e.type, data: e.data } as never), identityDecider.initialState());
    const { global, trialIds } = accountTrials(state);
    return { scope: { trialIds: global ? [] : trialIds }, ownerId: userId };
  }

  /** An event belongs where its record belongs: its own data names the trial, or its stream's record does. */
  private async event(eventId: string): Promise<ResolvedScope | undefined> {
    const event = await this.deps.store.findEvent?.(eventId);
    if (!event) return undefined;
    const own = this.fromData(event.data as Data);
    if (own) return own;
    const dash = event.streamId.indexOf('-');
    const prefix = event.streamId.slice(0, dash);
    const rest = event.streamId.slice(dash + 1);
    switch (prefix) {
      case 'image':
        return this.fromAcquisition(rest);
      case 'segmentation':
        return this.resolve('segmentation', rest);
      case 'featureset':
        return this.resolve('feature-set', rest);
      case 'decision':
        return this.resolve('decision', rest);
      case 'model':
        return this.model(rest);
      case 'trial':
        return this.resolve('trial', rest);
      case 'response':
        return this.response(rest);
      case 'user':
        return this.user(rest);
      case 'signatures':
      case 'redaction':
        // A signature or a redaction sits with the record it is about.
        return rest === eventId ? undefined : this.event(rest);
      default:
        return undefined;
    }
  }

  private async lineageNode(id: string): Promise<ResolvedScope | undefined> {
    const store = this.deps.readModels;
    if (!store) return undefined;
    const row =
      (await store.get<{ node_type: string; ref_id: string | null; trial_id: string | null; site_id: string | null }>(`SELECT node_type, ref_id, trial_id, site_id FROM ${LINEAGE_NODE_TABLE} WHERE node_id = ?`, [id])) ??
      (await store.get<{ node_type: string; ref_id: string | null; trial_id: string | null; site_id: string | null }>(
        `SELECT node_type, ref_id, trial_id, site_id FROM ${LINEAGE_NODE_TABLE} WHERE ref_id = ? ORDER BY global_position LIMIT 1`,
        [id],
      ));
    if (!row) return undefined;
    if (row.trial_id) return { scope: { trialIds: [row.trial_id], ...(row.site_id ? { siteId: row.site_id } : {}) } };
    if (row.node_type === 'model-version' && row.ref_id) return this.resolve('model-version', row.ref_id);
    return undefined;
  }

  private async artifact(sha256: string): Promise<ResolvedScope | undefined> {
    const row = await this.deps.readModels?.get<{ node_id: string }>(`SELECT node_id FROM ${LINEAGE_ARTIFACT_TABLE} WHERE sha256 = ?`, [sha256]);
    return row ? this.lineageNode(row.node_id) : undefined;
  }
}
