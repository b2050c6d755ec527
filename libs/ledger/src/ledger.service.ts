import { NotFoundError, ValidationError } from '@radledger/platform';
import { signCheckpoint, type Checkpoint, type CheckpointSigner, type CheckpointVerifier } from './core/checkpoint.js';
import { GENESIS_PREV_HASH } from './core/hashing.js';
import {
  consistencyProofFromReader,
  inclusionProofFromReader,
  InMemorySubtreeCache,
  MerkleAccumulator,
  subtreeRoot,
  type LeafReader,
} from './core/merkle.js';
import { ChainVerifier, type ChainVerification } from './core/verifier.js';
import type { LedgerStore, StoredCheckpoint } from './event-store.port.js';
import type { ConsistencyProofBundle, InclusionProofBundle } from './proof-bundle.js';
import { defaultVerifyWorkers, ParallelChainVerifier } from './verify/parallel-chain-verifier.js';

export interface LedgerServiceOptions {
  /** Checkpoint origin line: the log's identity (C2SP tlog-checkpoint). Default `radledger`. */
  origin?: string;
  /** Time source for `issuedAt` (default: system clock). */
  now?: () => Date;
  /** Rows read per page while verifying (default 5000). */
  pageSize?: number;
}

export interface LedgerVerifyOptions {
  /** Pinned checkpoint key; without it stored checkpoints are counted but their signatures are not checked. */
  verifier?: CheckpointVerifier;
  /** See VerifyChainOptions.checkCanonical (default true). */
  checkCanonical?: boolean;
  onProgress?: (verified: number) => void;
  /**
   * Worker threads that share the per-event work (ParallelChainVerifier). Default: the
   * machine's available parallelism (at most 8) for ledgers of at least 16,384 events,
   * none below that (starting threads would cost more). 0 verifies on the calling thread.
   */
  workers?: number;
  /** Events per run handed to a thread (a power of two, default 4096). */
  chunkSize?: number;
}

const PARALLEL_FROM = 16_384;
/** Events per run a verification thread reads from a SQLite file itself. */
const SQLITE_RUN = 1024;

export interface LedgerVerifyReport extends ChainVerification {
  checkpointsStored: number;
}

/** The ledger's head with its Merkle root. */
export interface LedgerHeadRoot {
  size: number;
  lastHash: string;
  /** Lowercase hex RFC 9162 root of the tree of `size` leaves. */
  rootHash: string;
}

/** Perfect subtrees of at least 2^8 leaves are kept (as ADR 0005's subtreeRoot default). */
const MIN_CACHED_HEIGHT = 8;
const LEAF_CHUNK = 4096;

/**
 * The ledger's proof side over any LedgerStore: full verification (chain, Merkle root,
 * stored checkpoints), checkpoint issuing, inclusion and consistency proofs. The Merkle
 * tree is not stored: roots and proofs are computed from the stored leaf hashes, with
 * completed perfect subtrees cached in memory (they never change in an append-only log).
 *
 * The root at the head is kept incrementally: a compact range (the perfect-subtree roots
 * of the tree so far, MerkleAccumulator) is extended by the leaves appended since the
 * last call, so after the first call a head root costs O(log n) node hashes plus one read
 * of the new leaf hashes. Each extension re-reads the last leaf it already holds and
 * starts over from leaf 0 if the store no longer has it (a ledger replaced under the
 * service), so a stale range is never extended. Subtrees the range completes feed the
 * cache the proofs use.
 */
export class LedgerService {
  readonly origin: string;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private cache = new InMemorySubtreeCache();
  private readonly readLeaves: LeafReader;
  private frontier: MerkleAccumulator;
  /** Hex hash of the frontier's last leaf (the genesis prevHash when empty). */
  private frontierLast = GENESIS_PREV_HASH;
  /** Extensions of the frontier, one at a time. */
  private frontierTurn: Promise<unknown> = Promise.resolve();

  constructor(
    readonly store: LedgerStore,
    options: LedgerServiceOptions = {},
  ) {
    this.origin = options.origin ?? 'radledger';
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 5000;
    this.readLeaves = async (start, end) => this.store.readLeafHashes(start, end);
    this.frontier = this.newFrontier();
  }

  private newFrontier(): MerkleAccumulator {
    const cache = this.cache;
    return new MerkleAccumulator((height, index, hash) => cache.set(height, index, hash), MIN_CACHED_HEIGHT);
  }

  /** The head and its Merkle root: one head read, then O(log n) once the root of a recent size is known. */
  async headRoot(): Promise<LedgerHeadRoot> {
    const head = await this.store.head();
    return { size: head.size, lastHash: head.lastHash, rootHash: await this.frontierRoot(head.size, head.lastHash) };
  }

