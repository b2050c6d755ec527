import { createHash, hash } from 'node:crypto';
import { DomainError, ValidationError } from '@radledger/platform';
import { HASH_SIZE, NODE_PREFIX, nodeHash } from './hashing.js';

/**
 * RFC 9162 §2.1 Merkle tree hashing over leaf hashes (already `SHA-256(0x00 || entry)`).
 * Sizes and indices are plain numbers (safe integers); bit tests use arithmetic, not
 * 32-bit bitwise operators, so trees beyond 2^31 leaves stay correct.
 */

/** RFC 9162 §2.1.1: MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** A proof did not verify. `expected` is what the caller supplied, `computed` what the proof yields. */
export class ProofError extends DomainError {
  constructor(
    message: string,
    readonly expected?: string,
    readonly computed?: string,
  ) {
    super('PROOF_INVALID', message, { expected, computed });
  }
}

/** A half-open range of leaf indices [start, end). */
export type LeafRange = readonly [start: number, end: number];

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError('MERKLE_ARGUMENT_INVALID', `${name} must be a non-negative safe integer, got ${value}`);
  }
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** Largest power of two strictly less than n (n >= 2): the RFC 9162 §2.1.1 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

// Node hashing: a reused input buffer (0x01 || left || right) filled by plain loops, and
// the digest taken as a 32-character latin1 ("binary") string. With OpenSSL 3 the cost of a 65-byte
// SHA-256 is nearly all per-call overhead, and a Buffer result (an allocation from C++)
// costs about as much again as the hash; a one-byte string result does not.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;
const digestBinary: (data: Uint8Array) => string =
  typeof hash === 'function' ? (data) => hash('sha256', data, 'binary') : (data) => createHash('sha256').update(data).digest('binary');

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x61 + i] = 10 + i;
  HEX_VALUE[0x41 + i] = 10 + i;
}

/** Decodes 64 hex digits into `out` at `at`; false (and `out` partly written) if they are not. */
function decodeHex(hexText: string, out: Uint8Array, at: number): boolean {
  if (hexText.length !== 2 * HASH_SIZE) return false;
  for (let i = 0; i < HASH_SIZE; i++) {
    const hi = hexText.charCodeAt(2 * i);
    const lo = hexText.charCodeAt(2 * i + 1);
    const h = hi < 128 ? HEX_VALUE[hi]! : -1;
    const l = lo < 128 ? HEX_VALUE[lo]! : -1;
    if ((h | l) < 0) return false;
    out[at + i] = (h << 4) | l;
  }
  return true;
}

/**
 * Appends leaf hashes one at a time and yields the root of the tree so far, keeping only
 * the roots of the perfect subtrees that make up the current size (one per set bit:
 * O(log n) memory). Equivalent to MTH over all appended leaves (RFC 9162 §2.1.1): the
 * tree's left subtrees are always perfect, so the root folds those roots right to left.
 * The roots live in one flat byte array (no object per hash); the root at the current
 * size is remembered until the next append.
 */
export class MerkleAccumulator {
  /** stack[32 * i, 32 * (i + 1)) is the root of the i-th perfect subtree, largest first (at most 53: sizes are safe integers). */
  private readonly stack = new Uint8Array(64 * HASH_SIZE);
  private depth = 0;
  private count = 0;
  private rootCache: string | undefined;

  /**
   * @param onPerfectSubtree called for every perfect subtree completed by an append, with
   * its height (>= 1) and index at that height (it covers leaves
   * [index * 2^height, (index + 1) * 2^height)). Such subtrees never change in an
   * append-only log, so an adapter may persist them as a {@link SubtreeCache}.
   * @param minReportedHeight smaller subtrees are not reported (each report copies the hash).
   */
  constructor(
    private readonly onPerfectSubtree?: (height: number, index: number, hash: Buffer) => void,
    private readonly minReportedHeight = 1,
  ) {}

