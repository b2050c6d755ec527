import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '@radledger/platform';
import { ANNOTATION, GRAPHQL_ANNOTATION, pathsOfKind, valuesAt, type TSchema } from '../shared/schema.js';
import { findPhiInFreeText, findPhiInIdentifier, scanForPhi } from '../phi/phi-detector.js';
import { PhiRejectedError } from '../phi/phi-rejected.error.js';

// ajv-formats is CommonJS; under nodenext its callable sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** One ajv for every operation input: strict, defaults filled (so a CLI caller gets what GraphQL gives). */
function createInputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, useDefaults: true, coerceTypes: false });
  addFormats(ajv);
  ajv.addKeyword(ANNOTATION);
  ajv.addKeyword(GRAPHQL_ANNOTATION);
  return ajv;
}

const ajv = createInputAjv();
const compiled = new WeakMap<object, ValidateFunction>();

const join = (base: string, key: string) => (/^\d+$/.test(key) ? `${base}[${key}]` : base ? `${base}.${key}` : key);

/** `scanner.vendor`, `inputs[0].featureSetId`: the field a JSON pointer names, under `root`. */
export function fieldPath(pointer: string, root = ''): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(join, root);
}

function fieldOf(error: ErrorObject, root: string): string {
  const path = fieldPath(error.instancePath, root);
  if (error.keyword === 'additionalProperties') return join(path, (error.params as { additionalProperty: string }).additionalProperty);
  if (error.keyword === 'required') return join(path, (error.params as { missingProperty: string }).missingProperty);
  return path || root || 'input';
}

/** The stable codes the deciders have always answered for these shapes of bad input. */
function codeOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'enum':
      return 'INVALID_ENUM';
    case 'pattern':
      return (error.params as { pattern: string }).pattern.includes('0-9a-f]{64}') ? 'INVALID_SHA256' : error.schemaPath.includes('x-graphql') ? 'INPUT_INVALID' : 'INVALID_ID';
    case 'maxLength':
    case 'maxItems':
      return 'TOO_LONG';
    case 'minLength':
      return 'REQUIRED';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return 'OUT_OF_RANGE';
    default:
      return 'INPUT_INVALID';
  }
}

function expected(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown field';
    case 'required':
      return 'a value (required)';
    case 'enum':
      return `one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    case 'pattern':
      return error.message?.replace('must match pattern', 'a value matching') ?? 'a value of the right form';
    default:
      return error.message?.replace(/^must /, '') ?? 'a valid value';
  }
}

/**
 * Validate an operation input against its declared schema and run the PHI checks its
 * annotations ask for: `pseudonym` fields are refused when they look like a name, a date or
 * a record number; `free-text`/`reason` fields when they carry obvious PHI; free-form JSON
 * (tool parameters, settings) when any key or value does. Errors name the field
 * (`INPUT_INVALID` or `PHI_REJECTED`); nothing downstream sees an input that fails.
 */
export function validateInput<T>(schema: TSchema, value: unknown, root = ''): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  // PHI first for pseudonyms: a name must never be echoed back in a format error.
  for (const path of pathsOfKind(schema, 'pseudonym')) {
    for (const hit of valuesAt(value, path)) {
      const finding = findPhiInIdentifier(hit.value);
      if (finding) throw new PhiRejectedError(join(root, hit.path), finding);
    }
  }
  if (!validate(value)) {
    const error = validate.errors![0]!;
    const field = fieldOf(error, root);
    throw new ValidationError(codeOf(error), `${field}: expected ${expected(error)}`, { field, keyword: error.keyword });
  }
  for (const kind of ['free-text', 'reason'] as const) {
    for (const path of pathsOfKind(schema, kind)) {
      for (const hit of valuesAt(value, path)) {
        const finding = findPhiInFreeText(hit.value);
        if (finding) throw new PhiRejectedError(join(root, hit.path), finding);
      }
    }
  }
  const phi = scanForPhi(value, '');
  if (phi) throw new PhiRejectedError(fieldPath(phi.path, root), phi);
  return value as T;
}
