import type { Projection, RowOperation, SqlScalar } from './projection.js';
import type { SqlDialect } from './sql/sql-compiler.js';

/** Durable progress of one projection: the last global position it has applied (-1: none). */
export interface ProjectionCheckpoint {
  projection: string;
  version: number;
  lastPosition: number;
}

/** What one projection contributes to one transaction: its row operations and its new checkpoint. */
export interface ProjectionBatch {
  projection: string;
  version: number;
  lastPosition: number;
  operations: RowOperation[];
}

/**
 * The read-model store port (SQLite by default, PostgreSQL in production). Writes happen
 * only through `apply`, which commits rows and checkpoints atomically, so a crash never
 * leaves a projection ahead of or behind its checkpoint. Reads are plain parameterised SQL
 * with `?` placeholders.
 */
export interface ReadModelStore {
  readonly dialect: SqlDialect;
  /**
   * Creates missing tables; a projection whose stored version differs from the code's is
   * dropped first (its checkpoint reset), so it is replayed from the start.
   */
  migrate(projections: readonly Projection[]): Promise<void>;
  checkpoints(): Promise<Map<string, ProjectionCheckpoint>>;
  apply(batches: readonly ProjectionBatch[]): Promise<void>;
  /** Drops the projections' tables and checkpoints (rebuild). */
  drop(projections: readonly Projection[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlScalar[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlScalar[]): Promise<T | undefined>;
  close(): Promise<void>;
}
