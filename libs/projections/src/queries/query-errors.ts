import { ValidationError } from '@radledger/platform';

export function invalidArgument(code: string, field: string, expected: string, actual: unknown): ValidationError {
  return new ValidationError(code, `${field}: expected ${expected}, got ${JSON.stringify(actual)}`, { field });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Times are compared as text against `recordedAt` (UTC, ISO 8601 with ms), so they must be in that form. */
export function requireIsoTime(field: string, value: string): string {
  if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) throw invalidArgument('TIME_INVALID', field, 'a UTC ISO 8601 time such as 2026-01-05T06:00:00.000Z', value);
  return new Date(value).toISOString();
}

export function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
