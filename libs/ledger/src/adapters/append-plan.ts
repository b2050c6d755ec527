import { ConcurrencyError, IllegalStateError, ValidationError } from '@radledger/platform';
import { canonicalJson, NotJsonError } from '../core/canonical-json.js';
import { encodeEvent, placeEncoded, recordedFromCanonical, type EncodedEvent, type NewEvent, type RecordedEvent } from '../core/envelope.js';
import type { AppendResult, EventValidator, ExpectedRevision, LedgerHead } from '../event-store.port.js';

/**
 * The part of append shared by every adapter: input checks before queueing, then the
 * planning of one group-commit batch against the head and stream revisions read inside
 * the write transaction. Planning is pure: each request either becomes rows, an
 * idempotent replay of an earlier append, or an error that sinks only that request.
 */

/** One row of the `events` table. */
export interface EventRow {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamRevision: number;
  type: string;
  canonical: string;
  hash: string;
  prevHash: string;
}

export interface AppendRequest {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
  /**
   * Per event, from checkAppendRequest: its canonical text but for the members the ledger
   * assigns (encoded once; planning only concatenates). Encoded by planBatch if absent.
   */
  encoded?: EncodedEvent[];
  /**
   * Requests with the same group (consecutive in a batch, from one `appendMany`) are written
   * all or none: if any part fails, every part fails with that error and none is placed.
   */
  group?: number;
}

export type AppendOutcome = { ok: AppendResult } | { error: Error };

/** What the adapter read inside its write transaction before planning. */
export interface BatchState {
  head: LedgerHead;
  /** Rows already stored whose eventId occurs in the batch. */
  existingById: Map<string, EventRow>;
  /** Last revision of each stream named in the batch (absent: the stream does not exist). */
  streamRevisions: Map<string, number>;
}

/**
 * Throws a ValidationError (or whatever the validator throws) if the call cannot be
 * appended; runs before anything is queued. Returns each event encoded (see
 * AppendRequest.encoded): checking that a payload is plain JSON and writing its RFC 8785
 * text are one walk.
 */
export function checkAppendRequest(request: AppendRequest, validator?: EventValidator): EncodedEvent[] {
  const { streamId, expectedRevision, events } = request;
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new ValidationError('EVENT_INVALID', 'streamId must be a non-empty string');
  }
  if (
    expectedRevision !== 'any' &&
    expectedRevision !== 'no-stream' &&
    !(Number.isSafeInteger(expectedRevision) && expectedRevision >= 0)
  ) {
    throw new ValidationError(
      'EVENT_INVALID',
      `expectedRevision must be 'any', 'no-stream' or an integer >= 0, got ${String(expectedRevision)}`,
    );
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new ValidationError('EVENTS_EMPTY', `append to stream ${streamId} needs at least one event`);
  }
  const seen = new Set<string>();
  const encoded = events.map((event, index) => {
    const where = `events[${index}]`;
    if (typeof event !== 'object' || event === null) throw new ValidationError('EVENT_INVALID', `${where} must be an object`);
    if (typeof event.eventId !== 'string' || event.eventId.length === 0) {
      throw new ValidationError('EVENT_INVALID', `${where}.eventId must be a non-empty string`);
    }
    if (seen.has(event.eventId)) {
      throw new ValidationError('EVENT_ID_DUPLICATE', `${where}.eventId ${event.eventId} occurs twice in one append`);
    }
    seen.add(event.eventId);
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new ValidationError('EVENT_INVALID', `${where}.type must be a non-empty string`);
    }
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new ValidationError('EVENT_INVALID', `${where}.schemaVersion must be an integer >= 1`);
    }
    for (const member of ['data', 'meta'] as const) {
      const value: unknown = event[member];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ValidationError('EVENT_NOT_JSON', `${where}.${member} must be a JSON object; event payloads must be plain JSON`);
      }
    }
    try {
      return encodeEvent(event, streamId);
    } catch (error) {
      if (error instanceof NotJsonError) {
        throw new ValidationError('EVENT_NOT_JSON', `${where}.${error.path} ${error.reason}; event payloads must be plain JSON`);
      }
      if (error instanceof TypeError) throw new ValidationError('EVENT_INVALID', `${where}: ${error.message}`);
      throw error;
    }
  });
  if (validator) for (const event of events) validator(event);
  return encoded;
}

/** The fields that make two appends of one eventId "the same event" (positions and chain excluded). */
function contentKey(streamId: string, event: Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'meta'>): string {
  return canonicalJson({ streamId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, meta: event.meta });
}

function revisionText(revision: number | undefined): string {
  return revision === undefined ? 'no stream' : `revision ${revision}`;
}

export interface BatchPlan {
  /** Rows to insert, in global order. */
  rows: EventRow[];
  /** outcomes[i] belongs to requests[i]. */
  outcomes: AppendOutcome[];
  /** The head once the rows are written. */
  head: LedgerHead;
  /** Last revision of every stream of the batch once the rows are written. */
  streamRevisions: Map<string, number>;
}

/**
 * Plans one batch. Mutates nothing it is given except through the returned rows; the
 * caller inserts `rows` in the same transaction, then settles each request's outcome.
 */
