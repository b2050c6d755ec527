import { ValidationError } from '@radledger/platform';
import { FeaturesInvalidError, FeaturesMissingError, type InvalidFeatures, type MissingFeatures } from './inference.errors.js';

/** Feature values keyed by IBSI code, or `<code>@<aggregation code>` for texture features. */
export type FeatureSet = Readonly<Record<string, unknown>>;

/**
 * Lays feature sets out as a row-major float32 matrix [featureSets.length, featureCodes.length],
 * column j holding the value of `featureCodes[j]`. The order of `featureCodes` is the locked
 * model's input order; codes a set has beyond them are ignored.
 *
 * Every set is checked before anything is returned: all missing codes of all sets are named in
 * one `FEATURES_MISSING`; otherwise all non-finite values in one `FEATURES_INVALID`.
 */
export function featureMatrix(
  featureCodes: readonly string[],
  featureSets: readonly FeatureSet[],
  field = 'features',
): Float32Array {
  assertFeatureCodes(featureCodes);
  const width = featureCodes.length;
  const matrix = new Float32Array(featureSets.length * width);
  let rejected = false;
  // Plain loops and no allocation on the accepted path: this runs for every decision.
  for (let index = 0; index < featureSets.length; index += 1) {
    const set = featureSets[index];
    if (set === null || typeof set !== 'object') {
      rejected = true;
      continue;
    }
    for (let column = 0; column < width; column += 1) {
      const code = featureCodes[column] as string;
      const value = set[code];
      if (typeof value === 'number' && Math.abs(value) <= FLOAT32_MAX && Object.hasOwn(set, code)) {
        matrix[index * width + column] = value;
      } else {
        rejected = true;
      }
    }
  }
  if (rejected) throw rejection(featureCodes, featureSets, field);
  return matrix;
}

/** Largest finite float32; a double beyond it would silently become ±Infinity in the tensor. */
const FLOAT32_MAX = 3.4028234663852886e38;

function rejection(featureCodes: readonly string[], featureSets: readonly FeatureSet[], field: string): Error {
  const missing: MissingFeatures[] = [];
  const invalid: InvalidFeatures[] = [];
  featureSets.forEach((set, index) => {
    const isObject = set !== null && typeof set === 'object';
    const absent = featureCodes.filter((code) => !isObject || !Object.hasOwn(set, code));
    const bad = featureCodes.filter((code) => {
      if (!isObject || !Object.hasOwn(set, code)) return false;
      const value = set[code];
      return typeof value !== 'number' || !(Math.abs(value) <= FLOAT32_MAX);
    });
    if (absent.length > 0) missing.push({ index, codes: absent });
    if (bad.length > 0) invalid.push({ index, codes: bad });
  });
  if (missing.length > 0) return new FeaturesMissingError(field, missing);
  return new FeaturesInvalidError(field, invalid);
}

export function assertFeatureCodes(featureCodes: readonly string[]): void {
  if (!Array.isArray(featureCodes) || featureCodes.length === 0) {
    throw new ValidationError('VALIDATION_FAILED', 'featureCodes: expected a non-empty ordered list of IBSI codes');
  }
  const seen = new Set<string>();
  for (const code of featureCodes) {
    if (typeof code !== 'string' || code.length === 0) {
      throw new ValidationError('VALIDATION_FAILED', `featureCodes: expected non-empty strings, got ${JSON.stringify(code)}`);
    }
    if (seen.has(code)) throw new ValidationError('VALIDATION_FAILED', `featureCodes: ${code} appears twice`);
    seen.add(code);
  }
}
