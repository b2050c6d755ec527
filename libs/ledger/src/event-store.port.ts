import type { NewEvent, RecordedEvent } from './core/envelope.js';

/** `any`: no check; `no-stream`: the stream must not exist; a number: the stream's last revision must equal it. */
export type ExpectedRevision = 'any' | 'no-stream' | number;

export interface AppendResult {
  streamId: string;
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: number;
  /** Global position of the first and last appended events (0-based). */
  firstPosition: number;
  lastPosition: number;
  events: RecordedEvent[];
}

/** One stream's part of a multi-stream append. */
export interface StreamWrite {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
}

/** Called for every new event before anything is written; throws a DomainError (e.g. SCHEMA_INVALID) to refuse the whole append. */
export type EventValidator = (event: NewEvent) => void;

export interface Subscription {
  /** Resolves once the subscriber has caught up to the head at the time of the call. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface LedgerHead {
  /** Number of events (= next global position). */
  size: number;
  /** Hash of the last event, or the genesis prevHash if empty. */
  lastHash: string;
}

/**
 * The ledger port. Global positions are 0-based and gap-free; the chain order is the
 * global order. `append` is atomic: all events of one call or none.
 */
export interface EventStore {
  append(streamId: string, expectedRevision: ExpectedRevision, events: NewEvent[]): Promise<AppendResult>;
  /**
   * Several streams in one atomic append (every expected revision checked, all events or none),
   * for one decision that records facts in two aggregates (a model lock and its approval).
   */
  appendMany?(writes: StreamWrite[]): Promise<AppendResult[]>;
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Events with globalPosition >= fromPosition, in order, at most `limit`. */
  readAll(fromPosition: number, limit?: number): Promise<RecordedEvent[]>;
  /** Catch-up subscription: delivers every event from `fromPosition`, then new ones as they are appended. */
  subscribe(fromPosition: number, handler: (event: RecordedEvent) => Promise<void> | void): Subscription;
  head(): Promise<LedgerHead>;
  close(): Promise<void>;
}

/** A signed checkpoint as kept by the store: its parsed fields and the exact signed note text. */
export interface StoredCheckpoint {
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
  issuedAt: string;
  /** The C2SP signed note, byte for byte as issued. */
  note: string;
}

/** A stored row exactly as on disk, for verification: nothing parsed or trusted. */
export interface StoredEventRow {
  /** The row's position column (the verifier also checks the position inside the canonical bytes). */
  globalPosition: number;
  canonical: string;
  hash: string;
}

/**
 * What a ledger backend offers beyond the EventStore port: raw rows and leaf hashes for
 * the verifier and the Merkle tree, lookup by eventId for proofs, and checkpoint storage.
 */
export interface LedgerStore extends EventStore {
  /** Stored rows with globalPosition >= fromPosition, in order, at most `limit`. */
  readStoredRows(fromPosition: number, limit: number): Promise<StoredEventRow[]>;
  /** Leaf hashes (32 bytes each) of positions [fromPosition, toPosition). */
  readLeafHashes(fromPosition: number, toPosition: number): Promise<Uint8Array[]>;
  findEvent(eventId: string): Promise<RecordedEvent | undefined>;
  addCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** Oldest first. */
  listCheckpoints(): Promise<StoredCheckpoint[]>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /**
   * The SQLite file behind the store, if verification threads may open it themselves
   * (LedgerService.verifyLedger then reads no rows on the calling thread).
   */
  readonly sqliteFile?: string;
}