  /** Resume from a saved state (see {@link state}); `hashes` are the perfect-subtree roots, left to right. */
  static restore(size: number, hashes: readonly Uint8Array[], onPerfectSubtree?: (height: number, index: number, hash: Buffer) => void): MerkleAccumulator {
    assertSize('size', size);
    let bits = 0;
    for (let s = size; s > 0; s = half(s)) if (isOdd(s)) bits++;
    if (hashes.length !== bits) {
      throw new ValidationError('MERKLE_ARGUMENT_INVALID', `a compact range of size ${size} needs ${bits} hashes, got ${hashes.length}`);
    }
    const acc = new MerkleAccumulator(onPerfectSubtree);
    for (const h of hashes) acc.stack.set(toHash('hashes[]', h), HASH_SIZE * acc.depth++);
    acc.count = size;
    return acc;
  }

  get size(): number {
    return this.count;
  }

  append(leafHash: Uint8Array): void {
    this.stack.set(toHash('leafHash', leafHash), HASH_SIZE * this.depth);
    this.merge(0);
  }

  /** Same as {@link append} with the leaf hash as 64 hex digits (either case). */
  appendHex(leafHash: string): void {
    if (!decodeHex(leafHash, this.stack, HASH_SIZE * this.depth)) {
      throw new ValidationError('MERKLE_ARGUMENT_INVALID', `leafHash must be ${HASH_SIZE * 2} hex digits`);
    }
    this.merge(0);
  }

  /**
   * Appends the root of a whole perfect subtree of 2^height leaves. The size must be a
   * multiple of 2^height (the subtree is aligned), e.g. the root of a chunk of leaves
   * hashed elsewhere. Subtrees inside it are not reported to onPerfectSubtree.
   */
  appendSubtree(height: number, root: Uint8Array): void {
    const width = 2 ** height;
    if (!Number.isSafeInteger(height) || height < 0 || height > 52 || this.count % width !== 0) {
      throw new ValidationError('MERKLE_ARGUMENT_INVALID', `a subtree of height ${height} cannot follow ${this.count} leaves`);
    }
    this.stack.set(toHash('root', root), HASH_SIZE * this.depth);
    this.merge(height);
  }

  /** The new entry (height `height`) is at the top of the stack: merge it with equal-height neighbours. */
  private merge(height: number): void {
    const stack = this.stack;
    const width = 2 ** height;
    let top = HASH_SIZE * this.depth;
    // Each 1-bit of the old size at `height` and above (in a row) is a perfect subtree of the same height to merge with.
    let s = this.count / width;
    while (isOdd(s)) {
      const left = top - HASH_SIZE;
      for (let i = 0; i < HASH_SIZE; i++) {
        nodeInput[1 + i] = stack[left + i]!;
        nodeInput[1 + HASH_SIZE + i] = stack[top + i]!;
      }
      const node = digestBinary(nodeInput);
      for (let i = 0; i < HASH_SIZE; i++) stack[left + i] = node.charCodeAt(i);
      top = left;
      this.depth--;
      s = (s - 1) / 2;
      height++;
      if (this.onPerfectSubtree && height >= this.minReportedHeight) this.onPerfectSubtree(height, s, Buffer.from(stack.subarray(left, left + HASH_SIZE)));
    }
    this.depth++;
    this.count += width;
    this.rootCache = undefined;
  }

  /** MTH of everything appended so far, as a latin1 string of 32 characters. */
  private rootBinary(): string {
    if (this.rootCache !== undefined) return this.rootCache;
    if (this.depth === 0) return (this.rootCache = EMPTY_ROOT.toString('latin1'));
    const stack = this.stack;
    let top = HASH_SIZE * (this.depth - 1);
    if (this.depth === 1) return (this.rootCache = Buffer.from(stack.buffer, stack.byteOffset + top, HASH_SIZE).toString('latin1'));
    for (let i = 0; i < HASH_SIZE; i++) nodeInput[1 + HASH_SIZE + i] = stack[top + i]!;
    let node = '';
    for (top -= HASH_SIZE; top >= 0; top -= HASH_SIZE) {
      for (let i = 0; i < HASH_SIZE; i++) nodeInput[1 + i] = stack[top + i]!;
      node = digestBinary(nodeInput);
      for (let i = 0; i < HASH_SIZE; i++) nodeInput[1 + HASH_SIZE + i] = node.charCodeAt(i);
    }
    return (this.rootCache = node);
  }

