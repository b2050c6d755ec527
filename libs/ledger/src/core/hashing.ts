import { createHash, hash } from 'node:crypto';

/** RFC 9162 §2.1.1: domain separation of leaves and interior nodes. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const HASH_SIZE = 32;
/** The genesis event's prevHash: 32 zero bytes, hex. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

// One-shot `crypto.hash` over a reused buffer is markedly faster than a createHash()
// object per call (the full-chain verifier hashes every event plus one node per event).
// Node < 20.12 lacks `crypto.hash`; fall back to createHash there.
const oneShot: ((data: Uint8Array) => Buffer) | undefined =
  typeof hash === 'function' ? (data) => hash('sha256', data, 'buffer') : undefined;
let scratch = Buffer.alloc(4096);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);

function sha256To(data: Uint8Array, encoding: 'hex'): string {
  return typeof hash === 'function' ? hash('sha256', data, encoding) : createHash('sha256').update(data).digest(encoding);
}

const MAX_SCRATCH = 1 << 20;

function leafBytes(text: string): Buffer {
  // A UTF-16 code unit is at most 3 UTF-8 bytes. Texts too big for the kept buffer get their own.
  const needed = 1 + 3 * text.length;
  if (needed > MAX_SCRATCH) return Buffer.concat([Buffer.of(LEAF_PREFIX), Buffer.from(text, 'utf8')]);
  if (scratch.length < needed) scratch = Buffer.alloc(Math.min(MAX_SCRATCH, 2 * needed));
  scratch[0] = LEAF_PREFIX;
  const n = scratch.write(text, 1, 'utf8');
  return scratch.subarray(0, 1 + n);
}

/**
 * Leaf hash of UTF-8 text, as lowercase hex: SHA-256(0x00 || text). Same value as
 * `leafHash(text).toString('hex')`, without allocating a Buffer (hex output of the
 * one-shot hash is the fastest path in Node; the verifier hashes every event with it).
 */
export function leafHashHex(text: string): string {
  return sha256To(leafBytes(text), 'hex');
}

/** Node hash over hex children, as hex: SHA-256(0x01 || left || right). Both must be 64 lowercase hex digits. */
export function nodeHashHex(left: string, right: string): string {
  nodeScratch[0] = NODE_PREFIX;
  if (nodeScratch.write(left, 1, 'hex') !== HASH_SIZE || nodeScratch.write(right, 1 + HASH_SIZE, 'hex') !== HASH_SIZE) {
    throw new TypeError('nodeHashHex: children must be 32-byte hashes in hex');
  }
  return sha256To(nodeScratch, 'hex');
}

/** Leaf hash: SHA-256(0x00 || bytes). Strings are hashed as UTF-8. */
export function leafHash(bytes: Uint8Array | string): Buffer {
  if (oneShot && typeof bytes === 'string') return oneShot(leafBytes(bytes));
  const h = createHash('sha256');
  h.update(Buffer.of(LEAF_PREFIX));
  h.update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  return h.digest();
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (oneShot && left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeScratch[0] = NODE_PREFIX;
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 1 + HASH_SIZE);
    return oneShot(nodeScratch);
  }
  return createHash('sha256').update(Buffer.of(NODE_PREFIX)).update(left).update(right).digest();
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
