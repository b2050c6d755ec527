import type { RecordedEvent } from '@radledger/ledger';
import type { FeaturesComputed, ModelDecisionMade, ModelRegistered } from '@radledger/domain';
import type { HashingWriter } from './hashing-writer.js';

export type FeaturesComputedData = FeaturesComputed['data'];
export type ModelDecisionMadeData = ModelDecisionMade['data'];
export type ModelRegisteredData = ModelRegistered['data'];

/** Says which artifacts are stored (libs/artifacts ArtifactStore satisfies it): a missing input is NOT_REPRODUCIBLE with that reason. */
export interface ArtifactSource {
  has(sha256: string): Promise<boolean>;
}

/**
 * Re-computes a feature set from its stored image and mask with the recorded settings:
 * `extractorSettings` when the event has them, else the IBSI summary with the rest stated
 * as assumptions. libs/runtime FeatureService satisfies it (`recompute`), so the dossier
 * repeats exactly the computation of the `reproduce` query.
 */
export interface FeatureRecomputer {
  recompute(featureSet: FeaturesComputedData): Promise<{ features: Record<string, number>; settingsSource: 'extractorSettings' | 'summary'; assumptions: string[] }>;
}

/**
 * Re-runs a decision with the model bytes it names (which must still hash to the recorded
 * sha256) and the version's locked decision rule, on the recorded feature values.
 * libs/runtime ModelService satisfies it (`rerun`).
 */
export interface DecisionRerunner {
  rerun(input: { decision: ModelDecisionMadeData; model: ModelRegisteredData; features: Record<string, number> }): Promise<{ outputs: Record<string, number>; decision: string; modelSha256: string }>;
}

export interface ReproducibilityPorts {
  artifacts?: ArtifactSource;
  features?: FeatureRecomputer;
  decisions?: DecisionRerunner;
  /** Relative tolerance of a numeric comparison (default 1e-9: extraction is deterministic, this only absorbs float printing). */
  tolerance?: number;
}

export type ReproStatus = 'MATCH' | 'DIFFERENT' | 'NOT_REPRODUCIBLE';

export interface ReproDifference {
  field: string;
  recorded: unknown;
  recomputed: unknown;
}

export interface ReproResult {
  kind: 'feature-set' | 'decision';
  id: string;
  eventId: string;
  status: ReproStatus;
  reason?: string;
  differences?: ReproDifference[];
  compared?: number;
  /** Feature sets: re-computed with the recorded `extractorSettings`, or with the `summary` plus `assumptions` (older events). */
  settingsSource?: 'extractorSettings' | 'summary';
  assumptions?: string[];
}