  /** Extends the frontier to `size` leaves (serialised: concurrent callers wait their turn) and returns its root. */
  private frontierRoot(size: number, lastHash?: string): Promise<string> {
    const turn = this.frontierTurn.then(() => this.extendFrontier(size, lastHash));
    this.frontierTurn = turn.catch(() => undefined);
    return turn;
  }

  /** The store no longer holds what the frontier was built from: forget it and every cached subtree. */
  private resetFrontier(): void {
    this.cache = new InMemorySubtreeCache();
    this.frontier = this.newFrontier();
    this.frontierLast = GENESIS_PREV_HASH;
  }

  private async extendFrontier(size: number, lastHash?: string): Promise<string> {
    if (lastHash !== undefined && size === this.frontier.size && lastHash !== this.frontierLast) this.resetFrontier();
    if (size < this.frontier.size) {
      // Another caller already extended past `size`: this root comes from the cache.
      return (await subtreeRoot(this.readLeaves, 0, size, { cache: this.cache, minCachedHeight: MIN_CACHED_HEIGHT })).toString('hex');
    }
    // The read starts one leaf early: the leaf the range ends with must still be the
    // store's, else the range is dropped and rebuilt from leaf 0.
    let check = this.frontier.size > 0 && this.frontier.size < size;
    for (let start = check ? this.frontier.size - 1 : this.frontier.size; start < size; ) {
      const end = Math.min(size, start + LEAF_CHUNK);
      const leaves = await this.store.readLeafHashes(start, end);
      if (leaves.length !== end - start) {
        throw new ValidationError('TREE_SIZE_INVALID', `the ledger has no leaves [${start}, ${end}) (it holds fewer than ${size} events)`);
      }
      let first = 0;
      if (check) {
        check = false;
        if (Buffer.from(leaves[0]!).toString('hex') !== this.frontierLast) {
          this.resetFrontier();
          start = 0;
          continue;
        }
        first = 1;
      }
      for (let i = first; i < leaves.length; i++) this.frontier.append(leaves[i]!);
      if (leaves.length > first) this.frontierLast = Buffer.from(leaves[leaves.length - 1]!).toString('hex');
      start = end;
    }
    return this.frontier.rootHex();
  }

