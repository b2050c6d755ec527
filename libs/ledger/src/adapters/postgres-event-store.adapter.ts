import { createHash } from 'node:crypto';
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
  StreamWrite,
} from '../event-store.port.js';
import {
  checkAppendRequest,
  planBatch,
  unwrittenEventIds,
  type AppendOutcome,
  type AppendRequest,
  type BatchPlan,
  type BatchState,
  type EventRow,
} from './append-plan.js';
import { AppendSignal, StoreSubscriptions } from './catch-up-subscription.js';
import { appendFunctionSql, FORCE_STATE, isEventIdConflict, LedgerGuess, type AppendArguments, type AppendFunctionState } from './postgres-append.js';
import { migratePostgresSchema } from './postgres-schema.js';
import { EventStoreUnavailableError, redactUrl } from './event-store.exception.js';
import { batchLookupKeys, queueGroup, rejectBatch, settleBatch, type PendingAppend } from './pending-append.js';
import { fromSqlCheckpoint, headAfterRow, type SqlCheckpointRow } from './sql-rows.js';

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
  /**
   * Append calls planned on what this process last saw of the ledger before a batch is
   * planned inside a transaction that holds the append lock (default 2). 0: always plan
   * under the lock (four round trips per batch instead of one).
   */
  optimisticAttempts?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Connection-level failures: the server is down, unknown, refuses us, or the database is missing. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000', '57P03']);

/**
 * PostgreSQL ledger. Appends go through one plpgsql function (postgres-append.ts) that
 * takes a transaction-scoped advisory lock (one per schema) and checks the head inside it,
 * so every connection and process appends in one order: global position order equals
 * chain order, with no gaps. Appends made while a commit is in flight are group-committed
 * in the next call. The canonical bytes are TEXT, never JSONB (JSONB reorders keys and
 * would break the hashes).
 */
