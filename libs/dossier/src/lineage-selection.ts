import type { EventStore, RecordedEvent } from '@radledger/ledger';
import { streamIds, upcast } from '@radledger/domain';

/** Which decisions the dossier is about. */
export interface DossierScope {
  trialId: string;
  /** A model version as `<version>`, `<modelId>@<version>` or `<modelId>:<version>`; all versions when absent. */
  modelVersion?: string;
  /**
   * Walk the training data lineage of every included model version too (FDA AI-enabled device
   * software draft guidance §VIII: the data a model was developed on is part of its provenance,
   * and test-set sequestration can only be shown with it). Default true.
   */
  includeTrainingLineage?: boolean;
}

/** What one pass over the whole ledger learned that the lineage walk needs. */
export interface LedgerScanIndex {
  /** Stream ids of the selected decisions, in ledger order. */
  decisionStreams: string[];
  /** Ids of events that have at least one RecordSigned on them. */
  signedEventIds: Set<string>;
  /**
   * Model versions locked for the trial (matching the version filter), with or without decisions:
   * a regulator asks what was released for the trial, not only what has decided so far.
   */
  lockedVersions: Array<{ streamId: string; version: string }>;
  /** Image streams with a protocol deviation in the trial (whole-trial scope): protocol adherence covers every image, not only those upstream of decisions. */
  deviationImageStreams: string[];
}

export function emptyScanIndex(): LedgerScanIndex {
  return { decisionStreams: [], signedEventIds: new Set(), lockedVersions: [], deviationImageStreams: [] };
}

/** The included events as a bitmap over global positions: no event is held in memory. */
export class PositionSet {
  private bits: Uint8Array;
  count = 0;
  max = -1;

  constructor(capacity: number) {
    this.bits = new Uint8Array(Math.max(1, Math.ceil(capacity / 8)));
  }

  add(position: number): boolean {
    if (position >= this.bits.length * 8) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, Math.ceil((position + 1) / 8)));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (position & 7);
    const byte = position >>> 3;
    if (this.bits[byte]! & mask) return false;
    this.bits[byte]! |= mask;
    this.count++;
    if (position > this.max) this.max = position;
    return true;
  }

  has(position: number): boolean {
    return position < this.bits.length * 8 && (this.bits[position >>> 3]! & (1 << (position & 7))) !== 0;
  }

  /** Positions in increasing order. */
  *[Symbol.iterator](): Generator<number> {
    for (let byte = 0; byte <= this.max >>> 3; byte++) {
      const b = this.bits[byte]!;
      if (b === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) yield byte * 8 + bit;
    }
  }
}

export interface LineageSelection {
  positions: PositionSet;
  decisions: number;
}

type Data = Record<string, unknown>;
const str = (d: Data, key: string): string | undefined => (typeof d[key] === 'string' ? (d[key] as string) : undefined);

/** `<version>`, `<modelId>@<version>` or `<modelId>:<version>` → matcher on (modelId, version). */
export function modelVersionMatcher(spec: string | undefined): (modelId: string, version: string) => boolean {
  if (spec === undefined || spec === '') return () => true;
  const at = spec.includes('@') ? spec.lastIndexOf('@') : spec.lastIndexOf(':');
  if (at > 0) {
    const id = spec.slice(0, at);
    const v = spec.slice(at + 1);
    return (modelId, version) => modelId === id && version === v;
  }
  return (_modelId, version) => version === spec;
}

/**
 * Is this ledger event one of the selected decisions? Used during the full scan; canonical
 * JSON has no whitespace, so the type test is a substring test before any parsing.
 */
export function scanEvent(canonical: string, scope: DossierScope, index: LedgerScanIndex, matches: (modelId: string, version: string) => boolean): void {
  if (canonical.includes('"type":"ModelDecisionMade"')) {
    const e = JSON.parse(canonical) as { type: string; streamId: string; data: Data };
    if (e.type === 'ModelDecisionMade' && e.data['trialId'] === scope.trialId && matches(String(e.data['modelId']), String(e.data['modelVersion']))) {
      index.decisionStreams.push(e.streamId);
    }
  } else if (canonical.includes('"type":"ModelLocked"')) {
    const e = JSON.parse(canonical) as { type: string; streamId: string; data: Data };
    if (e.type === 'ModelLocked' && e.data['trialId'] === scope.trialId && matches(String(e.data['modelId']), String(e.data['version']))) {
      index.lockedVersions.push({ streamId: e.streamId, version: String(e.data['version']) });
    }
  } else if (canonical.includes('"type":"ProtocolDeviationDetected"')) {
    const e = JSON.parse(canonical) as { type: string; streamId: string; data: Data };
    if (e.type === 'ProtocolDeviationDetected' && e.data['trialId'] === scope.trialId && !scope.modelVersion) index.deviationImageStreams.push(e.streamId);
  } else if (canonical.includes('"type":"RecordSigned"')) {
    const e = JSON.parse(canonical) as { type: string; data: Data };
    if (e.type === 'RecordSigned' && typeof e.data['eventId'] === 'string') index.signedEventIds.add(e.data['eventId']);
  }
}

/**
 * Walks upstream from the selected decisions, the model versions locked for the trial and (whole
 * trial) the images with protocol deviations, through the references the events carry
 * (DESIGN "Lineage model"): decision → feature set → image (acquisition, preprocessing,
 * protocol deviations) and mask version with its ancestors and reviews → model version
 * (registration, PCCP, validation, lock, retirement; training feature sets) → trial,
 * sites, subjects, protocols → signatures on any included event. Streams are read one
 * aggregate at a time (`readStream`), so memory follows the lineage, not the ledger.
 */
