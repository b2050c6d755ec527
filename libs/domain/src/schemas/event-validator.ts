import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '@radledger/platform';
import type { EventValidator, NewEvent } from '@radledger/ledger';
import { scanForPhi, findPhiInFreeText } from '../phi/phi-detector.js';
import { PhiRejectedError } from '../phi/phi-rejected.error.js';
import { ANNOTATION_KEYWORDS } from './event-schema-definitions.js';
import { SEALED_VALUE_RE } from '../encryption/field-cipher.port.js';

// ajv-formats is CommonJS; under nodenext its callable sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export type SchemaDocuments = Record<string, object>;

/**
 * Build the ledger's EventValidator from schema documents keyed `Type.vN` (as loaded by
 * schema-registry.adapter.ts). Refuses: an event type/version without a schema, data that
 * fails it (SCHEMA_INVALID naming the JSON path), and PHI anywhere in data or meta.reason.
 */
export function createEventValidatorFromDocuments(documents: SchemaDocuments): EventValidator & { compiled: ReadonlyMap<string, ValidateFunction> } {
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
  const compiled = new Map<string, ValidateFunction>();
  for (const [key, doc] of Object.entries(documents)) {
    if (key === 'envelope.v1') continue;
    compiled.set(key, ajv.compile(doc));
  }
  const validator = (event: NewEvent): void => {
    const key = `${event.type}.v${event.schemaVersion}`;
    const validate = compiled.get(key);
    if (!validate) {
      throw new ValidationError('SCHEMA_INVALID', `type: no schema for ${key} (expected schemas/events/${key}.json)`, { path: '/type', type: event.type, schemaVersion: event.schemaVersion });
    }
    if (!validate(event.data)) {
      const err = validate.errors![0]!;
      const path = `/data${err.instancePath}`;
      const extra = err.keyword === 'additionalProperties' ? ` (${(err.params as { additionalProperty: string }).additionalProperty})` : '';
      throw new ValidationError('SCHEMA_INVALID', `${path}: ${err.message ?? 'invalid'}${extra} in ${key}`, { path, keyword: err.keyword, schema: key });
    }
    const phi = scanForPhi(event.data, '/data');
    if (phi) throw new PhiRejectedError(phi.path, phi);
    // Sealed text was scanned as plaintext before it was sealed; random ciphertext can look like anything.
    if (event.meta?.reason && !SEALED_VALUE_RE.test(event.meta.reason)) {
      const f = findPhiInFreeText(event.meta.reason);
      if (f) throw new PhiRejectedError('/meta/reason', f);
    }
  };
  return Object.assign(validator, { compiled: compiled as ReadonlyMap<string, ValidateFunction> });
}
