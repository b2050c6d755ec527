import { GENESIS_PREV_HASH } from '../core/hashing.js';
import type { LedgerHead, StoredCheckpoint } from '../event-store.port.js';
import type { EventRow } from './append-plan.js';

/**
 * Rows of the `events` and `checkpoints` tables as the SQL drivers return them. The tables
 * are the same in SQLite and PostgreSQL; only integers differ in type: better-sqlite3 gives
 * numbers, pg gives BIGINT as a string.
 */
export interface SqlEventRow {
  global_position: number | string;
  event_id: string;
  stream_id: string;
  stream_revision: number | string;
  type: string;
  canonical: string;
  hash: string;
  prev_hash: string;
}

export interface SqlCheckpointRow {
  tree_size: number | string;
  root_hash: string;
  issued_at: string;
  note: string;
}

export function fromSqlRow(row: SqlEventRow): EventRow {
  return {
    globalPosition: Number(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: Number(row.stream_revision),
    type: row.type,
    canonical: row.canonical,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

export function fromSqlCheckpoint(row: SqlCheckpointRow): StoredCheckpoint {
  return { treeSize: Number(row.tree_size), rootHash: row.root_hash, issuedAt: row.issued_at, note: row.note };
}

/** The head after the last stored row (size = its position + 1); the empty ledger's without one. */
export function headAfterRow(last: { global_position: number | string; hash: string } | undefined): LedgerHead {
  return last ? { size: Number(last.global_position) + 1, lastHash: last.hash } : { size: 0, lastHash: GENESIS_PREV_HASH };
}
