import { IllegalStateError, ValidationError } from '@radledger/platform';

/** The bytes are not an ONNX model onnxruntime can parse or check. */
export class ModelInvalidError extends ValidationError {
  constructor(reason: string) {
    super('MODEL_INVALID', `model: expected an ONNX model (ModelProto), ${reason}`, { reason });
  }
}

/** A well-formed ONNX model that uses operators, domains or an IR version this runtime lacks. */
export class ModelUnsupportedError extends ValidationError {
  constructor(reason: string) {
    super('MODEL_UNSUPPORTED', `model: uses something onnxruntime here cannot run: ${reason}`, { reason });
  }
}

/** The model bytes loaded for a decision do not hash to the locked sha256. Nothing was run. */
export class ModelHashMismatchError extends IllegalStateError {
  constructor(
    readonly expectedSha256: string,
    readonly computedSha256: string,
  ) {
    super(
      'MODEL_HASH_MISMATCH',
      `model: loaded bytes hash to ${computedSha256}, expected the locked sha256 ${expectedSha256}`,
      { expectedSha256, computedSha256 },
    );
  }
}

/** The model's declared input/output signature does not fit the locked model's spec. */
export class ModelSignatureMismatchError extends IllegalStateError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MODEL_SIGNATURE_MISMATCH', message, details);
  }
}

/** The model produced a probability that is not a number in [0, 1]; no decision is made. */
export class ModelOutputInvalidError extends IllegalStateError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MODEL_OUTPUT_INVALID', message, details);
  }
}

export interface MissingFeatures {
  /** Position of the feature set in the request (0 for a single decision). */
  index: number;
  codes: string[];
}

/** A feature set lacks codes the locked model takes as input. */
export class FeaturesMissingError extends ValidationError {
  constructor(
    field: string,
    readonly missing: MissingFeatures[],
  ) {
    super('FEATURES_MISSING', `${field}: missing IBSI feature codes the model expects: ${describe(missing)}`, {
      missing,
    });
  }
}

export interface InvalidFeatures {
  index: number;
  codes: string[];
}

/** A feature value is not a finite number representable as float32 (NaN, ±Infinity, 1e39, "3"). */
export class FeaturesInvalidError extends ValidationError {
  constructor(
    field: string,
    readonly invalid: InvalidFeatures[],
  ) {
    super('FEATURES_INVALID', `${field}: expected finite float32 numbers, invalid values for ${describe(invalid)}`, {
      invalid,
    });
  }
}

function describe(groups: { index: number; codes: string[] }[]): string {
  const shown = groups.slice(0, 5).map((g) => (groups.length === 1 && g.index === 0 ? g.codes.join(', ') : `[${g.index}] ${g.codes.join(', ')}`));
  return groups.length > 5 ? `${shown.join('; ')}; and ${groups.length - 5} more feature sets` : shown.join('; ');
}
