import { ValidationError } from '@radledger/platform';
import { ArtifactCorruptError, assertSha256Hex, sha256Hex, type ArtifactStore } from '@radledger/artifacts';
import { featureMatrix, assertFeatureCodes, type FeatureSet } from './feature-mapping.js';
import {
  ModelHashMismatchError,
  ModelOutputInvalidError,
  ModelSignatureMismatchError,
} from './inference.errors.js';
import { LruCache } from './lru-cache.js';
import type { ModelSignature, Predictor, PredictorSession } from './predictor.port.js';

/** What a lock fixes about a model version: the bytes, the input order and the cut-off. */
export interface LockedModelSpec {
  /** sha256 recorded when the version was locked; the only bytes that may run. */
  expectedSha256: string;
  /** IBSI codes in the model's input column order. */
  featureCodes: readonly string[];
  /** Decision cut-off on the probability: `probability >= threshold` is the positive label. */
  threshold: number;
  labels?: { positive: string; negative: string };
  /**
   * Which output column is the probability of the positive class. Default: output
   * `probability` column 0, else `probabilities` last column, else the first float output's
   * last column.
   */
  probabilityOutput?: { name: string; column: number };
}

export interface ModelDecision {
  /** sha256 of the bytes that were hashed and run; always equals `expectedSha256`. */
  verifiedSha256: string;
  featureCodes: string[];
  /** The input row as fed to the model (float32 values), in `featureCodes` order. */
  inputs: number[];
  /** This decision's row of every numeric output. */
  outputs: Record<string, number[]>;
  probability: number;
  threshold: number;
  decision: string;
}

export type ModelVerificationMode = 'stat-fingerprint' | 'rehash-every-run';

export interface LockedModelRunnerOptions {
  artifactStore: ArtifactStore;
  predictor: Predictor;
  /** LRU bound on open sessions (one per model sha256). Default 8. */
  maxSessions?: number;
  /** Default `stat-fingerprint` (see the class comment); `rehash-every-run` re-reads and re-hashes for every call. */
  verification?: ModelVerificationMode;
  /**
   * A file whose last change (ctime) is less than this many ms before its verification is not
   * trusted by fingerprint yet. Must exceed the filesystem's timestamp granularity. Default 2000.
   */
  racyWindowMs?: number;
  /** Wall clock in ms since the epoch, comparable with file ctimes. Default `Date.now`. */
  clock?: () => number;
}

export interface LockedModelRunnerStats {
  sessionsCreated: number;
  /** Times the model bytes were read and hashed. */
  hashVerifications: number;
  /** Calls served from a cached session on a trusted, unchanged stat fingerprint (no hashing). */
  fingerprintHits: number;
  evictions: number;
  cachedSessions: number;
}

interface CachedModel {
  sha256: string;
  session: PredictorSession;
  /** Stat token of the stored file when its bytes were last verified. */
  token: string | undefined;
  /** Whether `token` alone may vouch for the bytes (see racy window). */
  trusted: boolean;
  active: number;
  evicted: boolean;
  released: boolean;
}

const DEFAULT_LABELS = { positive: 'positive', negative: 'negative' };

/**
 * Runs decisions only on the locked model bytes.
 *
 * Verification and caching. A session is created only from bytes that were just read from the
 * artifact store and re-hashed to `expectedSha256` (always, at every session creation); a
 * mismatch throws `MODEL_HASH_MISMATCH`, drops any cached session for that hash, and runs
 * nothing. Sessions are cached per sha256 (LRU, `maxSessions`). Re-hashing the bytes on every
 * decision would cost a file read plus SHA-256 each time, so with `stat-fingerprint` a cached
 * session is reused on a cheap `stat` of the content-addressed file instead: the token (device,
 * inode, size, mtime ns, ctime ns) must equal the one seen when the bytes were last verified.
 * Any write to the file changes its ctime (which, unlike mtime, cannot be set back by a user),
 * a replacement changes the inode, so a changed file is re-hashed and caught. Timestamps are
 * coarse (a kernel tick), so a write within the same tick as the verification could keep the
 * token: like git's "racily clean" index entries, a file changed less than `racyWindowMs`
 * before it was verified is not trusted by token and is re-hashed on every use until it has
 * been verified once outside the window. A store without `stat` is re-hashed on every use.
 */