export async function selectLineage(store: Pick<EventStore, 'readStream'>, scope: DossierScope, index: LedgerScanIndex, ledgerSize: number): Promise<LineageSelection> {
  const positions = new PositionSet(ledgerSize);
  const includeTraining = scope.includeTrainingLineage ?? true;
  const seen = new Set<string>();
  const queue: Array<{ streamId: string; key?: string }> = [];
  const trials = new Map<string, { sites: Set<string>; subjects: Set<string>; protocols: Set<string> }>();
  const signedIncluded: string[] = [];
  const trialOf = (trialId: string) => {
    let t = trials.get(trialId);
    if (!t) trials.set(trialId, (t = { sites: new Set(), subjects: new Set(), protocols: new Set() }));
    return t;
  };
  const enqueue = (streamId: string, key?: string) => {
    const id = key === undefined ? streamId : `${streamId}#${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    queue.push({ streamId, key });
  };
  const include = (e: RecordedEvent) => {
    if (positions.add(Number(e.globalPosition)) && index.signedEventIds.has(e.eventId)) signedIncluded.push(e.eventId);
  };
  const context = (d: Data) => {
    const trialId = str(d, 'trialId');
    if (!trialId) return;
    const t = trialOf(trialId);
    const site = str(d, 'siteId');
    const subject = str(d, 'subjectId');
    const protocol = str(d, 'protocolId');
    if (site) t.sites.add(site);
    if (subject) t.subjects.add(subject);
    if (protocol) t.protocols.add(protocol);
  };

  for (const s of index.decisionStreams) enqueue(s);
  for (const lock of index.lockedVersions) enqueue(lock.streamId, lock.version);
  for (const s of index.deviationImageStreams) enqueue(s);
  const read = async (streamId: string) => (await store.readStream(streamId)).map((e) => upcast(e));

  // A head index instead of shift(): the queue can hold tens of thousands of streams.
  for (let head = 0; head < queue.length; head++) {
    const { streamId, key } = queue[head]!;
    const events = await read(streamId);
    if (streamId.startsWith('decision-') || streamId.startsWith('featureset-') || streamId.startsWith('image-')) {
      for (const e of events) {
        include(e);
        const d = e.data as Data;
        context(d);
        if (e.type === 'ModelDecisionMade') {
          enqueue(streamIds.featureSet(String(d['featureSetId'])));
          enqueue(streamIds.model(String(d['modelId'])), String(d['modelVersion']));
        } else if (e.type === 'FeaturesComputed') {
          enqueue(streamIds.image(String(d['imageId'])));
          enqueue(streamIds.segmentation(String(d['segmentationId'])), String(d['maskVersionId']));
        }
      }
    } else if (streamId.startsWith('segmentation-')) {
      // The mask version used and its ancestors (parent chain), with the reviews of those versions.
      const parent = new Map<string, string | undefined>();
      for (const e of events) {
        const d = e.data as Data;
        if (e.type === 'SegmentationCreated') parent.set(String(d['versionId']), undefined);
        if (e.type === 'SegmentationEdited') parent.set(String(d['versionId']), str(d, 'parentVersionId'));
      }
      const wanted = new Set<string>();
      for (let v: string | undefined = key; v !== undefined && !wanted.has(v); v = parent.get(v)) wanted.add(v);
      for (const e of events) {
        const d = e.data as Data;
        if (!wanted.has(String(d['versionId']))) continue;
        include(e);
        context(d);
        if (e.type === 'SegmentationCreated') enqueue(streamIds.image(String(d['imageId'])));
      }
    } else if (streamId.startsWith('model-')) {
      const plans = new Set<string>();
      for (const e of events) {
        const d = e.data as Data;
        const mine = d['version'] === key;
        if (e.type === 'ChangeControlPlanRecorded' || (mine && ['ModelRegistered', 'ModelValidationRecorded', 'ModelLocked', 'ModelRetired'].includes(e.type))) {
          include(e);
          if (e.type === 'ModelValidationRecorded') plans.add(String(d['planId']));
          if (e.type === 'ModelLocked') trialOf(String(d['trialId']));
          if (e.type === 'ModelRegistered' && includeTraining) {
            const lineage = (d['trainingLineage'] ?? {}) as { featureSetIds?: unknown };
            for (const fs of Array.isArray(lineage.featureSetIds) ? lineage.featureSetIds : []) enqueue(streamIds.featureSet(String(fs)));
          }
        }
      }
    }
    if (head === queue.length - 1) {
      // Trials last: their sites, subjects and protocols are known only once everything else is walked.
      for (const [trialId, t] of trials) {
        if (seen.has(`trial:${trialId}`)) continue;
        seen.add(`trial:${trialId}`);
        for (const e of await read(streamIds.trial(trialId))) {
          const d = e.data as Data;
          const keep =
            e.type === 'TrialRegistered' ||
            (e.type === 'SiteEnrolled' && t.sites.has(String(d['siteId']))) ||
            (e.type === 'SubjectEnrolled' && t.subjects.has(String(d['subjectId']))) ||
            (e.type === 'ImagingProtocolDefined' && t.protocols.has(String(d['protocolId'])));
          if (keep) include(e);
        }
        // Subjects enrolled since they have streams of their own (older ledgers: on the trial's stream, above).
        for (const subjectId of t.subjects) {
          for (const e of await read(streamIds.subject(trialId, subjectId))) if (e.type === 'SubjectEnrolled') include(e);
        }
      }
    }
  }
  // Signatures on any included event (21 CFR 11.50/11.70); signatures are never themselves signed here.
  for (const eventId of signedIncluded) {
    for (const e of await read(streamIds.signatures(eventId))) positions.add(Number(e.globalPosition));
  }
  return { positions, decisions: index.decisionStreams.length };
}