  /**
   * Streams every stored row through the core ChainVerifier (leaf hashes, canonical
   * bytes, positions, links, Merkle root) and checks every stored checkpoint against the
   * recomputed roots. Throws LedgerVerificationError at the first bad position.
   */
  async verifyLedger(options: LedgerVerifyOptions = {}): Promise<LedgerVerifyReport> {
    // Checkpoints first, then the head: every listed checkpoint is then within the size read.
    const stored = await this.store.listCheckpoints();
    const { size } = await this.store.head();
    const workers = options.workers ?? (size >= PARALLEL_FROM ? defaultVerifyWorkers() : 0);
    const chainOptions = {
      checkpoints: options.verifier ? stored.map((checkpoint) => checkpoint.note) : [],
      verifier: options.verifier,
      checkCanonical: options.checkCanonical,
      onProgress: options.onProgress,
    };
    if (workers > 0 && this.store.sqliteFile !== undefined) {
      // Each thread reads its own runs from the file: this thread only glues the verdicts.
      // Runs of 1,024: each thread opens the file per run (~0.1 ms), and small runs keep the
      // threads evenly busy to the end of a ledger of a few runs.
      const run = options.chunkSize ?? SQLITE_RUN;
      const parallel = new ParallelChainVerifier({ ...chainOptions, workers, chunkSize: run });
      for (let start = 0; start < size; start += run) {
        parallel.pushSqliteRun(this.store.sqliteFile, Math.min(run, size - start));
        await parallel.ready();
      }
      return { ...(await parallel.finish()), checkpointsStored: stored.length };
    }
    const verifier = workers > 0 ? new ParallelChainVerifier({ ...chainOptions, workers, chunkSize: options.chunkSize }) : new ChainVerifier(chainOptions);
    // Page by the stored position column, so a deleted row shows up as a gap, not as a
    // stop; the next page is requested before this one is hashed (overlaps with async stores).
    let next = size > 0 ? this.store.readStoredRows(0, this.pageSize) : Promise.resolve([]);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      const from = rows[rows.length - 1]!.globalPosition + 1;
      next = from < size ? this.store.readStoredRows(from, this.pageSize) : Promise.resolve([]);
      // If verification stops on this page, a failure of the prefetch must not go unhandled.
      next.catch(() => undefined);
      for (const row of rows) {
        if (row.globalPosition >= size) break;
        verifier.push(row);
      }
      if (verifier instanceof ParallelChainVerifier) await verifier.ready();
    }
    return { ...(await verifier.finish()), checkpointsStored: stored.length };
  }

  /** Signs the current tree head and records the checkpoint in the store. */
  async issueCheckpoint(signer: CheckpointSigner): Promise<{ checkpoint: Checkpoint; note: string }> {
    const { size, rootHash } = await this.headRoot();
    const checkpoint: Checkpoint = {
      origin: this.origin,
      treeSize: size,
      rootHash,
      issuedAt: this.now().toISOString(),
    };
    const note = signCheckpoint(checkpoint, signer);
    await this.store.addCheckpoint({ treeSize: size, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, note });
    return { checkpoint, note };
  }

  /**
   * Root of the tree of `treeSize` leaves. At or beyond the last size asked for, the
   * frontier is extended (O(new leaves + log n)); below it, the root is assembled from
   * cached perfect subtrees and at most one short read.
   */
  async rootAt(treeSize: number): Promise<string> {
    // A size the frontier already covered was within the ledger then, and a ledger only grows.
    if (!(Number.isSafeInteger(treeSize) && treeSize >= 0 && treeSize <= this.frontier.size)) {
      await this.checkTreeSize(treeSize, 'treeSize');
    }
    return this.frontierRoot(treeSize);
  }

  /**
   * Inclusion proof of one event in the tree of `treeSize` leaves. Default size: the
   * latest checkpoint if it covers the event (so the root is signed), else the current head.
   */
  async proveInclusion(eventId: string, treeSize?: number): Promise<InclusionProofBundle> {
    const event = await this.store.findEvent(eventId);
    if (!event) throw new NotFoundError(`event ${eventId} is not in the ledger`, { eventId });
    const leafIndex = Number(event.globalPosition);
    let size = treeSize;
    if (size === undefined) {
      const latest = await this.store.latestCheckpoint();
      size = latest && latest.treeSize > leafIndex ? latest.treeSize : (await this.store.head()).size;
    }
    await this.checkTreeSize(size, 'treeSize');
    if (leafIndex >= size) {
      throw new ValidationError('TREE_SIZE_INVALID', `treeSize ${size} does not include event ${eventId} at position ${leafIndex}`);
    }
    const proof = await inclusionProofFromReader(this.readLeaves, leafIndex, size, { cache: this.cache, minCachedHeight: MIN_CACHED_HEIGHT });
    const rootHash = await this.rootAt(size);
    const checkpoint = await this.checkpointFor(size, rootHash);
    return {
      kind: 'radledger.inclusion-proof.v1',
      eventId,
      leafIndex,
      treeSize: size,
      leafHash: event.hash,
      proof: proof.map((hash) => hash.toString('hex')),
      rootHash,
      canonical: event.canonical,
      ...(checkpoint ? { checkpoint: checkpoint.note } : {}),
    };
  }

  /** Consistency proof that the tree of `size1` leaves is a prefix of the tree of `size2`. */
  async proveConsistency(size1: number, size2: number): Promise<ConsistencyProofBundle> {
    await this.checkTreeSize(size2, 'size2');
    if (!Number.isSafeInteger(size1) || size1 < 0 || size1 > size2) {
      throw new ValidationError('TREE_SIZE_INVALID', `size1 must be an integer in [0, ${size2}], got ${size1}`);
    }
    const proof = await consistencyProofFromReader(this.readLeaves, size1, size2, { cache: this.cache, minCachedHeight: MIN_CACHED_HEIGHT });
    const root1 = await this.rootAt(size1);
    const root2 = await this.rootAt(size2);
    const [checkpoint1, checkpoint2] = [await this.checkpointFor(size1, root1), await this.checkpointFor(size2, root2)];
    return {
      kind: 'radledger.consistency-proof.v1',
      size1,
      size2,
      root1,
      root2,
      proof: proof.map((hash) => hash.toString('hex')),
      ...(checkpoint1 ? { checkpoint1: checkpoint1.note } : {}),
      ...(checkpoint2 ? { checkpoint2: checkpoint2.note } : {}),
    };
  }

  private async checkpointFor(treeSize: number, rootHash: string): Promise<StoredCheckpoint | undefined> {
    const all = await this.store.listCheckpoints();
    return all.reverse().find((checkpoint) => checkpoint.treeSize === treeSize && checkpoint.rootHash === rootHash);
  }

  private async checkTreeSize(treeSize: number, field: string): Promise<void> {
    const { size } = await this.store.head();
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > size) {
      throw new ValidationError('TREE_SIZE_INVALID', `${field} must be an integer in [0, ${size}] (the ledger size), got ${treeSize}`);
    }
  }
}