export function sameNumber(a: number, b: number, tolerance: number): boolean {
  if (Object.is(a, b)) return true;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Compares every recorded value with its recomputation (extra recomputed values are ignored). */
export function compareValues(recorded: Record<string, number>, recomputed: Record<string, number>, tolerance: number): ReproDifference[] {
  const out: ReproDifference[] = [];
  for (const [code, value] of Object.entries(recorded)) {
    const again = recomputed[code];
    if (again === undefined) out.push({ field: code, recorded: value, recomputed: null });
    else if (!sameNumber(value, again, tolerance)) out.push({ field: code, recorded: value, recomputed: again });
  }
  return out;
}

/**
 * reproducibility.json: re-computes each feature set (from the stored image and mask with the
 * recorded settings) and re-runs each decision (with the recorded model bytes on the recorded
 * feature values). Holds only what the re-computation needs; results stream to the file.
 */
export class ReproducibilityCollector {
  private readonly featureSets: Array<{ eventId: string; data: FeaturesComputedData }> = [];
  private readonly decisions: Array<{ eventId: string; data: ModelDecisionMadeData }> = [];
  private readonly features = new Map<string, Record<string, number>>();
  private readonly models = new Map<string, ModelRegisteredData>();
  private readonly immediate: ReproResult[] = [];
  readonly counts: Record<string, number> = {};

  constructor(private readonly ports: ReproducibilityPorts) {}

  add(event: RecordedEvent): void {
    if (event.type === 'FeaturesComputed') {
      const data = event.data as unknown as FeaturesComputedData;
      if (this.ports.decisions) this.features.set(data.featureSetId, data.features);
      if (data.attested || !data.reproducible) {
        this.immediate.push({ kind: 'feature-set', id: data.featureSetId, eventId: event.eventId, status: 'NOT_REPRODUCIBLE', reason: 'imported (attested) feature set: RadLedger did not compute it, so there is no recorded computation to repeat' });
      } else if (!this.ports.features || !this.ports.artifacts) {
        this.immediate.push({ kind: 'feature-set', id: data.featureSetId, eventId: event.eventId, status: 'NOT_REPRODUCIBLE', reason: 'no artifact store and feature extractor were given to the export' });
      } else {
        this.featureSets.push({ eventId: event.eventId, data });
      }
    } else if (event.type === 'ModelRegistered') {
      const data = event.data as unknown as ModelRegisteredData;
      this.models.set(`${data.modelId}@${data.version}`, data);
    } else if (event.type === 'ModelDecisionMade') {
      const data = event.data as unknown as ModelDecisionMadeData;
      if (!this.ports.decisions || !this.ports.artifacts) {
        this.immediate.push({ kind: 'decision', id: data.decisionId, eventId: event.eventId, status: 'NOT_REPRODUCIBLE', reason: 'no artifact store and model runner were given to the export' });
      } else {
        this.decisions.push({ eventId: event.eventId, data });
      }
    }
  }

  get pending(): number {
    return this.featureSets.length + this.decisions.length;
  }

  /** Runs the re-computations and writes reproducibility.json. */
  async write(out: HashingWriter, onDone?: (done: number) => void): Promise<Record<string, number>> {
    const tolerance = this.ports.tolerance ?? 1e-9;
    let first = true;
    let done = 0;
    await out.write(`{"kind":"radledger.dossier.reproducibility.v1","tolerance":${tolerance},"results":[\n`);
    const emit = async (r: ReproResult) => {
      this.counts[`${r.kind} ${r.status}`] = (this.counts[`${r.kind} ${r.status}`] ?? 0) + 1;
      await out.write(`${first ? '' : ',\n'}${JSON.stringify(r)}`);
      first = false;
    };
    for (const r of this.immediate) await emit(r);
    for (const { eventId, data } of this.featureSets) {
      await emit(await this.featureSet(eventId, data, tolerance));
      onDone?.(++done);
    }
    for (const { eventId, data } of this.decisions) {
      await emit(await this.decision(eventId, data, tolerance));
      onDone?.(++done);
    }
    await out.write(`\n],"summary":${JSON.stringify(this.counts)}}\n`);
    return this.counts;
  }

  private async featureSet(eventId: string, data: FeaturesComputedData, tolerance: number): Promise<ReproResult> {
    const base = { kind: 'feature-set' as const, id: data.featureSetId, eventId };
    const artifacts = this.ports.artifacts!;
    for (const [what, sha] of [['image', data.imageSha256], ['mask', data.maskSha256]] as const) {
      if (!(await artifacts.has(sha))) return { ...base, status: 'NOT_REPRODUCIBLE', reason: `${what} artifact ${sha} is not in the artifact store` };
    }
    try {
      const { features, settingsSource, assumptions } = await this.ports.features!.recompute(data);
      const differences = compareValues(data.features, features, tolerance);
      return { ...base, status: differences.length === 0 ? 'MATCH' : 'DIFFERENT', compared: Object.keys(data.features).length, differences, settingsSource, ...(assumptions.length > 0 ? { assumptions } : {}) };
    } catch (error) {
      return { ...base, status: 'NOT_REPRODUCIBLE', reason: `re-computation failed: ${(error as Error).message}` };
    }
  }

  private async decision(eventId: string, data: ModelDecisionMadeData, tolerance: number): Promise<ReproResult> {
    const base = { kind: 'decision' as const, id: data.decisionId, eventId };
    const model = this.models.get(`${data.modelId}@${data.modelVersion}`);
    const features = this.features.get(data.featureSetId);
    if (!model) return { ...base, status: 'NOT_REPRODUCIBLE', reason: `model ${data.modelId} ${data.modelVersion} is not registered in the bundle` };
    if (!features) return { ...base, status: 'NOT_REPRODUCIBLE', reason: `feature set ${data.featureSetId} is not in the bundle` };
    if (!(await this.ports.artifacts!.has(data.modelSha256))) return { ...base, status: 'NOT_REPRODUCIBLE', reason: `model artifact ${data.modelSha256} is not in the artifact store` };
    try {
      const again = await this.ports.decisions!.rerun({ decision: data, model, features });
      const differences = compareValues(data.outputs, again.outputs, tolerance);
      if (again.decision !== data.decision) differences.push({ field: 'decision', recorded: data.decision, recomputed: again.decision });
      if (again.modelSha256 !== data.modelSha256) differences.push({ field: 'modelSha256', recorded: data.modelSha256, recomputed: again.modelSha256 });
      return { ...base, status: differences.length === 0 ? 'MATCH' : 'DIFFERENT', compared: Object.keys(data.outputs).length + 2, differences };
    } catch (error) {
      return { ...base, status: 'NOT_REPRODUCIBLE', reason: `re-run failed: ${(error as Error).message}` };
    }
  }
}
