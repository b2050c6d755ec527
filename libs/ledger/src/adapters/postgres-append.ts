import { GENESIS_PREV_HASH } from '../core/hashing.js';
import type { LedgerHead } from '../event-store.port.js';
import type { BatchPlan, EventRow } from './append-plan.js';

/**
 * The server side of a PostgreSQL append: one plpgsql function that takes the append lock,
 * checks what the client planned against (head, stream revisions, eventIds assumed new)
 * and either inserts the planned rows or returns the actual state without writing. Called
 * in autocommit, it is one round trip and one transaction per group-commit batch. When it
 * inserts it also NOTIFYs `channel` with the new size (delivered at commit, so listeners
 * in other processes never hear of rows they cannot read yet), instead of a second
 * statement and transaction from the client.
 *
 * Why a function and not one SQL statement: a statement's snapshot is taken before it
 * could take the lock, so it might not see the rows of the writer it waited for. A
 * VOLATILE plpgsql function takes a fresh snapshot for each statement in READ COMMITTED,
 * so the head it reads after the lock is the committed head. (Under a stricter default
 * isolation a stale read cannot fork the chain either: global_position is the primary
 * key, so the insert fails instead.)
 *
 * Positions and prevHash columns are not sent: the function derives them from the head it
 * checked (position = size + i, prevHash = the previous row's hash), so the columns are
 * chained by the server. The hashed text carries them too; the verifier checks both.
 */
export function appendFunctionSql(schema: string, channel: string): string {
  const events = `"${schema}".events`;
  const genesis = `'${GENESIS_PREV_HASH}'`;
  return `
CREATE OR REPLACE FUNCTION "${schema}".append_events(
  p_size bigint, p_last_hash text,
  p_stream_ids text[], p_stream_revisions bigint[],
  p_probe_ids text[],
  p_event_ids text[], p_event_streams text[], p_event_revisions bigint[], p_types text[], p_canonicals text[], p_hashes text[]
) RETURNS json LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  head_position bigint;
  head_hash text;
BEGIN
  -- The lock every RadLedger writer of this schema takes (released at commit): one chain order.
  PERFORM pg_advisory_xact_lock(hashtext('radledger.append.${schema}'));
  SELECT e.global_position, e.hash INTO head_position, head_hash FROM ${events} e ORDER BY e.global_position DESC LIMIT 1;
  IF coalesce(head_position + 1, 0) = p_size
     AND coalesce(head_hash, ${genesis}) = p_last_hash
     AND NOT EXISTS (
       SELECT 1 FROM unnest(p_stream_ids, p_stream_revisions) AS s(id, rev)
        WHERE s.rev IS DISTINCT FROM (SELECT max(e.stream_revision) FROM ${events} e WHERE e.stream_id = s.id))
     AND NOT EXISTS (SELECT 1 FROM ${events} e WHERE e.event_id = ANY (p_probe_ids))
  THEN
    INSERT INTO ${events} (global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash)
    SELECT p_size + r.n - 1, r.event_id, r.stream_id, r.stream_revision, r.type, r.canonical, r.hash,
           coalesce(lag(r.hash) OVER (ORDER BY r.n), p_last_hash)
      FROM unnest(p_event_ids, p_event_streams, p_event_revisions, p_types, p_canonicals, p_hashes)
           WITH ORDINALITY AS r(event_id, stream_id, stream_revision, type, canonical, hash, n);
    PERFORM pg_notify('${channel}', (p_size + coalesce(cardinality(p_event_ids), 0))::text);
    RETURN NULL;
  END IF;
  RETURN json_build_object(
    'size', coalesce(head_position + 1, 0),
    'lastHash', coalesce(head_hash, ${genesis}),
    'streams', (SELECT coalesce(json_agg(json_build_array(s.id,
                  (SELECT max(e.stream_revision) FROM ${events} e WHERE e.stream_id = s.id))), '[]'::json)
                  FROM unnest(p_stream_ids) AS s(id)),
    'existing', (SELECT coalesce(json_agg(json_build_array(e.global_position, e.event_id, e.stream_id, e.stream_revision,
                   e.type, e.canonical, e.hash, e.prev_hash)), '[]'::json)
                   FROM ${events} e WHERE e.event_id = ANY (p_event_ids || p_probe_ids)));
END
$fn$`;
}

