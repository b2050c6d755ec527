import { createHash, hash } from 'node:crypto';
import { MerkleAccumulator } from './merkle.js';
import { checkStoredEvent, LedgerVerificationError, type TamperKind } from './verifier.js';

/**
 * A run of consecutive stored events checked on its own (e.g. on a worker thread), so a
 * long ledger can be verified in parallel. Everything but the link into the run and the
 * checkpoints is checked here, in the same order as ChainVerifier.push; ChainVerifier
 * .acceptChunk glues runs together in order (link at each run's first event, checkpoints,
 * the Merkle root) and so reports the same first failure as a sequential run.
 *
 * The texts arrive already encoded: per event the leaf prefix 0x00 and the stored text as
 * UTF-8, the exact bytes of its leaf hash (RFC 9162 §2.1.1), so each event is hashed
 * straight from the bytes it was shipped in.
 */
export interface ChainChunk {
  /** Global position of the first event; a multiple of 2^k for a run of 2^k events (runs are aligned subtrees). */
  start: number;
  /** Event i is bytes[offsets[i], offsets[i + 1]): 0x00 then its stored text as UTF-8. */
  bytes: Uint8Array;
  offsets: Uint32Array;
  /** Stored hashes (hex), one per event. */
  hashes: string[];
  /** Events whose row stores a position other than their place in the run: [index, stored position]. */
  outside: Array<[number, string | number]>;
  /** Events whose text had lone surrogates before it was encoded (never canonical). */
  illFormed: number[];
  checkCanonical: boolean;
  /** Tree sizes in (start, start + events) whose compact range is wanted (checkpoints). */
  sizes: number[];
}

export interface ChunkFailure {
  kind: TamperKind;
  position: number;
  message: string;
  expected?: string;
  computed?: string;
}

export interface ChainChunkResult {
  /** Events that passed every check of the run (all of them unless `failure`). */
  verified: number;
  /** The prevHash the first event carries (absent if it failed before that was read). */
  firstPrevHash?: string;
  /** Compact range of the verified events: perfect-subtree roots, largest first. */
  range: Uint8Array[];
  /** Compact ranges at the requested sizes that were reached. */
  ranges: Array<{ size: number; range: Uint8Array[] }>;
  failure?: ChunkFailure;
}

const digestHex: (data: Uint8Array) => string =
  typeof hash === 'function' ? (data) => hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/**
 * Whether bytes[from, to) holds a byte below 0x20 (a raw control character: never in
 * canonical JSON). Four bytes per step: a word has a byte < 0x20 iff
 * (w - 0x20202020) & ~w & 0x80808080 is non-zero.
 */
function hasControlByte(bytes: Uint8Array, words: Uint32Array, wordBase: number, from: number, to: number): boolean {
  let i = from;
  for (; i < to && (bytes.byteOffset + i - wordBase) % 4 !== 0; i++) if (bytes[i]! < 0x20) return true;
  let w = (bytes.byteOffset + i - wordBase) / 4;
  for (; i + 4 <= to; i += 4, w++) {
    const x = words[w]!;
    if (((x - 0x20202020) & ~x & 0x80808080) !== 0) return true;
  }
  for (; i < to; i++) if (bytes[i]! < 0x20) return true;
  return false;
}

export function verifyChainChunk(chunk: ChainChunk): ChainChunkResult {
  const { start, bytes, offsets, hashes, checkCanonical } = chunk;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wordBase = bytes.byteOffset - (bytes.byteOffset % 4);
  const words = new Uint32Array(bytes.buffer, wordBase, Math.floor((bytes.byteOffset + bytes.byteLength - wordBase) / 4));
  const outside = new Map(chunk.outside);
  const illFormed = new Set(chunk.illFormed);
  const wanted = new Set(chunk.sizes);
  const acc = new MerkleAccumulator();
  const result: ChainChunkResult = { verified: 0, range: [], ranges: [] };
  for (let i = 0; i < hashes.length; i++) {
    const position = start + i;
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    const computed = digestHex(bytes.subarray(from, to));
    try {
      const wellFormed = !illFormed.has(i);
      // UTF-8 decoding gives a well-formed string; raw controls are looked for in the bytes.
      const prechecked = checkCanonical && wellFormed && !hasControlByte(bytes, words, wordBase, from + 1, to);
      const prevHash = checkStoredEvent(
        { canonical: text.toString('utf8', from + 1, to), hash: hashes[i]!, globalPosition: outside.get(i) },
        computed,
        position,
        checkCanonical,
        { wellFormed, prechecked },
      );
      if (i === 0) result.firstPrevHash = prevHash;
      else if (prevHash !== hashes[i - 1]) {
        throw new LedgerVerificationError('broken-link', position, `event at position ${position}: prevHash is not the previous event's hash`, hashes[i - 1], prevHash);
      }
    } catch (error) {
      if (!(error instanceof LedgerVerificationError)) throw error;
      result.failure = { kind: error.kind, position: error.position, message: error.message, expected: error.expected, computed: error.computed };
      break;
    }
    acc.appendHex(computed);
    result.verified++;
    if (wanted.has(position + 1)) result.ranges.push({ size: position + 1, range: acc.state().hashes });
  }
  result.range = acc.state().hashes;
  return result;
}
