import { canonicalJson } from './canonical-json.js';
import { leafHash } from './hashing.js';

/** Who did what, when and why: attached to every event (ALCOA+: attributable, contemporaneous). */
export interface EventMeta {
  actor: string;
  role: string;
  onBehalfOf?: string;
  /** Required for edits and corrections. */
  reason?: string;
  correlationId: string;
  causationId: string;
  /** Server UTC, ISO 8601 with milliseconds. */
  recordedAt: string;
  /** Software name and version that recorded the event. */
  client: string;
}

/**
 * The envelope as hashed and stored. Positions and revisions are decimal strings in the
 * JSON (64-bit counters that JSON numbers cannot carry exactly); `hash` is excluded from
 * the hashed bytes and is hex. Hashes are lowercase hex.
 */
export interface EventEnvelope<D = Record<string, unknown>> {
  eventId: string;
  streamId: string;
  streamRevision: string;
  globalPosition: string;
  type: string;
  schemaVersion: number;
  data: D;
  meta: EventMeta;
  prevHash: string;
}

/** An event as read back from the ledger: the envelope, its exact canonical text, and its hash. */
export interface RecordedEvent<D = Record<string, unknown>> extends EventEnvelope<D> {
  hash: string;
  /** The exact RFC 8785 bytes (UTF-8 text) that were hashed: JCS(envelope without hash). */
  canonical: string;
}

/** What a writer hands to `append`: the ledger assigns stream revision, position and chain. */
export interface NewEvent<D = Record<string, unknown>> {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: D;
  meta: EventMeta;
}

/** Seal an envelope: canonical bytes and leaf hash `SHA-256(0x00 || JCS(envelope))`. */
export function sealEnvelope<D>(envelope: EventEnvelope<D>): RecordedEvent<D> {
  const canonical = canonicalJson(envelope);
  return { ...envelope, canonical, hash: leafHash(canonical).toString('hex') };
}

/** Re-parse stored canonical text into a recorded event (the stored bytes are the source of truth). */
export function recordedFromCanonical<D = Record<string, unknown>>(canonical: string, hash: string): RecordedEvent<D> {
  const envelope = JSON.parse(canonical) as EventEnvelope<D>;
  return { ...envelope, canonical, hash };
}
