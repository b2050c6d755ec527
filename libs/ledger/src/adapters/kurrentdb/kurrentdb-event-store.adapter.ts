import {
  KurrentDBClient,
  binaryEvent,
  jsonEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
  FORWARDS,
  START,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError } from '@radledger/platform';
import { recordedFromCanonical, type NewEvent, type RecordedEvent } from '../../core/envelope.js';
import type {
  AppendResult,
  EventValidator,
  ExpectedRevision,
  LedgerHead,
  LedgerStore,
  StoredCheckpoint,
  StoredEventRow,
  Subscription,
} from '../../event-store.port.js';
import { checkAppendRequest, planBatch, type AppendRequest, type EventRow } from '../append-plan.js';
import { AppendSignal, CatchUpSubscription } from '../catch-up-subscription.js';
import { EventStoreUnavailableError, redactUrl } from '../event-store.exception.js';
import {
  LINK_EVENT_TYPE,
  LedgerIndex,
  kurrentStreamNames,
  type KurrentStreamNames,
  expectedLedgerState,
  fromLedgerRecord,
  linkTarget,
  toLedgerRecord,
} from './kurrentdb-ledger.mapping.js';

export interface KurrentEventStoreOptions {
  /** `kurrentdb://host:2113?tls=false` (any connection string the client accepts). */
  connectionString: string;
  validator?: EventValidator;
  /** How often a live subscription polls for appends by other processes (default 250 ms). */
  pollMs?: number;
  /** Appends retried after another writer moved the ledger head (default 3). */
  maxWriterRetries?: number;
  /** Stream-name prefix: one ledger per prefix (default `radledger`). */
  streamPrefix?: string;
}

const READ_PAGE = 1000;

/**
 * The ledger on KurrentDB (ADR 0003): one ledger stream in chain order, appended with the
 * expected revision equal to the last global position; per-aggregate revisions are checked
 * here, against an index built from the ledger stream itself; per-aggregate streams are
 * exposed as link streams (`radledger-agg-<streamId>`) written after each append (they can
 * be rebuilt from the ledger, which stays the only source of truth).
 *
 * Compile-checked against @kurrent/kurrentdb-client's documented API; the contract suite
 * runs against it only when KURRENTDB_URL names a live server (none can run on the
 * development machines: see the README).
 */