/** What the append function returns when it did not write: the state under the lock. */
export interface AppendFunctionState {
  size: number | string;
  lastHash: string;
  /** [streamId, last revision or null] for every stream of the call. */
  streams: Array<[string, number | string | null]>;
  /** Stored rows among the call's eventIds: [position, eventId, streamId, revision, type, canonical, hash, prevHash]. */
  existing: Array<[number | string, string, string, number | string, string, string, string, string]>;
}

export interface AppendArguments {
  /** The head the rows were planned on. */
  head: LedgerHead;
  /** Every stream of the batch, with the revision assumed for it (absent: no stream). */
  streamIds: string[];
  streamRevisions: ReadonlyMap<string, number>;
  /** EventIds assumed unstored that the rows do not cover (see unwrittenEventIds). */
  probeIds: string[];
  rows: readonly EventRow[];
}

/** A head no ledger has: the function then only reports the state (used to read it under the lock). */
export const FORCE_STATE: LedgerHead = { size: -1, lastHash: GENESIS_PREV_HASH };

/** PostgreSQL refused a stored eventId (the UNIQUE column event_id). */
export function isEventIdConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && typeof e.constraint === 'string' && e.constraint.endsWith('event_id_key');
}

/**
 * What this process last saw of the ledger: the head and the last revision of recently
 * used streams. Only a guess to plan with; the append function checks it under the lock,
 * so a wrong guess costs a round trip, never correctness. A stream not seen is guessed
 * not to exist (new aggregates are the common case; commands read a stream before
 * appending to it, which records its revision).
 */
export class LedgerGuess {
  head: LedgerHead | undefined;
  private readonly streams = new Map<string, number>();

  constructor(private readonly maxStreams = 10_000) {}

  stateFor(streamIds: readonly string[]): { head: LedgerHead; streamRevisions: Map<string, number>; existingById: Map<string, EventRow> } {
    const streamRevisions = new Map<string, number>();
    for (const id of streamIds) {
      const revision = this.streams.get(id);
      if (revision !== undefined) streamRevisions.set(id, revision);
    }
    return { head: this.head!, streamRevisions, existingById: new Map() };
  }

  /** After a commit: the head and stream revisions the plan ends with. */
  committed(plan: BatchPlan): void {
    this.head = plan.head;
    for (const [id, revision] of plan.streamRevisions) this.remember(id, revision);
  }

  /** What the function read under the lock (authoritative at that moment; streams absent there do not exist). */
  locked(head: LedgerHead, revisions: ReadonlyMap<string, number>, streamIds: readonly string[]): void {
    this.head = head;
    for (const id of streamIds) {
      const revision = revisions.get(id);
      if (revision === undefined) this.streams.delete(id);
      else this.remember(id, revision);
    }
  }

  /** A head read without the lock: newer than the guess only if longer. */
  sawHead(head: LedgerHead): void {
    if (!this.head || head.size > this.head.size) this.head = head;
  }

  /** A stream read without the lock: its revision is at least the last one read. */
  sawStream(id: string, revision: number): void {
    const known = this.streams.get(id);
    if (known === undefined || revision > known) this.remember(id, revision);
  }

  forget(): void {
    this.head = undefined;
    this.streams.clear();
  }

  private remember(id: string, revision: number): void {
    // Re-inserted at the end: the Map's order is then least recently written first.
    this.streams.delete(id);
    this.streams.set(id, revision);
    if (this.streams.size > this.maxStreams) this.streams.delete(this.streams.keys().next().value!);
  }
}
