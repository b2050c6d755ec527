import { DomainError } from '@radledger/platform';
import { CheckpointError, parseSignedCheckpoint, verifySignedCheckpoint, type Checkpoint, type CheckpointVerifier } from './checkpoint.js';
import type { RecordedEvent } from './envelope.js';
import { GENESIS_PREV_HASH, leafHashHex } from './hashing.js';
import { canonicalTopLevelValues } from './jcs-check.js';
import type { ChainChunkResult, ChunkFailure } from './chain-chunk.js';
import { MerkleAccumulator } from './merkle.js';

/** Top-level members the verifier reads: position and link, and the two that must be absent. */
const ENVELOPE_KEYS: readonly string[] = ['globalPosition', 'prevHash', 'hash', 'canonical'];

export type TamperKind = 'hash-mismatch' | 'broken-link' | 'gap' | 'bad-canonical' | 'bad-signature' | 'root-mismatch';

/**
 * The ledger is not what it claims to be. `position` is the global position of the first
 * offending event; for a checkpoint it is the last position the checkpoint covers
 * (treeSize - 1), and -1 when a checkpoint cannot even be parsed.
 */
export class LedgerVerificationError extends DomainError {
  constructor(
    readonly kind: TamperKind,
    readonly position: number,
    message: string,
    readonly expected?: string,
    readonly computed?: string,
  ) {
    super('LEDGER_TAMPERED', message, { kind, position, expected, computed });
  }
}

/**
 * What the verifier reads of an event: the stored bytes and the stored hash (the source of
 * truth), and, if the row has one, the position it is stored under (checked to agree).
 */
export type StoredEvent = Pick<RecordedEvent, 'canonical' | 'hash'> & { globalPosition?: string | number };

export interface VerifyChainOptions {
  /** Signed checkpoint notes to check against the recomputed roots. */
  checkpoints?: readonly string[];
  /** The pinned key the checkpoints must be signed with (required when `checkpoints` is non-empty). */
  verifier?: CheckpointVerifier;
  /** If set, every checkpoint's origin must equal it. */
  origin?: string;
  /**
   * Check that every stored text is exactly RFC 8785 of itself (default true). This is a
   * single scan of the text (jcs-check.ts) rather than parse + re-serialise, but still
   * costs about as much as hashing the event. Turning it off still detects every
   * change to stored bytes, hashes, order and links, because the hash covers the stored
   * text; what it no longer catches is a writer that stored non-canonical JSON in the
   * first place.
   */
  checkCanonical?: boolean;
  /** Called every `progressEvery` events (default 65536) with the number verified so far. */
  onProgress?: (verified: number) => void;
  progressEvery?: number;
}

export interface ChainVerification {
  size: number;
  /** Lowercase hex RFC 9162 root over all events. */
  rootHash: string;
  /** Hash of the last event (GENESIS_PREV_HASH when empty): compare with the store's head. */
  lastHash: string;
  /** Checkpoints whose signature and root were checked. */
  checkpointsVerified: number;
}

interface PendingCheckpoint {
  treeSize: number;
  checkpoint?: Checkpoint;
  failure?: CheckpointError;
}

/**
 * Incremental chain verifier: feed events in global order with {@link push}, then call
 * {@link finish}. Use it directly when events come from a synchronous cursor (e.g.
 * better-sqlite3 `iterate()`), or through {@link verifyChain}.
 *
 * Per event, in this order: the leaf hash of the stored text equals the stored hash
 * (DESIGN: hash = SHA-256(0x00 || JCS(envelope without hash))); the text is canonical;
 * its globalPosition is the next expected one; its prevHash is the previous event's hash
 * (GENESIS_PREV_HASH first); then the leaf joins the Merkle accumulator and checkpoints
 * of that size are compared. Checking the hash first names a flipped byte as a hash
 * mismatch, a deleted row as a gap and a swapped pair as a gap (reorder).
 */
export class ChainVerifier {
  private readonly acc = new MerkleAccumulator();
  private prevHash = GENESIS_PREV_HASH;
  private readonly checkCanonical: boolean;
  private readonly pending = new Map<number, PendingCheckpoint[]>();
  private checkpointsVerified = 0;
  private readonly progressEvery: number;

  constructor(private readonly options: VerifyChainOptions = {}) {
    this.checkCanonical = options.checkCanonical ?? true;
    this.progressEvery = options.progressEvery ?? 65536;
    const notes = options.checkpoints ?? [];
    if (notes.length > 0 && !options.verifier) {
      throw new CheckpointError('CHECKPOINT_KEY_INVALID', 'checkpoints given without a verifier key to check them');
    }
    for (const note of notes) {
      const entry = this.readCheckpoint(note);
      const list = this.pending.get(entry.treeSize) ?? [];
      list.push(entry);
      this.pending.set(entry.treeSize, list);
    }
    this.settleCheckpoints(0);
  }

  private readCheckpoint(note: string): PendingCheckpoint {
    let treeSize: number;
    try {
      treeSize = parseSignedCheckpoint(note).checkpoint.treeSize;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new LedgerVerificationError('bad-signature', -1, `checkpoint cannot be read: ${msg}`);
    }
    try {
      return { treeSize, checkpoint: verifySignedCheckpoint(note, this.options.verifier!, { origin: this.options.origin }) };
    } catch (e) {
      if (e instanceof CheckpointError) return { treeSize, failure: e };
      throw e;
    }
  }

