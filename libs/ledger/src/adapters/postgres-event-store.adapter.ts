import pg from 'pg';
import { ConcurrencyError, ValidationError } from '@radledger/platform';
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
} from '../event-store.port.js';
import { checkAppendRequest, planBatch, type AppendOutcome, type AppendRequest, type EventRow } from './append-plan.js';
import { AppendSignal, StoreSubscriptions } from './catch-up-subscription.js';
import { migratePostgresSchema } from './postgres-schema.js';
import { EventStoreUnavailableError, redactUrl } from './event-store.exception.js';
import { batchLookupKeys, rejectBatch, settleBatch, type PendingAppend } from './pending-append.js';
import { fromSqlCheckpoint, fromSqlRow, headAfterRow, type SqlCheckpointRow, type SqlEventRow } from './sql-rows.js';

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:port/db`; ignored when `pool` is given. */
  connectionString?: string;
  /** An existing pool (the store then does not end it on close). */
  pool?: pg.Pool;
  /** Schema holding the ledger tables (created if missing); default `radledger`. */
  schema?: string;
  validator?: EventValidator;
  /** Pool size when the store creates its pool (default 4). */
  maxConnections?: number;
  /** How often a live subscription looks for appends made by other connections (default 250 ms). */
  pollMs?: number;
  connectTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Connection-level failures: the server is down, unknown, refuses us, or the database is missing. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000', '57P03']);

/**
 * PostgreSQL ledger. Appends take a transaction-scoped advisory lock (one per schema) and
 * read the head inside it, so every connection and process appends in one order: global
 * position order equals chain order, with no gaps. Appends made while a commit is in
 * flight are group-committed in the next transaction. The canonical bytes are TEXT, never
 * JSONB (JSONB reorders keys and would break the hashes).
 */
export class PostgresEventStore implements LedgerStore {
  readonly schema: string;
  private readonly table: string;
  private readonly checkpointsTable: string;
  private readonly lockKey: string;
  private readonly signal = new AppendSignal();
  private readonly subscriptions: StoreSubscriptions;
  private queue: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    schema: string,
    private readonly validator: EventValidator | undefined,
    pollMs: number,
    private readonly label: string,
  ) {
    this.schema = schema;
    this.table = `"${schema}".events`;
    this.checkpointsTable = `"${schema}".checkpoints`;
    this.lockKey = `radledger.append.${schema}`;
    this.subscriptions = new StoreSubscriptions(
      { readAll: (from, limit) => this.readAll(from, limit), headSize: async () => (await this.head()).size },
      this.signal,
      pollMs,
    );
  }

  /** Connects, creates the schema and tables if needed; STORE_UNREACHABLE if the server cannot be used. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'radledger';
    if (!SCHEMA_NAME.test(schema)) {
      throw new ValidationError('STORE_URL_INVALID', `schema must match ${SCHEMA_NAME}, got "${schema}"`);
    }
    if (!options.pool && !options.connectionString) {
      throw new ValidationError('STORE_URL_INVALID', 'PostgresEventStore needs a connectionString or a pool');
    }
    const label = options.connectionString ? redactUrl(options.connectionString) : 'the given pool';
    const pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 4,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      });
    // An idle client losing its server must not crash the process; the next query reports it.
    if (!options.pool) pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool, !options.pool, schema, options.validator, options.pollMs ?? 250, label);
    try {
      await store.migrate();
    } catch (error) {
      if (store.ownsPool) await pool.end().catch(() => undefined);
      throw store.mapError(error);
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await migratePostgresSchema(this.pool, this.schema, async (client) => {
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.table} (
          global_position BIGINT PRIMARY KEY,
          event_id        TEXT   NOT NULL UNIQUE,
          stream_id       TEXT   NOT NULL,
          stream_revision BIGINT NOT NULL,
          type            TEXT   NOT NULL,
          canonical       TEXT   NOT NULL,
          hash            TEXT   NOT NULL,
          prev_hash       TEXT   NOT NULL,
          UNIQUE (stream_id, stream_revision)
        )`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.checkpointsTable} (
          id        BIGSERIAL PRIMARY KEY,
          tree_size BIGINT NOT NULL,
          root_hash TEXT   NOT NULL,
          issued_at TEXT   NOT NULL,
          note      TEXT   NOT NULL
        )`);
      await client.query(`
        CREATE OR REPLACE FUNCTION "${this.schema}".events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$`);
      await client.query(`
        CREATE OR REPLACE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON ${this.table}
        FOR EACH ROW EXECUTE FUNCTION "${this.schema}".events_append_only()`);
      await client.query(`
        CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${this.table}
        FOR EACH STATEMENT EXECUTE FUNCTION "${this.schema}".events_append_only()`);
    });
  }

  async append(streamId: string, expectedRevision: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    const request: AppendRequest = { streamId, expectedRevision, events };
    request.roundTrips = checkAppendRequest(request, this.validator);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const { rows } = await this.query<{ canonical: string; hash: string }>(
      `SELECT canonical, hash FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_revision`,
      [streamId],
    );
    return rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
  }

  async readAll(fromPosition: number, limit = 1000): Promise<RecordedEvent[]> {
    const rows = await this.readStoredRows(fromPosition, limit);
    return rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
  }

  async readStoredRows(fromPosition: number, limit: number): Promise<StoredEventRow[]> {
    const { rows } = await this.query<{ global_position: string; canonical: string; hash: string }>(
      `SELECT global_position, canonical, hash FROM ${this.table}
        WHERE global_position >= $1 ORDER BY global_position LIMIT $2`,
      [fromPosition, limit],
    );
    return rows.map((row) => ({ globalPosition: Number(row.global_position), canonical: row.canonical, hash: row.hash }));
  }

  async readLeafHashes(fromPosition: number, toPosition: number): Promise<Uint8Array[]> {
    const { rows } = await this.query<{ hash: string }>(
      `SELECT hash FROM ${this.table} WHERE global_position >= $1 AND global_position < $2 ORDER BY global_position`,
      [fromPosition, toPosition],
    );
    return rows.map((row) => Buffer.from(row.hash, 'hex'));
  }

  async findEvent(eventId: string): Promise<RecordedEvent | undefined> {
    const { rows } = await this.query<{ canonical: string; hash: string }>(
      `SELECT canonical, hash FROM ${this.table} WHERE event_id = $1`,
      [eventId],
    );
    return rows[0] ? recordedFromCanonical(rows[0].canonical, rows[0].hash) : undefined;
  }

  subscribe(fromPosition: number, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    this.assertOpen();
    return this.subscriptions.subscribe(fromPosition, handler);
  }

  async head(): Promise<LedgerHead> {
    const { rows } = await this.query<{ global_position: string; hash: string }>(
      `SELECT global_position, hash FROM ${this.table} ORDER BY global_position DESC LIMIT 1`,
    );
    return headAfterRow(rows[0]);
  }

  async addCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.query(`INSERT INTO ${this.checkpointsTable} (tree_size, root_hash, issued_at, note) VALUES ($1, $2, $3, $4)`, [
      checkpoint.treeSize,
      checkpoint.rootHash,
      checkpoint.issuedAt,
      checkpoint.note,
    ]);
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    const { rows } = await this.query<SqlCheckpointRow>(
      `SELECT tree_size, root_hash, issued_at, note FROM ${this.checkpointsTable} ORDER BY id`,
    );
    return rows.map(fromSqlCheckpoint);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const { rows } = await this.query<SqlCheckpointRow>(
      `SELECT tree_size, root_hash, issued_at, note FROM ${this.checkpointsTable} ORDER BY id DESC LIMIT 1`,
    );
    return rows[0] ? fromSqlCheckpoint(rows[0]) : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.subscriptions.closeAll();
    if (this.ownsPool) await this.pool.end();
  }

  /** One batch per transaction; appends arriving meanwhile wait for the next batch. */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let outcomes: AppendOutcome[];
      try {
        outcomes = await this.transaction((client) => this.writeBatch(client, batch));
      } catch (error) {
        rejectBatch(batch, this.mapError(error));
        continue;
      }
      settleBatch(batch, outcomes);
      this.signal.notify();
    }
    this.flushing = undefined;
  }

  private async writeBatch(client: pg.PoolClient, batch: PendingAppend[]): Promise<AppendOutcome[]> {
    // Serialises appends across connections and processes; released at COMMIT/ROLLBACK.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
    const headRows = await client.query<{ global_position: string; hash: string }>(
      `SELECT global_position, hash FROM ${this.table} ORDER BY global_position DESC LIMIT 1`,
    );
    const head = headAfterRow(headRows.rows[0]);
    const { eventIds, streamIds } = batchLookupKeys(batch);
    const [existing, revisions] = [
      await client.query<SqlEventRow>(
        `SELECT global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash
           FROM ${this.table} WHERE event_id = ANY($1::text[])`,
        [eventIds],
      ),
      await client.query<{ stream_id: string; rev: string }>(
        `SELECT stream_id, MAX(stream_revision) AS rev FROM ${this.table} WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
        [streamIds],
      ),
    ];
    const existingById = new Map(existing.rows.map((row) => [row.event_id, fromSqlRow(row)] as const));
    const streamRevisions = new Map(revisions.rows.map((row) => [row.stream_id, Number(row.rev)] as const));
    const { rows, outcomes } = planBatch(batch, { head, existingById, streamRevisions });
    if (rows.length > 0) await this.insertRows(client, rows);
    return outcomes;
  }

  private async insertRows(client: pg.PoolClient, rows: EventRow[]): Promise<void> {
    await client.query(
      `INSERT INTO ${this.table} (global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [
        rows.map((row) => row.globalPosition),
        rows.map((row) => row.eventId),
        rows.map((row) => row.streamId),
        rows.map((row) => row.streamRevision),
        rows.map((row) => row.type),
        rows.map((row) => row.canonical),
        rows.map((row) => row.hash),
        rows.map((row) => row.prevHash),
      ],
    );
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    this.assertOpen();
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw this.mapError(error);
    }
  }

  private mapError(error: unknown): Error {
    if (error instanceof EventStoreUnavailableError || error instanceof ValidationError) return error;
    const code = (error as { code?: unknown }).code;
    const message = (error as Error).message || String(error);
    if (
      (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
      /timeout exceeded when trying to connect|Connection terminated/i.test(message)
    ) {
      return new EventStoreUnavailableError('STORE_UNREACHABLE', `PostgreSQL store ${this.label} is unreachable: ${message}`, {
        code,
      });
    }
    if (code === '40001' || code === '40P01') {
      return new ConcurrencyError('STORE_BUSY', `PostgreSQL store ${this.label}: ${message}`, { code });
    }
    return error as Error;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('STORE_CLOSED', `PostgreSQL store ${this.label} is closed`);
  }
}
