import { NotFoundError, ValidationError } from '@radledger/platform';
import { signCheckpoint, type Checkpoint, type CheckpointSigner, type CheckpointVerifier } from './core/checkpoint.js';
import { consistencyProofFromReader, inclusionProofFromReader, InMemorySubtreeCache, subtreeRoot, type LeafReader } from './core/merkle.js';
import { ChainVerifier, type ChainVerification } from './core/verifier.js';
import type { LedgerStore, StoredCheckpoint } from './event-store.port.js';
import type { ConsistencyProofBundle, InclusionProofBundle } from './proof-bundle.js';

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
}

export interface LedgerVerifyReport extends ChainVerification {
  checkpointsStored: number;
}

/**
 * The ledger's proof side over any LedgerStore: full verification (chain, Merkle root,
 * stored checkpoints), checkpoint issuing, inclusion and consistency proofs. The Merkle
 * tree is not stored: roots and proofs are computed from the stored leaf hashes, with
 * completed perfect subtrees cached in memory (they never change in an append-only log).
 */
export class LedgerService {
  readonly origin: string;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private readonly cache = new InMemorySubtreeCache();
  private readonly readLeaves: LeafReader;

  constructor(
    readonly store: LedgerStore,
    options: LedgerServiceOptions = {},
  ) {
    this.origin = options.origin ?? 'radledger';
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 5000;
    this.readLeaves = async (start, end) => this.store.readLeafHashes(start, end);
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
    const verifier = new ChainVerifier({
      checkpoints: options.verifier ? stored.map((checkpoint) => checkpoint.note) : [],
      verifier: options.verifier,
      checkCanonical: options.checkCanonical,
      onProgress: options.onProgress,
    });
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
    }
    return { ...verifier.finish(), checkpointsStored: stored.length };
  }

  /** Signs the current tree head and records the checkpoint in the store. */
  async issueCheckpoint(signer: CheckpointSigner): Promise<{ checkpoint: Checkpoint; note: string }> {
    const { size } = await this.store.head();
    const root = await subtreeRoot(this.readLeaves, 0, size, { cache: this.cache });
    const checkpoint: Checkpoint = {
      origin: this.origin,
      treeSize: size,
      rootHash: root.toString('hex'),
      issuedAt: this.now().toISOString(),
    };
    const note = signCheckpoint(checkpoint, signer);
    await this.store.addCheckpoint({ treeSize: size, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, note });
    return { checkpoint, note };
  }

  async rootAt(treeSize: number): Promise<string> {
    await this.checkTreeSize(treeSize, 'treeSize');
    return (await subtreeRoot(this.readLeaves, 0, treeSize, { cache: this.cache })).toString('hex');
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
    const proof = await inclusionProofFromReader(this.readLeaves, leafIndex, size, { cache: this.cache });
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
    const proof = await consistencyProofFromReader(this.readLeaves, size1, size2, { cache: this.cache });
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