export class LockedModelRunner {
  private readonly store: ArtifactStore;
  private readonly predictor: Predictor;
  private readonly verification: ModelVerificationMode;
  private readonly racyWindowMs: number;
  private readonly clock: () => number;
  private readonly cache: LruCache<string, CachedModel>;
  private readonly loading = new Map<string, Promise<CachedModel>>();
  private readonly counters = { sessionsCreated: 0, hashVerifications: 0, fingerprintHits: 0, evictions: 0 };

  constructor(options: LockedModelRunnerOptions) {
    this.store = options.artifactStore;
    this.predictor = options.predictor;
    this.verification = options.verification ?? 'stat-fingerprint';
    this.racyWindowMs = options.racyWindowMs ?? 2000;
    this.clock = options.clock ?? Date.now;
    this.cache = new LruCache(options.maxSessions ?? 8, (_sha, entry) => {
      this.counters.evictions += 1;
      entry.evicted = true;
      // A failed release leaks one native session at worst; it must not fail a decision.
      this.releaseIfIdle(entry).catch(() => undefined);
    });
  }

  /** One decision on one feature set (keyed by IBSI code). */
  async decide(spec: LockedModelSpec, features: FeatureSet): Promise<ModelDecision> {
    const [decision] = await this.run(spec, [features], 'features');
    return decision as ModelDecision;
  }

  /** Decisions on many feature sets in one session run (batch dimension), in input order. */
  async decideBatch(spec: LockedModelSpec, featureSets: readonly FeatureSet[]): Promise<ModelDecision[]> {
    return this.run(spec, featureSets, 'featureSets');
  }

  /** Loads and verifies the locked bytes (as a decision would) and answers the model's signature. */
  async verifyModel(expectedSha256: string): Promise<ModelSignature> {
    assertSha256Hex(expectedSha256, 'expectedSha256');
    const entry = await this.acquire(expectedSha256);
    try {
      return entry.session.signature;
    } finally {
      await this.releaseUse(entry);
    }
  }

  stats(): LockedModelRunnerStats {
    return { ...this.counters, cachedSessions: this.cache.size };
  }

