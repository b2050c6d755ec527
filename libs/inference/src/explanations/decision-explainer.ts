import { IllegalStateError, ValidationError } from '@radledger/platform';
import { sha256Hex, type ArtifactStore } from '@radledger/artifacts';
import { ModelHashMismatchError } from '../inference.errors.js';
import { LruCache } from '../lru-cache.js';
import { explainDecision, type DecisionExplanation } from './decision-explanation.js';
import { readExplainableModel, type ExplainableModel } from './explainable-model.js';
import { parseExplanationReference } from './explanation-reference.js';
import { nodeCovers } from './tree-shap.js';

/** An explanation as recorded with a decision: the contributions plus which reference they rest on. */
export interface RecordedExplanation extends Omit<DecisionExplanation, 'reference'> {
  reference: { sha256: string; rows: number };
}

export interface ExplainRequest {
  /** The locked bytes the decision ran (re-hashed here too). */
  modelSha256: string;
  /** The version's registered reference artifact. */
  referenceSha256: string;
  /** The model's inputs in order. */
  featureCodes: readonly string[];
  /** The row as fed to the model. */
  row: ArrayLike<number>;
}

interface Prepared {
  model: ExplainableModel;
  reference: number[][];
}

/**
 * Explanations from stored artifacts: the locked ONNX bytes and the registered reference, both
 * read by sha256 and re-hashed, so a recorded explanation can only come from those bytes.
 * Deterministic (no sampling, no threads): the same request gives bit-identical numbers, which
 * is what `reproduceDecision` compares.
 */
export class DecisionExplainer {
  private readonly cache = new LruCache<string, Prepared>(8);

  constructor(private readonly artifacts: Pick<ArtifactStore, 'get'>) {}

  /**
   * Checks at registration that a reference can explain the model: the graph is one the
   * explanation reads exactly (else EXPLANATION_UNSUPPORTED), the reference has the model's inputs
   * and, for trees, reaches every node (else EXPLANATION_REFERENCE_INVALID). Answers its row count.
   */
  async checkReference(modelSha256: string, referenceSha256: string, featureCodes: readonly string[]): Promise<{ rows: number }> {
    const prepared = await this.prepare(modelSha256, referenceSha256, featureCodes);
    if (prepared.model.featureCount !== featureCodes.length) {
      throw new ValidationError('EXPLANATION_REFERENCE_INVALID', `featureCodes: the model reads ${prepared.model.featureCount} features, ${featureCodes.length} codes registered`, { field: 'featureCodes' });
    }
    if (prepared.model.kind === 'tree-ensemble') {
      try {
        nodeCovers(prepared.model, prepared.reference);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        throw new ValidationError('EXPLANATION_REFERENCE_INVALID', `explanationReference: ${error.message.replace(/^reference: /, '')}`, { field: 'explanationReference' });
      }
    }
    return { rows: prepared.reference.length };
  }

  async explain(request: ExplainRequest): Promise<RecordedExplanation> {
    const { model, reference } = await this.prepare(request.modelSha256, request.referenceSha256, request.featureCodes);
    const e = explainDecision({ model, featureCodes: request.featureCodes, row: request.row, reference });
    // JSON (and RFC 8785) has no −0: normalise so the recorded number reads back identical.
    const z = (x: number) => (x === 0 ? 0 : x);
    return {
      method: e.method,
      outputSpace: e.outputSpace,
      expectedValue: z(e.expectedValue),
      modelOutput: z(e.modelOutput),
      contributions: e.contributions.map((c) => ({ featureCode: c.featureCode, value: z(c.value), contribution: z(c.contribution) })),
      reference: { sha256: request.referenceSha256, rows: e.reference.rows },
      additivityError: z(e.additivityError),
    };
  }

  private async prepare(modelSha256: string, referenceSha256: string, featureCodes: readonly string[]): Promise<Prepared> {
    const key = `${modelSha256}:${referenceSha256}:${featureCodes.join(',')}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const modelBytes = await this.verified(modelSha256, 'model');
    const referenceBytes = await this.verified(referenceSha256, 'reference');
    const prepared = { model: readExplainableModel(modelBytes), reference: parseExplanationReference(referenceBytes, featureCodes) };
    this.cache.set(key, prepared);
    return prepared;
  }

  private async verified(sha256: string, what: 'model' | 'reference'): Promise<Uint8Array> {
    const bytes = await this.artifacts.get(sha256);
    const computed = sha256Hex(bytes);
    if (computed !== sha256) {
      if (what === 'model') throw new ModelHashMismatchError(sha256, computed);
      throw new IllegalStateError('EXPLANATION_REFERENCE_HASH_MISMATCH', `explanationReference: stored bytes hash to ${computed}, expected ${sha256}`, { expectedSha256: sha256, computedSha256: computed });
    }
    return bytes;
  }
}

/**
 * What differs between a recorded explanation and one recomputed from the same bytes (exact
 * comparison: the computation is deterministic, so any difference is a finding).
 */
export function explanationDifferences(recorded: RecordedExplanation | null, recomputed: RecordedExplanation | null): string[] {
  if (recorded === null && recomputed === null) return [];
  if (recorded === null) return ['explanation: none recorded, one recomputed from the registered reference'];
  if (recomputed === null) return ['explanation: recorded, but none can be recomputed (the version names no reference)'];
  const out: string[] = [];
  const same = (label: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`explanation.${label}: recorded ${String(a)}, recomputed ${String(b)}`);
  };
  same('method', recorded.method, recomputed.method);
  same('outputSpace', recorded.outputSpace, recomputed.outputSpace);
  same('reference.sha256', recorded.reference.sha256, recomputed.reference.sha256);
  same('reference.rows', recorded.reference.rows, recomputed.reference.rows);
  same('expectedValue', recorded.expectedValue, recomputed.expectedValue);
  same('modelOutput', recorded.modelOutput, recomputed.modelOutput);
  const codes = new Set([...recorded.contributions.map((c) => c.featureCode), ...recomputed.contributions.map((c) => c.featureCode)]);
  for (const code of codes) {
    const a = recorded.contributions.find((c) => c.featureCode === code);
    const b = recomputed.contributions.find((c) => c.featureCode === code);
    same(`contributions.${code}.value`, a?.value, b?.value);
    same(`contributions.${code}.contribution`, a?.contribution, b?.contribution);
  }
  return out;
}
