import type { RecordedEvent } from '@radledger/ledger';

/** A value as stored in a read-model column: booleans are 0/1, JSON is text. */
export type SqlScalar = string | number | null;

/**
 * A value read, at apply time, from a row written by an earlier event (e.g. the trial of
 * the image a mask was drawn on). It compiles to a scalar sub-select, so the projection's
 * `evolve` stays a pure function of one event and the store stays the only state.
 */
export interface ColumnLookup {
  lookup: { table: string; where: Record<string, SqlScalar>; column: string };
  /** Used when no row matches (SQL COALESCE). */
  fallback?: SqlScalar;
}

export type ColumnValue = SqlScalar | ColumnLookup;

/**
 * Declarative row operations: what `evolve` returns. The runner applies them in order, in
 * one transaction with the projection's checkpoint, on SQLite or PostgreSQL with the same
 * (parameterised) SQL, and the in-memory model applies them the same way for tests.
 */
export type RowOperation =
  /** Insert, or on a primary-key conflict overwrite the columns given (others keep their values). */
  | { op: 'upsert'; table: string; row: Record<string, ColumnValue> }
  /** Insert unless a row with the same primary key exists (first writer wins). */
  | { op: 'insertIfAbsent'; table: string; row: Record<string, ColumnValue> }
  /** Set columns on every row matching all `where` equalities. */
  | { op: 'update'; table: string; set: Record<string, ColumnValue>; where: Record<string, SqlScalar> }
  | { op: 'delete'; table: string; where: Record<string, SqlScalar> };

/** `integer` is a 64-bit integer (BIGINT on PostgreSQL); `real` a double. */
export type ColumnType = 'text' | 'integer' | 'real';

export interface TableSchema {
  name: string;
  columns: Record<string, ColumnType>;
  primaryKey: string[];
  indexes?: string[][];
}

/**
 * A read model: `evolve` is pure (no I/O, no clock) and never throws on an event it does
 * not understand, since it must replay anything ever recorded.
 */
export interface Projection {
  readonly name: string;
  /** Bump when tables or evolve change: the stored model is then dropped and replayed. */
  readonly version: number;
  readonly tables: readonly TableSchema[];
  canHandle(type: string): boolean;
  evolve(event: RecordedEvent): RowOperation[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Table and column names are interpolated into SQL, so they are checked once here. */
export function assertIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} ${JSON.stringify(name)} is not a lower-case SQL identifier`);
  return name;
}

export function isLookup(value: ColumnValue): value is ColumnLookup {
  return value !== null && typeof value === 'object';
}

/** JSON text for a column (`null` stays SQL NULL). */
export function jsonColumn(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
