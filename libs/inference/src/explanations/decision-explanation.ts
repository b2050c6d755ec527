import { ValidationError } from '@radledger/platform';
import { modelMargin, readExplainableModel, type ExplainableModel, type LinearModel } from './explainable-model.js';
import { expectedValue, nodeCovers, treeShap } from './tree-shap.js';

/**
 * One decision's explanation: how much each input moved the model's margin away from its
 * expected value over the reference data. Exact in both families (never sampled):
 *  - linear: φ_j = β_j (x_j − E[x_j]) — the Shapley values of a linear model with the reference
 *    mean as baseline (Lundberg & Lee, NeurIPS 2017, "Linear SHAP").
 *  - tree ensemble: path-dependent TreeSHAP with node covers from the reference rows.
 * Additivity: Σ contributions = modelOutput − expectedValue, in `outputSpace` (the log-odds for a
 * logistic model or a two-class SOFTMAX tree ensemble), checked before the explanation is returned.
 */
export interface DecisionExplanation {
  method: 'linear-exact' | 'tree-shap-path-dependent';
  outputSpace: 'log-odds' | 'raw';
  /** E[f] over the reference, in outputSpace. */
  expectedValue: number;
  /** f(x) in outputSpace. */
  modelOutput: number;
  contributions: Array<{ featureCode: string; value: number; contribution: number }>;
  reference: { rows: number };
  /** |Σ contributions − (modelOutput − expectedValue)|. */
  additivityError: number;
}

export interface ExplanationInput {
  /** The locked bytes (or a model already read from them). */
  model: Uint8Array | ExplainableModel;
  /** Input order of the model. */
  featureCodes: readonly string[];
  row: ArrayLike<number>;
  /** Reference rows in the same order (e.g. the training partition the model was developed on). */
  reference: ReadonlyArray<ArrayLike<number>>;
}

/** Additivity holds to rounding; a larger gap means the model was not read as it runs. */
export const ADDITIVITY_TOLERANCE = 1e-9;

export function explainDecision(input: ExplanationInput): DecisionExplanation {
  const model = input.model instanceof Uint8Array ? readExplainableModel(input.model) : input.model;
  if (input.featureCodes.length !== model.featureCount) {
    throw new ValidationError('FEATURES_INVALID', `featureCodes: the model reads ${model.featureCount} features, ${input.featureCodes.length} codes given`, { field: 'featureCodes' });
  }
  if (input.row.length !== model.featureCount) throw new ValidationError('FEATURES_INVALID', `row: expected ${model.featureCount} values, got ${input.row.length}`, { field: 'row' });
  for (let j = 0; j < input.row.length; j++) {
    if (!Number.isFinite(input.row[j]!)) throw new ValidationError('FEATURES_INVALID', `row[${j}] (${input.featureCodes[j]}): expected a finite number`, { field: `row[${j}]` });
  }
  let phi: ArrayLike<number>;
  let expected: number;
  let method: DecisionExplanation['method'];
  if (model.kind === 'linear') {
    const mean = referenceMean(model, input.reference);
    phi = model.coefficients.map((b, j) => b * (Math.fround(input.row[j]!) - mean[j]!));
    expected = model.coefficients.reduce((s, b, j) => s + b * mean[j]!, model.intercept);
    method = 'linear-exact';
  } else {
    const covers = nodeCovers(model, input.reference);
    phi = treeShap(model, covers, input.row);
    expected = expectedValue(model, covers);
    method = 'tree-shap-path-dependent';
  }
  const output = modelMargin(model, input.row);
  let sum = 0;
  for (let j = 0; j < phi.length; j++) sum += phi[j]!;
  const additivityError = Math.abs(sum - (output - expected));
  if (!(additivityError <= ADDITIVITY_TOLERANCE * Math.max(1, Math.abs(output), Math.abs(expected)))) {
    throw new ValidationError('EXPLANATION_NOT_ADDITIVE', `explanation: contributions sum to ${sum}, output − expected value is ${output - expected}`, { additivityError });
  }
  return {
    method,
    outputSpace: model.outputSpace,
    expectedValue: expected,
    modelOutput: output,
    contributions: input.featureCodes.map((featureCode, j) => ({ featureCode, value: input.row[j]!, contribution: phi[j]! })),
    reference: { rows: input.reference.length },
    additivityError,
  };
}

/** Column means of the reference rows, rounded to float32: the baseline is a point the model itself can read. */
function referenceMean(model: LinearModel, rows: ReadonlyArray<ArrayLike<number>>): number[] {
  if (rows.length === 0) throw new ValidationError('REQUIRED', 'reference: expected at least one reference row for the baseline', { field: 'reference' });
  const mean = new Array<number>(model.featureCount).fill(0);
  rows.forEach((row, r) => {
    if (row.length !== model.featureCount) throw new ValidationError('FEATURES_INVALID', `reference[${r}]: expected ${model.featureCount} values, got ${row.length}`, { field: `reference[${r}]` });
    for (let j = 0; j < model.featureCount; j++) mean[j]! += Math.fround(row[j]!);
  });
  return mean.map((s) => Math.fround(s / rows.length));
}