export class KurrentEventStore implements LedgerStore {
  private readonly index = new LedgerIndex();
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly streams: KurrentStreamNames;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentEventStoreOptions,
  ) {
    this.streams = kurrentStreamNames(options.streamPrefix);
  }

  static async open(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
    let client: KurrentDBClient;
    try {
      client = KurrentDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new EventStoreUnavailableError('STORE_URL_INVALID', `store URL ${redactUrl(options.connectionString)}: ${(error as Error).message}`);
    }
    const store = new KurrentEventStore(client, options);
    try {
      await store.refresh();
    } catch (error) {
      await client.dispose();
      if (error instanceof EventStoreUnavailableError) throw error;
      throw new EventStoreUnavailableError('STORE_UNREACHABLE', `KurrentDB at ${redactUrl(options.connectionString)} did not answer: ${(error as Error).message}`);
    }
    return store;
  }

  append(streamId: string, expectedRevision: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    const request: AppendRequest = { streamId, expectedRevision, events };
    checkAppendRequest(request, this.options.validator);
    // One writer per process: appends run one after another, each planned against a fresh head.
    const run = this.tail.then(() => this.appendNow(request));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(request: AppendRequest): Promise<AppendResult> {
    const retries = this.options.maxWriterRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.refresh();
      const state = await this.index.batchState([request], (position) => this.readRow(position));
      const { rows, outcomes } = planBatch([request], state);
      const outcome = outcomes[0]!;
      if ('error' in outcome) throw outcome.error;
      if (rows.length === 0) return outcome.ok; // idempotent replay
      try {
        await this.client.appendToStream(
          this.streams.ledger,
          rows.map((row) => binaryEvent(toLedgerRecord(row))),
          { streamState: expectedLedgerState(state.head.size) },
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < retries) continue; // another writer moved the head
        if (error instanceof WrongExpectedVersionError) {
          throw new ConcurrencyError('LEDGER_WRITER_CONFLICT', `another writer kept appending to ${this.streams.ledger}; retry the append`);
        }
        throw error;
      }
      for (const row of rows) this.index.apply(row);
      await this.linkAggregate(request.streamId, rows);
      this.signal.notify();
      return outcome.ok;
    }
  }

  /** Best-effort per-aggregate view; the ledger stream is authoritative and the links can be rebuilt from it. */
  private async linkAggregate(streamId: string, rows: EventRow[]): Promise<void> {
    try {
      await this.client.appendToStream(
        this.streams.aggregate(streamId),
        rows.map((row) => binaryEvent({ type: LINK_EVENT_TYPE, data: Buffer.from(linkTarget(row.globalPosition, this.streams.ledger), 'utf8') })),
      );
    } catch {
      // A missing link never loses data: readStream answers from the ledger stream.
    }
  }

  /** Reads ledger records past the index's head (appends by other writers included). */
  private async refresh(): Promise<void> {
    for (;;) {
      const rows = await this.readRows(this.index.size, READ_PAGE);
      for (const row of rows) this.index.apply(row);
      if (rows.length < READ_PAGE) return;
    }
  }

  private async readRows(fromPosition: number, limit: number): Promise<EventRow[]> {
    const rows: EventRow[] = [];
    try {
      const records = this.client.readStream(this.streams.ledger, { fromRevision: BigInt(fromPosition), maxCount: limit, direction: FORWARDS });
      for await (const resolved of records as AsyncIterable<ResolvedEvent>) {
        const event = resolved.event;
        if (!event || event.isJson) continue;
        rows.push(fromLedgerRecord({ revision: event.revision, type: event.type, data: event.data as Uint8Array, metadata: event.metadata }));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return rows;
  }

  private async readRow(position: number): Promise<EventRow> {
    const [row] = await this.readRows(position, 1);
    if (!row) throw new EventStoreUnavailableError('STORE_CORRUPT', `ledger stream has no record at ${position}`);
    return row;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    await this.refresh();
    const out: RecordedEvent[] = [];
    for (const position of this.index.positionsOf(streamId)) {
      const row = await this.readRow(position);
      out.push(recordedFromCanonical(row.canonical, row.hash));
    }
    return out;
  }

  async readAll(fromPosition: number, limit = READ_PAGE): Promise<RecordedEvent[]> {
    const rows = await this.readRows(fromPosition, limit);
    return rows.map((row) => recordedFromCanonical(row.canonical, row.hash));
  }

  subscribe(fromPosition: number, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    const subscription = new CatchUpSubscription(
      { readAll: (from, limit) => this.readAll(from, limit), headSize: async () => (await this.head()).size },
      fromPosition,
      handler,
      this.signal,
      this.options.pollMs ?? 250,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async head(): Promise<LedgerHead> {
    await this.refresh();
    return this.index.head();
  }

  async readStoredRows(fromPosition: number, limit: number): Promise<StoredEventRow[]> {
    const rows = await this.readRows(fromPosition, limit);
    return rows.map((row) => ({ globalPosition: row.globalPosition, canonical: row.canonical, hash: row.hash }));
  }

  async readLeafHashes(fromPosition: number, toPosition: number): Promise<Uint8Array[]> {
    await this.refresh();
    const out: Uint8Array[] = [];
    for (let p = fromPosition; p < toPosition; p++) out.push(Buffer.from(this.index.leafHash(p), 'hex'));
    return out;
  }

  async findEvent(eventId: string): Promise<RecordedEvent | undefined> {
    await this.refresh();
    const position = this.index.positionOf(eventId);
    if (position === undefined) return undefined;
    const row = await this.readRow(position);
    return recordedFromCanonical(row.canonical, row.hash);
  }

  async addCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.client.appendToStream(this.streams.checkpoints, jsonEvent({ type: 'CheckpointIssued', data: { ...checkpoint } }));
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    const out: StoredCheckpoint[] = [];
    try {
      for await (const resolved of this.client.readStream(this.streams.checkpoints, { fromRevision: START, direction: FORWARDS }) as AsyncIterable<ResolvedEvent>) {
        const data = resolved.event?.data as StoredCheckpoint | undefined;
        if (data && typeof data.note === 'string') out.push({ treeSize: data.treeSize, rootHash: data.rootHash, issuedAt: data.issuedAt, note: data.note });
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return out;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return (await this.listCheckpoints()).at(-1);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.tail;
    await this.client.dispose();
  }
}