  /** Releases every cached session. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    this.cache.clear();
  }

  private async run(spec: LockedModelSpec, featureSets: readonly FeatureSet[], field: string): Promise<ModelDecision[]> {
    assertSpec(spec);
    const entry = await this.acquire(spec.expectedSha256);
    try {
      const plan = planFor(entry.session.signature, spec);
      const width = spec.featureCodes.length;
      const matrix = featureMatrix(spec.featureCodes, featureSets, field);
      if (featureSets.length === 0) return [];
      const rowsPerRun = plan.fixedBatch ?? featureSets.length;
      const decisions: ModelDecision[] = [];
      for (let start = 0; start < featureSets.length; start += rowsPerRun) {
        const rows = Math.min(rowsPerRun, featureSets.length - start);
        const outputs = await entry.session.run({
          name: plan.inputName,
          // A copy for partial ranges: the tensor must not depend on how a view's offset is honoured.
          data: rows === featureSets.length ? matrix : matrix.slice(start * width, (start + rows) * width),
          dims: [rows, width],
        });
        const columns = Object.entries(outputs).map(([name, tensor]) => ({
          name,
          data: tensor.data,
          perRow: tensor.dims[0] === rows ? tensor.data.length / rows : undefined,
        }));
        for (let row = 0; row < rows; row += 1) {
          decisions.push(this.decisionOf(spec, plan, columns, row, matrix, start + row));
        }
      }
      return decisions;
    } finally {
      await this.releaseUse(entry);
    }
  }

  private decisionOf(
    spec: LockedModelSpec,
    plan: RunPlan,
    columns: OutputColumns[],
    row: number,
    matrix: Float32Array,
    index: number,
  ): ModelDecision {
    const width = spec.featureCodes.length;
    const rowOutputs: Record<string, number[]> = {};
    for (const { name, data, perRow } of columns) {
      // An output without the batch dimension (a scalar, say) belongs to every row whole.
      rowOutputs[name] = perRow === undefined ? data : data.slice(row * perRow, (row + 1) * perRow);
    }
    const probability = rowOutputs[plan.probability.name]?.[plan.probability.column];
    if (probability === undefined || !Number.isFinite(probability) || probability < 0 || probability > 1) {
      throw new ModelOutputInvalidError(
        `${plan.probability.name}[${index}][${plan.probability.column}]: expected a probability in [0, 1], got ${probability}`,
        { index, output: plan.probability.name, value: probability },
      );
    }
    const labels = spec.labels ?? DEFAULT_LABELS;
    const inputs = new Array<number>(width);
    for (let j = 0; j < width; j += 1) inputs[j] = matrix[index * width + j] as number;
    return {
      verifiedSha256: spec.expectedSha256,
      featureCodes: [...spec.featureCodes],
      inputs,
      outputs: rowOutputs,
      probability,
      threshold: spec.threshold,
      decision: probability >= spec.threshold ? labels.positive : labels.negative,
    };
  }

  private async acquire(sha256: string): Promise<CachedModel> {
    for (;;) {
      const cached = this.cache.get(sha256);
      const entry = cached && (await this.reverify(cached)) ? cached : await this.loadOnce(sha256);
      if (entry.evicted) continue; // evicted while we awaited: load again
      entry.active += 1;
      return entry;
    }
  }

  /** True when the cached session may serve; throws MODEL_HASH_MISMATCH (and drops it) otherwise. */
  private async reverify(entry: CachedModel): Promise<boolean> {
    try {
      if (this.verification === 'stat-fingerprint' && this.store.stat && entry.trusted) {
        const stat = await this.store.stat(entry.sha256);
        if (stat.token === entry.token) {
          this.counters.fingerprintHits += 1;
          return true;
        }
      }
      const verified = await this.readVerified(entry.sha256);
      entry.token = verified.token;
      entry.trusted = verified.trusted;
      return true;
    } catch (error) {
      if (this.cache.get(entry.sha256) === entry) this.cache.delete(entry.sha256);
      throw error;
    }
  }

  private loadOnce(sha256: string): Promise<CachedModel> {
    let loading = this.loading.get(sha256);
    if (!loading) {
      loading = this.load(sha256).finally(() => this.loading.delete(sha256));
      this.loading.set(sha256, loading);
    }
    return loading;
  }

  private async load(sha256: string): Promise<CachedModel> {
    const verified = await this.readVerified(sha256);
    const session = await this.predictor.open(verified.bytes);
    this.counters.sessionsCreated += 1;
    const entry: CachedModel = {
      sha256,
      session,
      token: verified.token,
      trusted: verified.trusted,
      active: 0,
      evicted: false,
      released: false,
    };
    this.cache.set(sha256, entry);
    return entry;
  }

  private async readVerified(sha256: string): Promise<{ bytes: Buffer; token: string | undefined; trusted: boolean }> {
    const before = this.store.stat ? await this.store.stat(sha256) : undefined;
    let bytes: Buffer;
    try {
      bytes = await this.store.get(sha256);
    } catch (error) {
      if (error instanceof ArtifactCorruptError) throw new ModelHashMismatchError(sha256, error.computedSha256);
      throw error;
    }
    this.counters.hashVerifications += 1;
    // Checked here too, so a store adapter that does not verify on read cannot slip bytes through.
    const computed = sha256Hex(bytes);
    if (computed !== sha256) throw new ModelHashMismatchError(sha256, computed);
    const after = this.store.stat ? await this.store.stat(sha256) : undefined;
    const trusted =
      this.verification === 'stat-fingerprint' &&
      before !== undefined &&
      after !== undefined &&
      before.token === after.token &&
      this.clock() - after.changedAtMs > this.racyWindowMs;
    return { bytes, token: after?.token, trusted };
  }