  /** MTH of everything appended so far as hex; the empty tree's root when nothing was. */
  rootHex(): string {
    return Buffer.from(this.rootBinary(), 'latin1').toString('hex');
  }

  /** MTH of everything appended so far; EMPTY_ROOT when nothing was. */
  root(): Buffer {
    return Buffer.from(this.rootBinary(), 'latin1');
  }

  /** The size and perfect-subtree roots (largest first), enough to {@link restore} later. */
  state(): { size: number; hashes: Buffer[] } {
    const hashes: Buffer[] = [];
    for (let i = 0; i < this.depth; i++) hashes.push(Buffer.from(this.stack.subarray(HASH_SIZE * i, HASH_SIZE * (i + 1))));
    return { size: this.count, hashes };
  }
}

/** The accumulator is a compact range starting at leaf 0 (the name used by transparency-dev). */
export { MerkleAccumulator as CompactRange };

function toHash(name: string, h: Uint8Array): Buffer {
  if (h.length !== HASH_SIZE) {
    throw new ValidationError('MERKLE_ARGUMENT_INVALID', `${name} must be ${HASH_SIZE} bytes, got ${h.length}`);
  }
  return Buffer.isBuffer(h) ? h : Buffer.from(h.buffer, h.byteOffset, h.length);
}

function rangeRoot(leaves: readonly Uint8Array[], start: number, end: number): Buffer {
  const acc = new MerkleAccumulator();
  for (let i = start; i < end; i++) acc.append(leaves[i]!);
  return acc.root();
}

/** RFC 9162 §2.1.1 MTH(D[n]) over leaf hashes. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  return rangeRoot(leaves, 0, leaves.length);
}

/**
 * The subtrees whose roots form the inclusion proof of leaf `index` in a tree of `size`
 * leaves, in proof order (leaf upwards). RFC 9162 §2.1.3.1 PATH(m, D[n]).
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertSize('treeSize', size);
  assertSize('index', index);
  if (index >= size) {
    throw new ValidationError('MERKLE_ARGUMENT_INVALID', `index ${index} is outside a tree of size ${size}`);
  }
  const out: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      start += k;
    }
  }
  return out.reverse();
}

/**
 * The subtrees whose roots form the consistency proof from size1 to size2, in proof order.
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true); defined for 0 < m <= n
 * (m = n gives the empty proof).
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  assertSize('size1', size1);
  assertSize('size2', size2);
  if (size1 === 0 || size1 > size2) {
    throw new ValidationError('MERKLE_ARGUMENT_INVALID', `a consistency proof needs 0 < size1 <= size2, got ${size1} and ${size2}`);
  }
  const out: LeafRange[] = [];
  let m = size1;
  let start = 0;
  let end = size2;
  let wholeOldTree = true; // the `b` flag of SUBPROOF
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      m -= k;
      start += k;
      wholeOldTree = false;
    }
  }
  if (!wholeOldTree) out.push([start, end]);
  return out.reverse();
}

/** RFC 9162 §2.1.3.1 inclusion proof of `leaves[index]` in the tree of the first `treeSize` leaves. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, treeSize: number = leaves.length): Buffer[] {
  checkAvailable(leaves.length, treeSize);
  return inclusionProofRanges(index, treeSize).map(([s, e]) => rangeRoot(leaves, s, e));
}

/** RFC 9162 §2.1.4.1 consistency proof between the trees of the first size1 and size2 leaves. */
export function consistencyProof(leaves: readonly Uint8Array[], size1: number, size2: number): Buffer[] {
  checkAvailable(leaves.length, size2);
  return consistencyProofRanges(size1, size2).map(([s, e]) => rangeRoot(leaves, s, e));
}

