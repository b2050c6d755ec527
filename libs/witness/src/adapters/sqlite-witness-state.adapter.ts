import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RefusedSubmission, StoredLogState, WitnessStateStore } from '../witness-state.port.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log_state (
  origin        TEXT    PRIMARY KEY,
  tree_size     INTEGER NOT NULL,
  root_hash     TEXT    NOT NULL,
  cosigned_note TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS refusals (
  id          INTEGER PRIMARY KEY,
  origin      TEXT    NOT NULL,
  status      INTEGER NOT NULL,
  reason      TEXT    NOT NULL,
  note        TEXT    NOT NULL,
  received_at TEXT    NOT NULL
);
`;

interface StateRow {
  origin: string;
  tree_size: number;
  root_hash: string;
  cosigned_note: string;
  updated_at: string;
}

const fromRow = (r: StateRow): StoredLogState => ({ origin: r.origin, treeSize: r.tree_size, rootHash: r.root_hash, cosignedNote: r.cosigned_note, updatedAt: r.updated_at });

/**
 * The witness state in one SQLite file (WAL, synchronous=FULL: a cosignature is only
 * returned once the new size is on disk). `update` is a BEGIN IMMEDIATE transaction, so two
 * witness processes on one file (or two requests in one) serialise per write.
 */
export class SqliteWitnessStateStore implements WitnessStateStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.stmt = {
      get: this.db.prepare('SELECT origin, tree_size, root_hash, cosigned_note, updated_at FROM log_state WHERE origin = ?'),
      put: this.db.prepare(
        `INSERT INTO log_state (origin, tree_size, root_hash, cosigned_note, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (origin) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash,
           cosigned_note = excluded.cosigned_note, updated_at = excluded.updated_at`,
      ),
      refuse: this.db.prepare('INSERT INTO refusals (origin, status, reason, note, received_at) VALUES (?, ?, ?, ?, ?)'),
      refusals: this.db.prepare('SELECT origin, status, reason, note, received_at FROM refusals ORDER BY id'),
      refusalsOf: this.db.prepare('SELECT origin, status, reason, note, received_at FROM refusals WHERE origin = ? ORDER BY id'),
    };
  }

  async get(origin: string): Promise<StoredLogState | undefined> {
    const row = this.stmt.get.get(origin) as StateRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async update<T>(origin: string, decide: (current: StoredLogState | undefined) => { next?: StoredLogState; result: T }): Promise<T> {
    const run = this.db.transaction(() => {
      const row = this.stmt.get.get(origin) as StateRow | undefined;
      const { next, result } = decide(row ? fromRow(row) : undefined);
      if (next) this.stmt.put.run(next.origin, next.treeSize, next.rootHash, next.cosignedNote, next.updatedAt);
      return result;
    });
    return run.immediate();
  }

  async recordRefusal(r: RefusedSubmission): Promise<void> {
    this.stmt.refuse.run(r.origin, r.status, r.reason, r.note, r.receivedAt);
  }

  async listRefusals(origin?: string): Promise<RefusedSubmission[]> {
    const rows = (origin === undefined ? this.stmt.refusals.all() : this.stmt.refusalsOf.all(origin)) as Array<{ origin: string; status: number; reason: string; note: string; received_at: string }>;
    return rows.map((r) => ({ origin: r.origin, status: r.status, reason: r.reason, note: r.note, receivedAt: r.received_at }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Keeps the state in memory only: for tests and benches, never for a witness anyone relies on. */
export class InMemoryWitnessStateStore implements WitnessStateStore {
  private readonly logs = new Map<string, StoredLogState>();
  private readonly refusals: RefusedSubmission[] = [];
  async get(origin: string): Promise<StoredLogState | undefined> {
    return this.logs.get(origin);
  }
  async update<T>(origin: string, decide: (current: StoredLogState | undefined) => { next?: StoredLogState; result: T }): Promise<T> {
    const { next, result } = decide(this.logs.get(origin));
    if (next) this.logs.set(origin, next);
    return result;
  }
  async recordRefusal(r: RefusedSubmission): Promise<void> {
    this.refusals.push(r);
  }
  async listRefusals(origin?: string): Promise<RefusedSubmission[]> {
    return this.refusals.filter((r) => origin === undefined || r.origin === origin);
  }
  async close(): Promise<void> {}
}