  private async releaseUse(entry: CachedModel): Promise<void> {
    entry.active -= 1;
    await this.releaseIfIdle(entry);
  }

  private async releaseIfIdle(entry: CachedModel): Promise<void> {
    if (!entry.evicted || entry.active > 0 || entry.released) return;
    entry.released = true;
    await entry.session.release();
  }
}

interface RunPlan {
  inputName: string;
  /** Set when the model's batch dimension is fixed (then it must be 1: rows run one at a time). */
  fixedBatch: number | undefined;
  probability: { name: string; column: number };
}

function assertSpec(spec: LockedModelSpec): void {
  assertSha256Hex(spec.expectedSha256, 'expectedSha256');
  assertFeatureCodes(spec.featureCodes);
  if (typeof spec.threshold !== 'number' || !Number.isFinite(spec.threshold) || spec.threshold < 0 || spec.threshold > 1) {
    throw new ValidationError('VALIDATION_FAILED', `threshold: expected a number in [0, 1], got ${String(spec.threshold)}`);
  }
}

function planFor(signature: ModelSignature, spec: LockedModelSpec): RunPlan {
  const mismatch = (message: string, details: Record<string, unknown> = {}) =>
    new ModelSignatureMismatchError(message, { expectedSha256: spec.expectedSha256, ...details });
  if (signature.inputs.length !== 1) {
    throw mismatch(`model inputs: expected exactly one feature tensor, the model has ${signature.inputs.length}`);
  }
  const input = signature.inputs[0] as (typeof signature.inputs)[number];
  if (input.type !== 'float32' || input.shape.length !== 2) {
    throw mismatch(`model input ${input.name}: expected float32 [batch, features], got ${input.type} [${input.shape.join(', ')}]`);
  }
  const [batchDim, featureDim] = input.shape;
  if (typeof featureDim === 'number' && featureDim !== spec.featureCodes.length) {
    throw mismatch(
      `featureCodes: the model takes ${featureDim} features per row, the locked spec names ${spec.featureCodes.length}`,
      { modelFeatures: featureDim, specFeatures: spec.featureCodes.length },
    );
  }
  if (typeof batchDim === 'number' && batchDim !== 1) {
    throw mismatch(`model input ${input.name}: a fixed batch size of ${batchDim} is not supported (expected symbolic or 1)`);
  }
  const probability = spec.probabilityOutput ?? defaultProbabilityOutput(signature);
  const output = signature.outputs.find((o) => o.name === probability?.name);
  if (!probability || !output) {
    throw mismatch(`probabilityOutput: the model has no output ${probability?.name ?? '(none found)'}`, {
      outputs: signature.outputs.map((o) => o.name),
    });
  }
  return { inputName: input.name, fixedBatch: typeof batchDim === 'number' ? batchDim : undefined, probability };
}

function defaultProbabilityOutput(signature: ModelSignature): { name: string; column: number } | undefined {
  const lastColumn = (shape: Array<number | string>) => {
    const last = shape[shape.length - 1];
    return shape.length >= 2 && typeof last === 'number' ? last - 1 : 0;
  };
  const named = (name: string) => signature.outputs.find((o) => o.name === name);
  const single = named('probability');
  if (single) return { name: single.name, column: lastColumn(single.shape) };
  const pair = named('probabilities');
  if (pair) return { name: pair.name, column: lastColumn(pair.shape) };
  const float = signature.outputs.find((o) => o.type === 'float32');
  return float ? { name: float.name, column: lastColumn(float.shape) } : undefined;
}

interface OutputColumns {
  name: string;
  data: number[];
  perRow: number | undefined;
}
