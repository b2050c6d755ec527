import { createHash } from 'node:crypto';

/** RFC 9162 §2.1.1: domain separation of leaves and interior nodes. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const HASH_SIZE = 32;
/** The genesis event's prevHash: 32 zero bytes, hex. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** Leaf hash: SHA-256(0x00 || bytes). */
export function leafHash(bytes: Uint8Array | string): Buffer {
  const h = createHash('sha256');
  h.update(Buffer.of(LEAF_PREFIX));
  h.update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  return h.digest();
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(NODE_PREFIX)).update(left).update(right).digest();
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
