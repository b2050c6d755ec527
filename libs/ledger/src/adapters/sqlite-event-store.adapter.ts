import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConcurrencyError } from '@radledger/platform';
import { recordedFromCanonical, type NewEvent, type RecordedEvent } from '../core/envelope.js';
import type {
  AppendResult,
  EventValidator,
  ExpectedRevision,
  LedgerHead,
  LedgerStore,
  StoredCheckpoint,
  StoredEventRow,
  Subscription,
  StreamWrite,
} from '../event-store.port.js';
import { checkAppendRequest, planBatch, unwrittenEventIds, type AppendOutcome, type AppendRequest, type EventRow } from './append-plan.js';
import { AppendSignal, StoreSubscriptions } from './catch-up-subscription.js';
import { EventStoreUnavailableError } from './event-store.exception.js';
import { batchLookupKeys, queueGroup, rejectBatch, settleBatch, type PendingAppend } from './pending-append.js';
import { fromSqlCheckpoint, fromSqlRow, headAfterRow, type SqlCheckpointRow, type SqlEventRow } from './sql-rows.js';

export interface SqliteEventStoreOptions {
  /** Database file; its parent directory is created if missing. */
  path: string;
  /** Runs on every new event before anything is written (e.g. JSON Schema validation). */
  validator?: EventValidator;
  /** How long a writer waits for another process's write lock before STORE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
  /** How often a live subscription looks for appends made by other processes (default 250 ms). */
  pollMs?: number;
  /** false: refuse to create a missing file (STORE_NOT_FOUND), e.g. for verify. Default true. */
  create?: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  canonical       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  prev_hash       TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, stream_revision);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE IF NOT EXISTS checkpoints (
  id        INTEGER PRIMARY KEY,
  tree_size INTEGER NOT NULL,
  root_hash TEXT    NOT NULL,
  issued_at TEXT    NOT NULL,
  note      TEXT    NOT NULL
);
`;

/** The fast path met a stored eventId: plan the batch again with every eventId read. */
class ReadEventIds extends Error {}

/** SQLite refused a second row with a stored eventId (the UNIQUE column event_id). */
function isEventIdConflict(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.event_id/.test((error as Error).message);
}

/**
 * The embedded ledger: one SQLite file in WAL mode with synchronous=FULL, so an
 * acknowledged append survives power loss. Appends made in the same tick are group-
 * committed in one write transaction (one fsync); each call still succeeds or fails on
 * its own. The write transaction is BEGIN IMMEDIATE and reads the head inside it, so
 * several processes on one file serialise and never fork the chain.
 * (The column `hash` is deliberately not indexed: it would slow appends for no reader.)
 */
export class SqliteEventStore implements LedgerStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly validator: EventValidator | undefined;
  private readonly signal = new AppendSignal();
  private readonly subscriptions: StoreSubscriptions;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly stmt: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly writeBatch: Database.Transaction<(batch: PendingAppend[], readEventIds: boolean) => AppendOutcome[]>;

  constructor(options: SqliteEventStoreOptions) {
    this.path = options.path;
    this.validator = options.validator;
    this.subscriptions = new StoreSubscriptions(
      { readAll: (from, limit) => this.readAll(from, limit), headSize: async () => (await this.head()).size },
      this.signal,
      options.pollMs ?? 250,
    );
    if (options.create === false && !existsSync(options.path)) {
      throw new EventStoreUnavailableError('STORE_NOT_FOUND', `SQLite store ${options.path} does not exist`, { path: options.path });
    }
    try {
      if (options.create !== false) mkdirSync(dirname(options.path), { recursive: true });
      this.db = new Database(options.path, { fileMustExist: options.create === false });
    } catch (error) {
      throw new EventStoreUnavailableError(
        'STORE_UNREACHABLE',
        `cannot open SQLite store ${options.path}: ${(error as Error).message}`,
        { path: options.path },
      );
    }
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`);
      this.db.pragma('journal_mode = WAL');
      // FULL: the WAL is fsynced at every commit, so an acknowledged append is durable.
      this.db.pragma('synchronous = FULL');
      this.db.exec(SCHEMA);
      this.stmt = this.prepareStatements();
    } catch (error) {
      this.db.close();
      throw this.mapError(error);
    }
    this.writeBatch = this.db.transaction((batch: PendingAppend[], readEventIds: boolean) => {
      const head = this.readHeadSync();
      const streamRevisions = new Map<string, number>();
      for (const request of batch) {
        if (streamRevisions.has(request.streamId)) continue;
        const revision = this.stmt.streamRevision.get(request.streamId) as number | null;
        if (revision !== null) streamRevisions.set(request.streamId, revision);
      }
      // Fast path: an eventId is rarely stored already, so the batch is planned without
      // reading them; the UNIQUE constraint refuses the insert of a stored one, and the
      // few eventIds of calls that failed are probed (see unwrittenEventIds). Either way
      // the batch is rolled back and planned again with every eventId read.
      const existingById = new Map<string, EventRow>();
      if (readEventIds) {
        const { eventIds } = batchLookupKeys(batch);
        for (const row of this.stmt.byIds.all(JSON.stringify(eventIds)) as SqlEventRow[]) {
          existingById.set(row.event_id, fromSqlRow(row));
        }
      }
      const { rows, outcomes } = planBatch(batch, { head, existingById, streamRevisions });
      if (!readEventIds) {
        const probe = unwrittenEventIds(batch, outcomes, existingById);
        if (probe.length > 0 && this.stmt.anyId.get(JSON.stringify(probe)) !== undefined) throw new ReadEventIds();
      }
      this.insertRows(rows);
      return outcomes;
    });
  }

  async append(streamId: string, expectedRevision: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    const request: AppendRequest = { streamId, expectedRevision, events };
    request.encoded = checkAppendRequest(request, this.validator);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything appended until the next turn of the event loop shares one commit.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Several streams in one transaction: all parts written, or none (a lock and its approval signature). */
  async appendMany(writes: StreamWrite[]): Promise<AppendResult[]> {
    this.assertOpen();
    const results = queueGroup(this.queue, writes, this.validator);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return results;
  }

  /** Verification threads read the file themselves (see LedgerStore.sqliteFile); not an in-memory database. */
  get sqliteFile(): string | undefined {
    return this.path === '' || this.path === ':memory:' || this.path.startsWith('file:') ? undefined : this.path;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = this.run(() => this.stmt.readStream.all(streamId) as Array<{ canonical: string; hash: string }>);
    return rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
  }

  async readAll(fromPosition: number, limit = 1000): Promise<RecordedEvent[]> {
    const rows = await this.readStoredRows(fromPosition, limit);
    return rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
  }

  async readStoredRows(fromPosition: number, limit: number): Promise<StoredEventRow[]> {
    this.assertOpen();
    const rows = this.run(
      () => this.stmt.readAll.all(fromPosition, limit) as Array<{ global_position: number; canonical: string; hash: string }>,
    );
    return rows.map((row) => ({ globalPosition: row.global_position, canonical: row.canonical, hash: row.hash }));
  }

  async readLeafHashes(fromPosition: number, toPosition: number): Promise<Uint8Array[]> {
    this.assertOpen();
    const rows = this.run(() => this.stmt.leafHashes.raw().all(fromPosition, toPosition) as Array<[string]>);
    return rows.map(([hash]) => Buffer.from(hash, 'hex'));
  }

  async findEvent(eventId: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const row = this.run(() => this.stmt.byId.get(eventId) as { canonical: string; hash: string } | undefined);
    return row ? recordedFromCanonical(row.canonical, row.hash) : undefined;
  }

  subscribe(fromPosition: number, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    this.assertOpen();
    return this.subscriptions.subscribe(fromPosition, handler);
  }

  async head(): Promise<LedgerHead> {
    this.assertOpen();
    return this.run(() => this.readHeadSync());
  }

  async addCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.assertOpen();
    this.run(() => this.stmt.addCheckpoint.run(checkpoint.treeSize, checkpoint.rootHash, checkpoint.issuedAt, checkpoint.note));
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    this.assertOpen();
    return (this.run(() => this.stmt.listCheckpoints.all()) as SqlCheckpointRow[]).map(fromSqlCheckpoint);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.assertOpen();
    const row = this.run(() => this.stmt.latestCheckpoint.get()) as SqlCheckpointRow | undefined;
    return row ? fromSqlCheckpoint(row) : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await this.subscriptions.closeAll();
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: AppendOutcome[];
    try {
      try {
        outcomes = this.writeBatch.immediate(batch, false);
      } catch (error) {
        if (!(error instanceof ReadEventIds) && !isEventIdConflict(error)) throw error;
        outcomes = this.writeBatch.immediate(batch, true);
      }
    } catch (error) {
      rejectBatch(batch, this.mapError(error));
      return;
    }
    settleBatch(batch, outcomes);
    this.signal.notify();
  }

  private insertRows(rows: readonly EventRow[]): void {
    for (const row of rows) {
      this.stmt.insert.run(row.globalPosition, row.eventId, row.streamId, row.streamRevision, row.type, row.canonical, row.hash, row.prevHash);
    }
  }

  private readHeadSync(): LedgerHead {
    return headAfterRow(this.stmt.head.get() as { global_position: number; hash: string } | undefined);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      head: db.prepare('SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1'),
      byIds: db.prepare(
        `SELECT global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash
           FROM events WHERE event_id IN (SELECT value FROM json_each(?))`,
      ),
      anyId: db.prepare('SELECT 1 FROM events WHERE event_id IN (SELECT value FROM json_each(?)) LIMIT 1'),
      byId: db.prepare('SELECT canonical, hash FROM events WHERE event_id = ?'),
      streamRevision: db.prepare('SELECT MAX(stream_revision) FROM events WHERE stream_id = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      readStream: db.prepare('SELECT canonical, hash FROM events WHERE stream_id = ? ORDER BY stream_revision'),
      readAll: db.prepare(
        'SELECT global_position, canonical, hash FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?',
      ),
      leafHashes: db.prepare(
        'SELECT hash FROM events WHERE global_position >= ? AND global_position < ? ORDER BY global_position',
      ),
      addCheckpoint: db.prepare('INSERT INTO checkpoints (tree_size, root_hash, issued_at, note) VALUES (?, ?, ?, ?)'),
      listCheckpoints: db.prepare('SELECT tree_size, root_hash, issued_at, note FROM checkpoints ORDER BY id'),
      latestCheckpoint: db.prepare('SELECT tree_size, root_hash, issued_at, note FROM checkpoints ORDER BY id DESC LIMIT 1'),
    };
  }

  private run<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw this.mapError(error);
    }
  }

  private mapError(error: unknown): Error {
    const code = (error as { code?: unknown }).code;
    const message = (error as Error).message;
    if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
      return new EventStoreUnavailableError('STORE_CORRUPT', `SQLite store ${this.path} is corrupt or not a database: ${message}`, {
        path: this.path,
      });
    }
    if (code === 'SQLITE_ERROR' && /no such (table|column)|has no column/.test(message)) {
      return new EventStoreUnavailableError('STORE_CORRUPT', `SQLite file ${this.path} is not a RadLedger store: ${message}`, {
        path: this.path,
      });
    }
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
      return new ConcurrencyError('STORE_BUSY', `SQLite store ${this.path} stayed locked by another writer: ${message}`, {
        path: this.path,
      });
    }
    return error as Error;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('STORE_CLOSED', `SQLite store ${this.path} is closed`);
  }
}
