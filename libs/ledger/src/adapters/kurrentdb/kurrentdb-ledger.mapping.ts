import { v5 as uuidv5 } from 'uuid';
import { IllegalStateError } from '@radledger/platform';
import { GENESIS_PREV_HASH } from '../../core/hashing.js';
import type { LedgerHead } from '../../event-store.port.js';
import type { AppendRequest, BatchState, EventRow } from '../append-plan.js';

/**
 * Pure bookkeeping of the KurrentDB ledger adapter (ADR 0003). KurrentDB assigns `$all`
 * positions only at commit, but a RadLedger event's hash covers its global position and
 * the previous hash, so both must be known before the write. One ledger stream therefore
 * carries every event in chain order: its stream revision IS the global position, and each
 * append names the expected revision (= the current last position), so a second writer's
 * append fails instead of forking the chain.
 */

/** KurrentDB's event type for links. */
export const LINK_EVENT_TYPE = '$>';
export const DEFAULT_STREAM_PREFIX = 'radledger';

export interface KurrentStreamNames {
  /** The single stream that holds the chain. */
  ledger: string;
  /** Signed checkpoints, one JSON event each. */
  checkpoints: string;
  /** Per-aggregate view: link events (`$>`) pointing into the ledger stream. */
  aggregate(streamId: string): string;
}

/** Stream names under a prefix (one ledger per prefix: e.g. one per trial, or one per test). */
export function kurrentStreamNames(prefix = DEFAULT_STREAM_PREFIX): KurrentStreamNames {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(prefix)) throw new RangeError(`stream prefix ${JSON.stringify(prefix)}: letters, digits, '_', '.', '-'`);
  return {
    ledger: `${prefix}-ledger`,
    checkpoints: `${prefix}-checkpoints`,
    aggregate: (streamId) => `${prefix}-agg-${streamId}`,
  };
}

/** The body of a link event: `<revision>@<stream>` (KurrentDB's link format). */
export function linkTarget(globalPosition: number, ledgerStream: string): string {
  return `${globalPosition}@${ledgerStream}`;
}

/** The ledger stream's expected state for the next append: no stream yet, or the last position. */
export function expectedLedgerState(size: number): 'no_stream' | bigint {
  return size === 0 ? 'no_stream' : BigInt(size - 1);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Namespace of name-based KurrentDB event ids for RadLedger event ids that are not UUIDs. */
const EVENT_ID_NAMESPACE = '6f0d8a52-5f0b-5c7e-9a53-2b6a3c1d4e5f';

/** KurrentDB event ids must be UUIDs: ours are used as is when they are, else mapped by UUID v5. */
export function kurrentEventId(eventId: string): string {
  return UUID.test(eventId) ? eventId.toLowerCase() : uuidv5(eventId, EVENT_ID_NAMESPACE);
}

/** What the adapter writes for one row: the exact canonical bytes as binary data, chain fields as metadata. */
export interface LedgerRecordSpec {
  id: string;
  type: string;
  data: Uint8Array;
  metadata: LedgerRecordMetadata;
}

export interface LedgerRecordMetadata {
  eventId: string;
  streamId: string;
  streamRevision: string;
  hash: string;
  prevHash: string;
}

export function toLedgerRecord(row: EventRow): LedgerRecordSpec {
  return {
    id: kurrentEventId(row.eventId),
    type: row.type,
    // Binary, not JSON: the server must hand back the hashed bytes unchanged.
    data: Buffer.from(row.canonical, 'utf8'),
    metadata: { eventId: row.eventId, streamId: row.streamId, streamRevision: String(row.streamRevision), hash: row.hash, prevHash: row.prevHash },
  };
}

/** A record read back from the ledger stream (the fields of the client's RecordedEvent we use). */
export interface LedgerRecordRead {
  revision: bigint;
  type: string;
  data: Uint8Array;
  metadata: unknown;
}

export function fromLedgerRecord(record: LedgerRecordRead): EventRow {
  const meta = record.metadata as Partial<LedgerRecordMetadata> | undefined;
  if (!meta || typeof meta.eventId !== 'string' || typeof meta.hash !== 'string' || typeof meta.streamId !== 'string') {
    throw new IllegalStateError('STORE_CORRUPT', `ledger stream revision ${record.revision}: record has no RadLedger metadata`);
  }
  return {
    globalPosition: Number(record.revision),
    eventId: meta.eventId,
    streamId: meta.streamId,
    streamRevision: Number(meta.streamRevision),
    type: record.type,
    canonical: Buffer.from(record.data).toString('utf8'),
    hash: meta.hash,
    prevHash: typeof meta.prevHash === 'string' ? meta.prevHash : '',
  };
}

interface IndexedEvent {
  globalPosition: number;
  streamId: string;
  streamRevision: number;
}

/**
 * The single writer's view of the chain: head, leaf hashes, where each eventId and each
 * aggregate stream lives. Rebuilt by reading the ledger stream from the start (or from
 * where it stopped), so it holds no state the ledger does not.
 */
export class LedgerIndex {
  private hashes: string[] = [];
  private readonly byId = new Map<string, IndexedEvent>();
  private readonly streamPositions = new Map<string, number[]>();

  get size(): number {
    return this.hashes.length;
  }

  head(): LedgerHead {
    return { size: this.hashes.length, lastHash: this.hashes.at(-1) ?? GENESIS_PREV_HASH };
  }

  /** Adds the next row of the chain; a row out of order means the index missed something. */
  apply(row: EventRow): void {
    if (row.globalPosition !== this.hashes.length) {
      throw new IllegalStateError('LEDGER_INDEX_GAP', `ledger index at ${this.hashes.length} was given position ${row.globalPosition}`);
    }
    this.hashes.push(row.hash);
    this.byId.set(row.eventId, { globalPosition: row.globalPosition, streamId: row.streamId, streamRevision: row.streamRevision });
    const positions = this.streamPositions.get(row.streamId);
    if (positions) positions.push(row.globalPosition);
    else this.streamPositions.set(row.streamId, [row.globalPosition]);
  }

  positionOf(eventId: string): number | undefined {
    return this.byId.get(eventId)?.globalPosition;
  }

  positionsOf(streamId: string): readonly number[] {
    return this.streamPositions.get(streamId) ?? [];
  }

  leafHash(position: number): string {
    const hash = this.hashes[position];
    if (hash === undefined) throw new RangeError(`no leaf at ${position} (size ${this.hashes.length})`);
    return hash;
  }

  /** The planning state for one batch; rows for already-recorded eventIds are fetched by `loadRow`. */
  async batchState(requests: readonly AppendRequest[], loadRow: (position: number) => Promise<EventRow>): Promise<BatchState> {
    const existingById = new Map<string, EventRow>();
    const streamRevisions = new Map<string, number>();
    for (const request of requests) {
      const positions = this.streamPositions.get(request.streamId);
      if (positions && positions.length > 0) streamRevisions.set(request.streamId, positions.length - 1);
      for (const event of request.events) {
        const at = this.byId.get(event.eventId);
        if (at && !existingById.has(event.eventId)) existingById.set(event.eventId, await loadRow(at.globalPosition));
      }
    }
    return { head: this.head(), existingById, streamRevisions };
  }
}
