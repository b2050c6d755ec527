import { ValidationError } from '@radledger/platform';
import { findPhiInFreeText } from '../phi/phi-detector.js';
import { PhiRejectedError } from '../phi/phi-rejected.error.js';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

export function requireId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID_RE.test(value)) {
    throw new ValidationError('INVALID_ID', `${field}: expected an id of 1-128 characters [A-Za-z0-9._:-], got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

export function requireSha256(field: string, value: unknown): string {
  if (typeof value !== 'string' || !SHA256_RE.test(value)) {
    throw new ValidationError('INVALID_SHA256', `${field}: expected 64 lowercase hex characters (sha256), got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

export function requireText(field: string, value: unknown, maxLength = 2000): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new ValidationError('REQUIRED', `${field}: expected a non-empty text`, { field });
  }
  if (value.length > maxLength) {
    throw new ValidationError('TOO_LONG', `${field}: expected at most ${maxLength} characters, got ${value.length}`, { field });
  }
  return value;
}

/** Free text (reasons, comments) is scanned for obvious PHI before it can enter the ledger. */
export function requireFreeText(field: string, value: unknown, maxLength = 2000): string {
  const text = requireText(field, value, maxLength);
  rejectPhiInFreeText(field, text);
  return text;
}

/** Edits and corrections must say why (DESIGN "The event envelope": reason required). */
export function requireReason(field: string, value: unknown, maxLength = 2000): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new ValidationError('REASON_REQUIRED', `${field}: expected a non-empty reason for this change`, { field });
  }
  return requireFreeText(field, value, maxLength);
}

export function optionalFreeText(field: string, value: unknown, maxLength = 2000): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireFreeText(field, value, maxLength);
}

export function rejectPhiInFreeText(field: string, text: string): void {
  const finding = findPhiInFreeText(text);
  if (finding) throw new PhiRejectedError(field, finding);
}

export function requireFiniteNumber(field: string, value: unknown, opts: { min?: number; max?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError('INVALID_NUMBER', `${field}: expected a finite number, got ${JSON.stringify(value)}`, { field });
  }
  if (opts.min !== undefined && value < opts.min) {
    throw new ValidationError('OUT_OF_RANGE', `${field}: expected >= ${opts.min}, got ${value}`, { field });
  }
  if (opts.max !== undefined && value > opts.max) {
    throw new ValidationError('OUT_OF_RANGE', `${field}: expected <= ${opts.max}, got ${value}`, { field });
  }
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError('INVALID_ENUM', `${field}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { field, allowed });
  }
  return value as T;
}

export interface NumericRange {
  min: number;
  max: number;
}

export function requireRange(field: string, value: unknown): NumericRange {
  const r = value as Partial<NumericRange> | undefined;
  if (!r || typeof r !== 'object') {
    throw new ValidationError('INVALID_RANGE', `${field}: expected { min, max }`, { field });
  }
  const min = requireFiniteNumber(`${field}.min`, r.min, { min: 0 });
  const max = requireFiniteNumber(`${field}.max`, r.max, { min: 0 });
  if (min > max) throw new ValidationError('INVALID_RANGE', `${field}: expected min <= max, got ${min} > ${max}`, { field });
  return { min, max };
}