function checkAvailable(have: number, size: number): void {
  if (size > have) {
    throw new ValidationError('MERKLE_ARGUMENT_INVALID', `tree size ${size} exceeds the ${have} leaves given`);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((p, i) => {
    if (p.length !== HASH_SIZE) throw new ProofError(`proof[${i}] must be ${HASH_SIZE} bytes`, `${HASH_SIZE}`, `${p.length}`);
  });
}

/**
 * RFC 9162 §2.1.3.2: the root that `proof` yields for `leafHash` at `leafIndex` in a
 * tree of `treeSize` leaves. Throws ProofError if the proof has the wrong shape.
 */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, leafHash: Uint8Array, proof: readonly Uint8Array[]): Buffer {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new ProofError(`leaf index ${leafIndex} is outside a tree of size ${treeSize}`, `index < ${treeSize}`, `${leafIndex}`);
  }
  if (leafHash.length !== HASH_SIZE) {
    throw new ProofError(`leaf hash must be ${HASH_SIZE} bytes`, `${HASH_SIZE}`, `${leafHash.length}`);
  }
  checkProofHashes(proof);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) throw new ProofError('inclusion proof is longer than the path to the root', 'shorter proof', `${proof.length} hashes`);
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('inclusion proof is shorter than the path to the root', 'longer proof', `${proof.length} hashes`);
  return r;
}

/** RFC 9162 §2.1.3.2: throws ProofError unless `proof` shows `leafHash` at `leafIndex` under `root`. */
export function verifyInclusion(leafIndex: number, treeSize: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!sameBytes(computed, root)) {
    throw new ProofError('inclusion proof does not lead to the given root', hex(root), hex(computed));
  }
}

/**
 * RFC 9162 §2.1.4.2: throws ProofError unless `proof` shows that the tree of size2 with
 * root2 extends the tree of size1 with root1. Equal sizes need an empty proof and equal
 * roots; size 0 has the fixed root EMPTY_ROOT, and a consistency proof from the empty
 * tree is not defined (the RFC's step 1 fails an empty path), so it is refused.
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) {
    throw new ProofError(`consistency needs 0 <= size1 <= size2, got ${size1} and ${size2}`, 'size1 <= size2', `${size1} > ${size2}`);
  }
  if (size1 === size2) {
    if (proof.length !== 0) throw new ProofError('trees of equal size need an empty consistency proof', '0 hashes', `${proof.length} hashes`);
    if (size1 === 0 && !sameBytes(root1, EMPTY_ROOT)) {
      throw new ProofError('the root of the empty tree is SHA-256 of nothing', hex(EMPTY_ROOT), hex(root1));
    }
    if (!sameBytes(root1, root2)) throw new ProofError('trees of equal size must have equal roots', hex(root1), hex(root2));
    return;
  }
  if (size1 === 0) {
    throw new ProofError('a consistency proof from the empty tree is not defined (RFC 9162 §2.1.4)', 'size1 > 0', '0');
  }
  // RFC 9162 §2.1.4.2 step 1.
  if (proof.length === 0) throw new ProofError('consistency proof is empty', 'at least 1 hash', '0 hashes');
  checkProofHashes(proof);
  if (root1.length !== HASH_SIZE) throw new ProofError(`root1 must be ${HASH_SIZE} bytes`, `${HASH_SIZE}`, `${root1.length}`);
  // Step 2: when the old tree is perfect, its root is the first node of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // Steps 3-4.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) throw new ProofError('consistency proof is longer than needed', 'shorter proof', `${proof.length} hashes`);
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) throw new ProofError('consistency proof is shorter than needed', 'longer proof', `${proof.length} hashes`);
  if (!sameBytes(fr, root1)) throw new ProofError('consistency proof does not lead to the old root', hex(root1), hex(fr));
  if (!sameBytes(sr, root2)) throw new ProofError('consistency proof does not lead to the new root', hex(root2), hex(sr));
}

type MaybePromise<T> = T | Promise<T>;

/** Reads the leaf hashes [start, end) in order (e.g. one SELECT over a range of positions). */
export type LeafReader = (start: number, end: number) => MaybePromise<readonly Uint8Array[]>;

