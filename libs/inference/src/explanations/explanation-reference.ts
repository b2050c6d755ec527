import { ValidationError } from '@radledger/platform';

/**
 * The reference data an explanation is computed against, stored as an artifact so that its
 * sha256 fixes it: for a linear model its column means are the baseline, for a tree ensemble its
 * rows give the node covers of path-dependent TreeSHAP (ADR 0010: the data the trees were grown
 * on). One JSON document `{ "featureCodes": [...], "rows": [[...], ...] }`, rows in the model's
 * input order, so a reviewer can read it without RadLedger.
 */
export interface ExplanationReferenceDocument {
  featureCodes: string[];
  rows: number[][];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes to store: one fixed key order, so the same rows always give the same sha256. */
export function encodeExplanationReference(featureCodes: readonly string[], rows: ReadonlyArray<ArrayLike<number>>): Uint8Array {
  return encoder.encode(JSON.stringify({ featureCodes: [...featureCodes], rows: rows.map((r) => Array.from(r)) }));
}

/** Reads a reference document: feature codes (strings) and rows of as many finite numbers. */
export function readExplanationReference(bytes: Uint8Array): ExplanationReferenceDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw invalid(`expected a JSON document { featureCodes, rows }: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('expected a JSON object { featureCodes, rows }');
  const { featureCodes, rows } = doc as Record<string, unknown>;
  if (!Array.isArray(featureCodes) || featureCodes.length === 0 || featureCodes.some((c) => typeof c !== 'string' || c.length === 0)) {
    throw invalid('featureCodes: expected the model input codes in order');
  }
  if (!Array.isArray(rows) || rows.length === 0) throw invalid('rows: expected at least one row');
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== featureCodes.length) throw invalid(`rows[${r}]: expected ${featureCodes.length} values`);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`rows[${r}][${j}] (${String(featureCodes[j])}): expected a finite number`);
    });
  });
  return { featureCodes: featureCodes as string[], rows: rows as number[][] };
}

/** Reads a stored reference and checks it answers the model's inputs (same codes, same order). */
export function parseExplanationReference(bytes: Uint8Array, featureCodes: readonly string[]): number[][] {
  const doc = readExplanationReference(bytes);
  if (doc.featureCodes.length !== featureCodes.length || doc.featureCodes.some((c, j) => c !== featureCodes[j])) {
    throw invalid(`featureCodes: expected the model's inputs in order (${featureCodes.join(', ')}), got ${doc.featureCodes.join(', ')}`);
  }
  return doc.rows;
}

function invalid(message: string): ValidationError {
  return new ValidationError('EXPLANATION_REFERENCE_INVALID', `explanationReference: ${message}`, { field: 'explanationReference' });
}