  get size(): number {
    return this.acc.size;
  }

  push(event: StoredEvent): void {
    const position = this.acc.size;
    const computedHash = leafHashHex(event.canonical);
    const prevHash = checkStoredEvent(event, computedHash, position, this.checkCanonical);
    if (prevHash !== this.prevHash) {
      throw new LedgerVerificationError('broken-link', position, `event at position ${position}: prevHash is not the previous event's hash`, this.prevHash, prevHash);
    }
    this.prevHash = computedHash;
    this.acc.appendHex(computedHash);
    if (this.pending.size > 0) this.settleCheckpoints(this.acc.size);
    if (this.options.onProgress && this.acc.size % this.progressEvery === 0) this.options.onProgress(this.acc.size);
  }

  /** Sizes in (from, to) that a stored checkpoint covers: a run verified elsewhere must report its compact range there. */
  checkpointSizes(from: number, to: number): number[] {
    return [...this.pending.keys()].filter((size) => size > from && size < to).sort((a, b) => a - b);
  }

  /**
   * Takes in a run of events checked elsewhere (verifyChainChunk, e.g. on a worker
   * thread) that starts at the current size: checks the link into it and the checkpoints
   * inside it, then extends the tree by its compact range. Throws the run's own failure
   * where a sequential run would have: after the checkpoints that precede it.
   * `lastHash` is the stored hash of the run's last event.
   */
  acceptChunk(start: number, result: ChainChunkResult, lastHash: string): void {
    if (start !== this.acc.size) throw new RangeError(`acceptChunk: run starts at ${start}, the ledger so far has ${this.acc.size} events`);
    const failure = result.failure;
    const fail = (f: ChunkFailure): never => {
      throw new LedgerVerificationError(f.kind, f.position, f.message, f.expected, f.computed);
    };
    if (failure && failure.position === start) fail(failure);
    if (result.verified > 0 && result.firstPrevHash !== this.prevHash) {
      throw new LedgerVerificationError('broken-link', start, `event at position ${start}: prevHash is not the previous event's hash`, this.prevHash, String(result.firstPrevHash));
    }
    for (const { size, range } of result.ranges) {
      if (!this.pending.has(size)) continue;
      const at = MerkleAccumulator.restore(this.acc.size, this.acc.state().hashes);
      appendRange(at, size - start, range);
      this.settleCheckpoints(size, at.rootHex());
    }
    if (failure) fail(failure);
    appendRange(this.acc, result.verified, result.range);
    if (result.verified > 0) this.prevHash = lastHash;
    if (this.pending.size > 0) this.settleCheckpoints(this.acc.size);
    if (this.options.onProgress) {
      for (let k = Math.ceil((start + 1) / this.progressEvery) * this.progressEvery; k <= this.acc.size; k += this.progressEvery) this.options.onProgress(k);
    }
  }

  private settleCheckpoints(size: number, rootHex?: string): void {
    const list = this.pending.get(size);
    if (!list) return;
    this.pending.delete(size);
    const root = rootHex ?? this.acc.rootHex();
    for (const entry of list) {
      if (entry.failure) {
        throw new LedgerVerificationError('bad-signature', size - 1, `checkpoint for size ${size}: ${entry.failure.message}`, String(entry.failure.details.expected ?? 'a valid signature'), String(entry.failure.details.computed ?? entry.failure.code));
      }
      if (entry.checkpoint!.rootHash !== root) {
        throw new LedgerVerificationError('root-mismatch', size - 1, `checkpoint for size ${size} signs a different root than the ledger's`, entry.checkpoint!.rootHash, root);
      }
      this.checkpointsVerified++;
    }
  }

  /** End of the ledger: checkpoints beyond its size mean events were removed from the end. */
  finish(): ChainVerification {
    const size = this.acc.size;
    const beyond = [...this.pending.entries()].sort((a, b) => a[0] - b[0]);
    for (const [treeSize, list] of beyond) {
      const failure = list.find((e) => e.failure)?.failure;
      if (failure) {
        throw new LedgerVerificationError('bad-signature', treeSize - 1, `checkpoint for size ${treeSize}: ${failure.message}`, 'a valid signature', failure.code);
      }
      throw new LedgerVerificationError('gap', size, `a signed checkpoint covers ${treeSize} events but the ledger ends after ${size}: events were removed`, String(treeSize), String(size));
    }
    return { size, rootHash: this.acc.rootHex(), lastHash: this.prevHash, checkpointsVerified: this.checkpointsVerified };
  }
}

/** Appends the compact range of `count` leaves (roots largest first) at an aligned position. */
function appendRange(acc: MerkleAccumulator, count: number, range: readonly Uint8Array[]): void {
  let piece = 0;
  for (let height = 52; height >= 0; height--) {
    if (Math.floor(count / 2 ** height) % 2 === 1) acc.appendSubtree(height, range[piece++]!);
  }
  if (piece !== range.length) throw new RangeError(`a compact range of ${count} leaves has ${piece} roots, got ${range.length}`);
}

