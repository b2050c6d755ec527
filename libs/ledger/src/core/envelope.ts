import { canonicalJson, canonicalPlainJson, canonicalString } from './canonical-json.js';
import { leafHash, leafHashHex } from './hashing.js';

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

/**
 * An event's RFC 8785 text before it has a place in the ledger: everything but the three
 * members the ledger assigns (globalPosition, prevHash, streamRevision: decimal and hex
 * strings, which need no escaping). The envelope's member names are fixed, so their
 * sorted order (RFC 8785 §3.2.3) is known:
 * data < eventId < globalPosition < meta < prevHash < schemaVersion < streamId <
 * streamRevision < type. Data and meta are canonicalised once, when the append is
 * checked; placing the event (again, after a lost race) only concatenates.
 */
export interface EncodedEvent {
  /** `{"data":…,"eventId":"…","globalPosition":"` */
  readonly head: string;
  /** `","meta":…,"prevHash":"` */
  readonly middle: string;
  /** `","schemaVersion":…,"streamId":"…","streamRevision":"` */
  readonly tail: string;
  /** `","type":"…"}` */
  readonly end: string;
  /** False when JSON.parse of the text would not give back data and meta as given (an undefined member, -0). */
  readonly exact: boolean;
}

/**
 * Encodes `event` for `streamId` (throws NotJsonError for payloads that are not plain
 * JSON, TypeError for ids with lone surrogates). Callers check the field types first.
 */
export function encodeEvent(event: NewEvent<unknown>, streamId: string): EncodedEvent {
  const data = canonicalPlainJson(event.data, 'data');
  const meta = canonicalPlainJson(event.meta, 'meta');
  const eventId = canonicalString(event.eventId);
  const stream = canonicalString(streamId);
  const type = canonicalString(event.type);
  if (eventId === undefined || stream === undefined || type === undefined) {
    throw new TypeError('eventId, streamId and type must not contain lone surrogates (RFC 8785 §3.1)');
  }
  return {
    head: `{"data":${data.text},"eventId":${eventId},"globalPosition":"`,
    middle: `","meta":${meta.text},"prevHash":"`,
    tail: `","schemaVersion":${String(event.schemaVersion)},"streamId":${stream},"streamRevision":"`,
    end: `","type":${type}}`,
    exact: !data.lossy && !meta.lossy,
  };
}

/** The canonical text and leaf hash of an encoded event at its place in the ledger. */
export function placeEncoded(encoded: EncodedEvent, globalPosition: number, prevHash: string, streamRevision: number): { canonical: string; hash: string } {
  const canonical = encoded.head + String(globalPosition) + encoded.middle + prevHash + encoded.tail + String(streamRevision) + encoded.end;
  return { canonical, hash: leafHashHex(canonical) };
}

/** Re-parse stored canonical text into a recorded event (the stored bytes are the source of truth). */
export function recordedFromCanonical<D = Record<string, unknown>>(canonical: string, hash: string): RecordedEvent<D> {
  const envelope = JSON.parse(canonical) as EventEnvelope<D>;
  return { ...envelope, canonical, hash };
}