/**
 * Storage for roots of perfect subtrees, addressed by height and index (the subtree covers
 * leaves [index * 2^height, (index + 1) * 2^height)). In an append-only log these never
 * change once complete, so they can be kept forever; `MerkleAccumulator`'s
 * `onPerfectSubtree` produces exactly these while appending.
 */
export interface SubtreeCache {
  get(height: number, index: number): MaybePromise<Uint8Array | undefined>;
  set?(height: number, index: number, hash: Buffer): MaybePromise<void>;
}

export interface SubtreeOptions {
  cache?: SubtreeCache;
  /** Leaves read per call of the reader (default 4096): bounds memory to one chunk plus O(log n). */
  chunkSize?: number;
  /** Smallest height worth caching (default 8, i.e. subtrees of 256 leaves). */
  minCachedHeight?: number;
}

/**
 * MTH(D[start:end]) computed from a reader instead of an array: perfect, aligned subtrees
 * of at least `minCachedHeight` are looked up in (and written to) the cache; the rest is
 * read in chunks and folded with a {@link MerkleAccumulator}.
 */
export async function subtreeRoot(read: LeafReader, start: number, end: number, options: SubtreeOptions = {}): Promise<Buffer> {
  assertSize('start', start);
  assertSize('end', end);
  if (end < start) throw new ValidationError('MERKLE_ARGUMENT_INVALID', `range end ${end} is before start ${start}`);
  const chunk = options.chunkSize ?? 4096;
  const minHeight = options.minCachedHeight ?? 8;
  const n = end - start;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  const cache = options.cache;
  if (cache && isPowerOfTwo(n) && start % n === 0) {
    const height = Math.round(Math.log2(n));
    if (height >= minHeight) {
      const index = start / n;
      const cached = await cache.get(height, index);
      if (cached) return toHash('cached subtree', cached);
      const computed = await computeRange(read, start, end, options, chunk);
      await cache.set?.(height, index, computed);
      return computed;
    }
  }
  return computeRange(read, start, end, options, chunk);
}

async function computeRange(read: LeafReader, start: number, end: number, options: SubtreeOptions, chunk: number): Promise<Buffer> {
  const n = end - start;
  if (n <= chunk || n === 1) {
    const leaves = await read(start, end);
    if (leaves.length !== n) {
      throw new ValidationError('MERKLE_ARGUMENT_INVALID', `leaf reader returned ${leaves.length} leaves for [${start}, ${end})`);
    }
    return rangeRoot(leaves, 0, n);
  }
  const k = splitPoint(n);
  const left = await subtreeRoot(read, start, start + k, options);
  const right = await subtreeRoot(read, start + k, end, options);
  return nodeHash(left, right);
}

/** RFC 9162 §2.1.3.1 inclusion proof computed through a reader (and optional cache). */
export async function inclusionProofFromReader(read: LeafReader, index: number, treeSize: number, options?: SubtreeOptions): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [s, e] of inclusionProofRanges(index, treeSize)) out.push(await subtreeRoot(read, s, e, options));
  return out;
}

/** RFC 9162 §2.1.4.1 consistency proof computed through a reader (and optional cache). */
export async function consistencyProofFromReader(read: LeafReader, size1: number, size2: number, options?: SubtreeOptions): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [s, e] of consistencyProofRanges(size1, size2)) out.push(await subtreeRoot(read, s, e, options));
  return out;
}

/** A SubtreeCache in memory, for tests and for short-lived processes. */
export class InMemorySubtreeCache implements SubtreeCache {
  private readonly map = new Map<string, Buffer>();
  get(height: number, index: number): Buffer | undefined {
    return this.map.get(`${height}/${index}`);
  }
  set(height: number, index: number, hash: Buffer): void {
    this.map.set(`${height}/${index}`, hash);
  }
  get size(): number {
    return this.map.size;
  }
}