export function planBatch(requests: AppendRequest[], state: BatchState): BatchPlan {
  const rows: EventRow[] = [];
  const existing = new Map(state.existingById);
  const revisions = new Map(state.streamRevisions);
  let size = state.head.size;
  let lastHash = state.head.lastHash;
  const planOne = (request: AppendRequest): AppendOutcome => {
    try {
      const replay = replayIfRetry(request, existing);
      if (replay) return { ok: replay };
      const actual = revisions.get(request.streamId);
      const expected = request.expectedRevision;
      const conflict =
        (expected === 'no-stream' && actual !== undefined) || (typeof expected === 'number' && actual !== expected);
      if (conflict) {
        throw new ConcurrencyError(
          'STREAM_REVISION_CONFLICT',
          `stream ${request.streamId}: expected ${expected === 'no-stream' ? 'no stream' : `revision ${expected}`}, actual ${revisionText(actual)}`,
          { streamId: request.streamId, expected, actual: actual ?? 'no-stream' },
        );
      }
      const events: RecordedEvent[] = [];
      const encoded = request.encoded ?? request.events.map((event) => encodeEvent(event, request.streamId));
      let revision = actual ?? -1;
      for (let index = 0; index < request.events.length; index++) {
        const event = request.events[index]!;
        const form = encoded[index]!;
        revision += 1;
        const { canonical, hash } = placeEncoded(form, size, lastHash, revision);
        const row: EventRow = {
          globalPosition: size,
          eventId: event.eventId,
          streamId: request.streamId,
          streamRevision: revision,
          type: event.type,
          canonical,
          hash,
          prevHash: lastHash,
        };
        rows.push(row);
        existing.set(event.eventId, row);
        // Hand back what a reader will see: the caller's objects when JSON carries them
        // unchanged (no re-parse), else the stored bytes parsed.
        events.push(
          form.exact
            ? {
                eventId: event.eventId,
                streamId: request.streamId,
                streamRevision: String(revision),
                globalPosition: String(size),
                type: event.type,
                schemaVersion: event.schemaVersion,
                data: event.data,
                meta: event.meta,
                prevHash: lastHash,
                hash,
                canonical,
              }
            : recordedFromCanonical(canonical, hash),
        );
        size += 1;
        lastHash = hash;
      }
      revisions.set(request.streamId, revision);
      return {
        ok: {
          streamId: request.streamId,
          nextExpectedRevision: revision,
          firstPosition: size - events.length,
          lastPosition: size - 1,
          events,
        },
      };
    } catch (error) {
      return { error: error as Error };
    }
  };
  const outcomes: AppendOutcome[] = [];
  for (let i = 0; i < requests.length; ) {
    const group = requests[i]!.group;
    let end = i + 1;
    while (group !== undefined && end < requests.length && requests[end]!.group === group) end++;
    if (end - i === 1) {
      outcomes.push(planOne(requests[i]!));
      i = end;
      continue;
    }
    // One atomic multi-stream append: plan every part; on a failure restore the state before the group.
    const before = { rows: rows.length, size, lastHash, revisions: new Map(revisions), existing: new Map(existing) };
    const parts = requests.slice(i, end).map(planOne);
    const failed = parts.find((o): o is { error: Error } => 'error' in o);
    if (failed) {
      rows.length = before.rows;
      size = before.size;
      lastHash = before.lastHash;
      revisions.clear();
      for (const [k, v] of before.revisions) revisions.set(k, v);
      existing.clear();
      for (const [k, v] of before.existing) existing.set(k, v);
      for (let k = i; k < end; k++) outcomes.push({ error: failed.error });
    } else outcomes.push(...parts);
    i = end;
  }
  return { rows, outcomes, head: { size, lastHash }, streamRevisions: revisions };
}

/**
 * EventIds the plan assumed unstored without writing them: those of calls that failed
 * (a conflict). Had one of them been stored, the call would have been an idempotent replay
 * instead, so an adapter that planned without reading every eventId must check these (the
 * ones it writes are checked by the UNIQUE constraint on event_id).
 */
export function unwrittenEventIds(requests: readonly AppendRequest[], outcomes: readonly AppendOutcome[], known: ReadonlyMap<string, EventRow>): string[] {
  const ids: string[] = [];
  requests.forEach((request, index) => {
    if ('ok' in outcomes[index]!) return;
    for (const event of request.events) if (!known.has(event.eventId)) ids.push(event.eventId);
  });
  return ids;
}

/** Idempotent retry: every eventId already stored with the same content returns the original result. */
function replayIfRetry(request: AppendRequest, existing: Map<string, EventRow>): AppendResult | undefined {
  const found = request.events.map((event) => existing.get(event.eventId));
  if (found.every((row) => row === undefined)) return undefined;
  const stored: EventRow[] = [];
  request.events.forEach((event, index) => {
    const row = found[index];
    if (row === undefined) {
      throw new IllegalStateError(
        'EVENT_ID_REUSED',
        `append to stream ${request.streamId} mixes already recorded events with new event ${event.eventId}; retry the original append unchanged`,
        { eventId: event.eventId },
      );
    }
    const recorded = recordedFromCanonical(row.canonical, row.hash);
    if (row.streamId !== request.streamId || contentKey(row.streamId, recorded) !== contentKey(request.streamId, event)) {
      throw new IllegalStateError(
        'EVENT_ID_REUSED',
        `eventId ${event.eventId} is already recorded at global position ${row.globalPosition} with different content (stream, type, data or meta)`,
        { eventId: event.eventId, globalPosition: row.globalPosition },
      );
    }
    stored.push(row);
  });
  const contiguous = stored.every(
    (row, i) => i === 0 || (row.globalPosition === stored[i - 1]!.globalPosition + 1 && row.streamRevision === stored[i - 1]!.streamRevision + 1),
  );
  if (!contiguous) {
    throw new IllegalStateError(
      'EVENT_ID_REUSED',
      `events ${request.events.map((e) => e.eventId).join(', ')} were recorded by different appends; retry the original appends unchanged`,
    );
  }
  return {
    streamId: request.streamId,
    nextExpectedRevision: stored[stored.length - 1]!.streamRevision,
    firstPosition: stored[0]!.globalPosition,
    lastPosition: stored[stored.length - 1]!.globalPosition,
    events: stored.map((row) => recordedFromCanonical(row.canonical, row.hash)),
  };
}
