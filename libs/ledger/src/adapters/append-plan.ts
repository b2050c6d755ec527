import { ConcurrencyError, IllegalStateError, ValidationError } from '@radledger/platform';
import { canonicalJson } from '../core/canonical-json.js';
import { recordedFromCanonical, sealEnvelope, type NewEvent, type RecordedEvent } from '../core/envelope.js';
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
   * Per event, from checkAppendRequest: true when data and meta survive a JSON round trip
   * unchanged (no undefined members, no -0), so the result can reuse them instead of
   * re-parsing the stored bytes.
   */
  roundTrips?: boolean[];
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
 * appended; runs before anything is queued. Returns, per event, whether its data and meta
 * survive a JSON round trip unchanged (see AppendRequest.roundTrips).
 */
export function checkAppendRequest(request: AppendRequest, validator?: EventValidator): boolean[] {
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
  const roundTrips = events.map((event, index) => {
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
    const exact = { value: true };
    assertJsonValue(event.data, `${where}.data`, exact, true);
    assertJsonValue(event.meta, `${where}.meta`, exact, true);
    return exact.value;
  });
  if (validator) for (const event of events) validator(event);
  return roundTrips;
}

function notJson(path: string, what: string): never {
  throw new ValidationError('EVENT_NOT_JSON', `${path} ${what}; event payloads must be plain JSON`);
}

/** Only values JSON carries exactly may enter the hashed bytes (RFC 8785 §3.2.2 rejects NaN/Infinity). */
function assertJsonValue(value: unknown, path: string, exact: { value: boolean }, mustBeObject = false): void {
  if (mustBeObject && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    notJson(path, 'must be a JSON object');
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) notJson(path, `is ${String(value)}`);
      if (Object.is(value, -0)) exact.value = false;
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i += 1) assertJsonValue(value[i], `${path}[${i}]`, exact);
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) notJson(path, `is a ${proto?.constructor?.name ?? 'non-plain'} object`);
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) exact.value = false;
        else if (typeof item === 'string' || typeof item === 'boolean') continue;
        else assertJsonValue(item, `${path}.${key}`, exact);
      }
      return;
    }
    default:
      notJson(path, `is of type ${typeof value}`);
  }
}

/** The fields that make two appends of one eventId "the same event" (positions and chain excluded). */
function contentKey(streamId: string, event: Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'meta'>): string {
  return canonicalJson({ streamId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, meta: event.meta });
}

function revisionText(revision: number | undefined): string {
  return revision === undefined ? 'no stream' : `revision ${revision}`;
}

/**
 * Plans one batch. Mutates nothing it is given except through the returned rows; the
 * caller inserts `rows` in the same transaction, then settles each request's outcome.
 */
export function planBatch(requests: AppendRequest[], state: BatchState): { rows: EventRow[]; outcomes: AppendOutcome[] } {
  const rows: EventRow[] = [];
  const existing = new Map(state.existingById);
  const revisions = new Map(state.streamRevisions);
  let size = state.head.size;
  let lastHash = state.head.lastHash;
  const outcomes = requests.map((request): AppendOutcome => {
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
      let revision = actual ?? -1;
      for (const [index, event] of request.events.entries()) {
        revision += 1;
        const sealed = sealEnvelope({
          eventId: event.eventId,
          streamId: request.streamId,
          streamRevision: String(revision),
          globalPosition: String(size),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          meta: event.meta,
          prevHash: lastHash,
        });
        const row: EventRow = {
          globalPosition: size,
          eventId: event.eventId,
          streamId: request.streamId,
          streamRevision: revision,
          type: event.type,
          canonical: sealed.canonical,
          hash: sealed.hash,
          prevHash: lastHash,
        };
        rows.push(row);
        existing.set(event.eventId, row);
        // Hand back what a reader will see: the caller's objects when JSON carries them
        // unchanged, else the stored bytes re-parsed.
        events.push(request.roundTrips?.[index] ? sealed : recordedFromCanonical(sealed.canonical, sealed.hash));
        size += 1;
        lastHash = sealed.hash;
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
  });
  return { rows, outcomes };
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