export class PostgresEventStore implements LedgerStore {
  readonly schema: string;
  private readonly table: string;
  private readonly checkpointsTable: string;
  /** Name of the prepared append call (per connection; the schema's hash keeps pools shared by schemas apart). */
  private readonly appendStatement: string;
  private readonly guess = new LedgerGuess();
  private readonly signal = new AppendSignal();
  private readonly subscriptions: StoreSubscriptions;
  private queue: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** LISTENs on `appendChannel` while subscriptions are open: appends by other processes wake them at once (polling stays the fallback). */
  private listener: Promise<pg.Client | undefined> | undefined;
  /** The NOTIFY channel of this schema's appends (every process appending to it notifies it). */
  readonly appendChannel: string;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    schema: string,
    private readonly validator: EventValidator | undefined,
    pollMs: number,
    private readonly label: string,
    private readonly optimisticAttempts: number,
  ) {
    this.schema = schema;
    this.table = `"${schema}".events`;
    this.checkpointsTable = `"${schema}".checkpoints`;
    this.appendStatement = `radledger_append_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
    this.appendChannel = `radledger_appended_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
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
    const store = new PostgresEventStore(pool, !options.pool, schema, options.validator, options.pollMs ?? 250, label, options.optimisticAttempts ?? 2);
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
      await client.query(appendFunctionSql(this.schema, this.appendChannel));
    });
  }

  async append(streamId: string, expectedRevision: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    const request: AppendRequest = { streamId, expectedRevision, events };
    request.encoded = checkAppendRequest(request, this.validator);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Several streams in one transaction: all parts written, or none (a lock and its approval signature). */
  async appendMany(writes: StreamWrite[]): Promise<AppendResult[]> {
    this.assertOpen();
    const results = queueGroup(this.queue, writes, this.validator);
    if (!this.flushing) this.flushing = this.flushLoop();
    return results;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const { rows } = await this.query<{ canonical: string; hash: string }>(
      `SELECT canonical, hash FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_revision`,
      [streamId],
    );
    const events = rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
    if (events.length > 0) this.guess.sawStream(streamId, Number(events[events.length - 1]!.streamRevision));
    return events;
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
    this.listener ??= this.listen();
    return this.subscriptions.subscribe(fromPosition, handler);
  }

  /**
   * One connection of its own (not the pool's) LISTENing on the append channel: an append
   * committed by another process or API replica wakes this process's subscriptions (read
   * models, live GraphQL subscriptions) within milliseconds instead of the next poll. Without
   * it (connection lost, LISTEN refused) the subscriptions still poll every `pollMs`.
   */
  private async listen(): Promise<pg.Client | undefined> {
    const client = new pg.Client(this.pool.options);
    client.on('error', () => {
      this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    client.on('notification', () => this.signal.notify());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.appendChannel}"`);
      return client;
    } catch {
      this.listener = undefined;
      await client.end().catch(() => undefined);
      return undefined;
    }
  }

  async head(): Promise<LedgerHead> {
    const { rows } = await this.query<{ global_position: string; hash: string }>(
      `SELECT global_position, hash FROM ${this.table} ORDER BY global_position DESC LIMIT 1`,
    );
    const head = headAfterRow(rows[0]);
    this.guess.sawHead(head);
    return head;
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
    const listener = await this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    if (this.ownsPool) await this.pool.end();
  }

  /** One batch per statement; appends arriving meanwhile wait for the next batch. */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let outcomes: AppendOutcome[];
      try {
        outcomes = await this.writeBatch(batch);
      } catch (error) {
        // The commit may or may not have happened (e.g. the connection died after it):
        // guess nothing from here on.
        this.guess.forget();
        rejectBatch(batch, this.mapError(error));
        continue;
      }
      settleBatch(batch, outcomes);
      // This process's subscriptions; other processes' hear the append function's NOTIFY.
      this.signal.notify();
    }
    this.flushing = undefined;
  }

  /**
   * One round trip in the usual case: the batch is planned against what this process last
   * saw of the ledger (head, stream revisions; eventIds assumed new), and one call of the
   * append function checks that guess under the append lock and inserts, or returns the
   * actual state without writing. A wrong guess (another writer got in between, a stream
   * not seen yet) costs one more call planned on the returned state; if that loses a race
   * too, the batch is planned inside a transaction that holds the lock throughout.
   */
  private async writeBatch(batch: PendingAppend[]): Promise<AppendOutcome[]> {
    const streamIds = [...new Set(batch.map((request) => request.streamId))];
    let state = this.guess.head ? this.guess.stateFor(streamIds) : undefined;
    for (let attempt = 0; attempt < this.optimisticAttempts; attempt++) {
      if (!state) {
        state = this.stateFrom(await this.callAppend(this.pool, { head: FORCE_STATE, streamIds, streamRevisions: new Map(), probeIds: batchLookupKeys(batch).eventIds, rows: [] }));
        continue;
      }
      const plan = planBatch(batch, state);
      let actual: AppendFunctionState | null;
      try {
        actual = await this.callAppend(this.pool, this.appendArguments(state, plan, batch, streamIds));
      } catch (error) {
        // A stored eventId planned as new: plan again with every eventId read.
        if (isEventIdConflict(error)) break;
        throw error;
      }
      if (actual === null) {
        this.guess.committed(plan);
        return plan.outcomes;
      }
      state = this.stateFrom(actual, state);
    }
    return this.transaction(async (client) => {
      const locked = this.stateFrom(
        await this.callAppend(client, { head: FORCE_STATE, streamIds, streamRevisions: new Map(), probeIds: batchLookupKeys(batch).eventIds, rows: [] }),
      );
      const plan = planBatch(batch, locked);
      const changed = await this.callAppend(client, this.appendArguments(locked, plan, batch, streamIds));
      // Impossible while the lock is held; refuse rather than trust a plan made on other state.
      if (changed !== null) throw new Error(`PostgreSQL store ${this.label}: the ledger changed while its append lock was held`);
      this.guess.committed(plan);
      return plan.outcomes;
    });
  }

  private appendArguments(state: BatchState, plan: BatchPlan, batch: readonly AppendRequest[], streamIds: string[]): AppendArguments {
    return {
      head: state.head,
      streamIds,
      streamRevisions: state.streamRevisions,
      probeIds: unwrittenEventIds(batch, plan.outcomes, state.existingById),
      rows: plan.rows,
    };
  }

  private async callAppend(runner: pg.Pool | pg.PoolClient, args: AppendArguments): Promise<AppendFunctionState | null> {
    const { rows } = await runner.query<{ state: AppendFunctionState | null }>({
      name: this.appendStatement,
      text: `SELECT "${this.schema}".append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS state`,
      values: [
        args.head.size,
        args.head.lastHash,
        args.streamIds,
        args.streamIds.map((id) => args.streamRevisions.get(id) ?? null),
        args.probeIds,
        args.rows.map((row) => row.eventId),
        args.rows.map((row) => row.streamId),
        args.rows.map((row) => row.streamRevision),
        args.rows.map((row) => row.type),
        args.rows.map((row) => row.canonical),
        args.rows.map((row) => row.hash),
      ],
    });
    return rows[0]!.state;
  }

  /** The state the append function read under the lock, as a BatchState (rows already known are kept). */
  private stateFrom(actual: AppendFunctionState | null, known?: BatchState): BatchState {
    if (actual === null) throw new Error(`PostgreSQL store ${this.label}: the append function wrote without being asked to`);
    const head: LedgerHead = { size: Number(actual.size), lastHash: actual.lastHash };
    const streamRevisions = new Map<string, number>();
    for (const [id, revision] of actual.streams) if (revision !== null) streamRevisions.set(id, Number(revision));
    const existingById = new Map(known?.existingById ?? []);
    for (const [position, eventId, streamId, revision, type, canonical, hash, prevHash] of actual.existing) {
      existingById.set(eventId, { globalPosition: Number(position), eventId, streamId, streamRevision: Number(revision), type, canonical, hash, prevHash });
    }
    this.guess.locked(head, streamRevisions, actual.streams.map(([id]) => id));
    return { head, streamRevisions, existingById };
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