/**
 * The checks of one stored event that need only the event, its leaf hash (computed by the
 * caller from the stored bytes) and its expected position, in the verifier's order: the
 * computed hash equals the stored one; the text is canonical (or, without that check, a
 * JSON object); the position it carries, and the row's own if it has one, is `position`.
 * Returns the prevHash it carries (as a string; anything else cannot match a hash), for
 * the caller's link check. `text.wellFormed: false` says the text had lone surrogates
 * before it was encoded for hashing (never canonical); `text.prechecked` that it is known
 * to be well-formed and free of raw control characters (no need to scan for them again).
 */
export function checkStoredEvent(
  event: StoredEvent,
  computedHash: string,
  position: number,
  checkCanonical: boolean,
  text: { wellFormed?: boolean; prechecked?: boolean } = {},
): string {
  if (computedHash !== event.hash) {
    throw new LedgerVerificationError('hash-mismatch', position, `event at position ${position}: stored hash does not match its stored bytes`, event.hash, computedHash);
  }
  let fields: { globalPosition?: unknown; prevHash?: unknown } | undefined;
  if (checkCanonical) {
    const found = text.wellFormed === false ? undefined : canonicalTopLevelValues(event.canonical, ENVELOPE_KEYS, text.prechecked);
    // The hashed envelope excludes its own hash (and the stored text itself).
    fields = found && found[2] === undefined && found[3] === undefined ? { globalPosition: found[0], prevHash: found[1] } : undefined;
    if (!fields) {
      throw new LedgerVerificationError('bad-canonical', position, `event at position ${position}: stored text is not RFC 8785 canonical JSON of an envelope`);
    }
  } else {
    fields = topLevelStrings(event.canonical) ?? parseObject(event.canonical);
    if (!fields) {
      throw new LedgerVerificationError('bad-canonical', position, `event at position ${position}: stored text is not a JSON object`);
    }
  }
  const expectedPosition = String(position);
  if (fields.globalPosition !== expectedPosition) {
    throw new LedgerVerificationError('gap', position, `event at position ${position} carries globalPosition ${String(fields.globalPosition)}: an event is missing or out of order`, expectedPosition, String(fields.globalPosition));
  }
  // A row that also carries its position outside the hashed text (a column, a parsed
  // field) must agree with it: a renumbered row is tampering too.
  const outside = event.globalPosition;
  if (outside !== undefined && String(outside) !== expectedPosition) {
    throw new LedgerVerificationError('gap', position, `event at position ${position} is stored under position ${String(outside)}`, expectedPosition, String(outside));
  }
  return String(fields.prevHash);
}

/** Verify a whole ledger read in global order from position 0. Throws LedgerVerificationError at the first problem. */
export async function verifyChain(
  events: Iterable<StoredEvent> | AsyncIterable<StoredEvent>,
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const v = new ChainVerifier(options);
  if (Symbol.asyncIterator in events) {
    for await (const e of events) v.push(e);
  } else {
    for (const e of events) v.push(e);
  }
  return v.finish();
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Without the canonical check, read `globalPosition` and `prevHash` straight from the
 * hashed text: a scan of the compact top-level object that jumps over strings and nested
 * values without building them (undefined if the text is not compact JSON; the caller then
 * parses it). Values are returned raw (escapes kept), so an escaped form can
 * only fail a comparison, never pass one wrongly.
 */
function topLevelStrings(text: string): { globalPosition?: string; prevHash?: string } | undefined {
  const out: { globalPosition?: string; prevHash?: string } = {};
  const n = text.length;
  if (text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let i = 1;
  while (i < n) {
    if (text.charCodeAt(i) !== 0x22 /* " */) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== 0x3a /* : */) return undefined;
    const keyStart = i + 1;
    const keyLength = keyEnd - keyStart;
    i = keyEnd + 2;
    const c = text.charCodeAt(i);
    let valueEnd: number;
    if (c === 0x22) {
      valueEnd = stringEnd(text, i);
      if (valueEnd < 0) return undefined;
      if (keyLength === 14 && text.startsWith('globalPosition', keyStart)) out.globalPosition = text.slice(i + 1, valueEnd);
      else if (keyLength === 8 && text.startsWith('prevHash', keyStart)) out.prevHash = text.slice(i + 1, valueEnd);
      i = valueEnd + 1;
    } else if (c === 0x7b || c === 0x5b) {
      i = nestedEnd(text, i);
      if (i < 0) return undefined;
    } else {
      while (i < n && text.charCodeAt(i) !== 0x2c && text.charCodeAt(i) !== 0x7d) i++;
    }
    const sep = text.charCodeAt(i);
    if (sep === 0x7d /* } */) return i === n - 1 ? out : undefined;
    if (sep !== 0x2c /* , */) return undefined;
    i++;
  }
  return undefined;
}

/** Index of the closing quote of the JSON string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let j = start;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j < 0) return -1;
    let backslashes = 0;
    for (let k = j - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}

/** Index just past the object or array opening at `start`, or -1. */
function nestedEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
