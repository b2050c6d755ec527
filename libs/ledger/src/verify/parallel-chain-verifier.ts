import { availableParallelism } from 'node:os';
import { verifyChainChunk, type ChainChunk, type ChainChunkResult } from '../core/chain-chunk.js';
import { ChainVerifier, type ChainVerification, type StoredEvent, type VerifyChainOptions } from '../core/verifier.js';
import { verifySqliteChainRun } from '../adapters/sqlite-chain-run.js';
import { ChainChunkPool } from './chain-chunk-pool.js';

export interface ParallelVerifyOptions extends VerifyChainOptions {
  /** Worker threads (default: the machine's available parallelism, at most 8). 0 verifies on the calling thread. */
  workers?: number;
  /** Events per run handed to a thread: a power of two (default 4096), so runs are aligned subtrees. */
  chunkSize?: number;
}

let sharedPool: ChainChunkPool | undefined;

/** One pool per process, sized by the first caller that asks for more threads than it has. */
function poolOf(threads: number): ChainChunkPool {
  if (!sharedPool || sharedPool.threads < threads) sharedPool = new ChainChunkPool(threads);
  return sharedPool;
}

export function defaultVerifyWorkers(): number {
  return Math.min(8, availableParallelism());
}

/**
 * The ChainVerifier with its per-event work (leaf hashes, canonical bytes, positions,
 * links, the Merkle tree of each run) spread over worker threads. The calling thread only
 * encodes each stored text once into the bytes that are hashed (0x00 ‖ UTF-8) and glues
 * the runs together in order (ChainVerifier.acceptChunk: the link into each run,
 * checkpoints, the root), so the result and the first failure reported are exactly those
 * of a sequential ChainVerifier. Feed it with `push` (await `ready()` now and then to
 * bound memory), then `await finish()`.
 */
export class ParallelChainVerifier {
  private readonly verifier: ChainVerifier;
  private readonly pool: ChainChunkPool | undefined;
  private readonly chunkSize: number;
  private readonly checkCanonical: boolean;
  private readonly maxInFlight: number;
  /** Position of the next event pushed. */
  private position = 0;
  private chunkStart = 0;
  private count = 0;
  private bytes: Buffer;
  private used = 0;
  private offsets: Uint32Array;
  private hashes: string[] = [];
  private outside: Array<[number, string | number]> = [];
  private illFormed: number[] = [];
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly results = new Map<number, { result: ChainChunkResult; lastHash: string }>();
  /** Start of the next run to glue. */
  private nextToAccept = 0;
  private failure: unknown;
  private waiters: Array<() => void> = [];

  constructor(options: ParallelVerifyOptions = {}) {
    this.verifier = new ChainVerifier(options);
    const workers = options.workers ?? defaultVerifyWorkers();
    this.pool = workers > 0 ? poolOf(workers) : undefined;
    this.chunkSize = options.chunkSize ?? 4096;
    if (!Number.isSafeInteger(this.chunkSize) || this.chunkSize < 1 || 2 ** Math.round(Math.log2(this.chunkSize)) !== this.chunkSize) {
      throw new RangeError(`chunkSize must be a power of two, got ${this.chunkSize}`);
    }
    this.checkCanonical = options.checkCanonical ?? true;
    this.maxInFlight = 2 * Math.max(1, workers);
    this.bytes = Buffer.allocUnsafeSlow(this.chunkSize * 2048);
    this.offsets = new Uint32Array(this.chunkSize + 1);
  }

  get size(): number {
    return this.position;
  }

  push(event: StoredEvent): void {
    if (this.failure !== undefined) return;
    const text = event.canonical;
    // A UTF-16 code unit is at most 3 UTF-8 bytes.
    const needed = this.used + 1 + 3 * text.length;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.bytes.length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.bytes[this.used] = 0x00; // RFC 9162 §2.1.1 leaf prefix
    this.used += 1 + this.bytes.write(text, this.used + 1, 'utf8');
    const i = this.count++;
    this.offsets[i + 1] = this.used;
    this.hashes.push(event.hash);
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) this.illFormed.push(i);
    const stored = event.globalPosition;
    if (stored !== undefined && stored !== this.position && String(stored) !== String(this.position)) this.outside.push([i, stored]);
    this.position++;
    if (this.count === this.chunkSize) this.dispatch();
  }

  /** Resolves once few enough runs are in flight to push another. */
  ready(): Promise<void> {
    if (this.inFlight.size < this.maxInFlight || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async finish(): Promise<ChainVerification> {
    if (this.count > 0 && this.failure === undefined) this.dispatch();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
    if (this.failure !== undefined) throw this.failure;
    return this.verifier.finish();
  }

  /**
   * The next `count` events (at most one run) as a run a worker thread reads from the SQLite
   * file itself (adapters/sqlite-chain-run.ts): nothing crosses threads but the verdict. Runs
   * must stay aligned: call it only between whole runs, never after a partial one.
   */
  pushSqliteRun(sqlitePath: string, count: number): void {
    if (this.failure !== undefined) return;
    const start = this.position;
    if (this.count !== 0 || start % this.chunkSize !== 0 || !(count > 0 && count <= this.chunkSize)) {
      throw new RangeError(`pushSqliteRun: a run of 1..${this.chunkSize} events at a multiple of ${this.chunkSize}, got ${count} at ${start} with ${this.count} pushed`);
    }
    this.position += count;
    this.chunkStart += count;
    const run = { sqlitePath, start, count, checkCanonical: this.checkCanonical, sizes: this.verifier.checkpointSizes(start, start + count) };
    const work = this.pool ? this.pool.runSqlite(run) : Promise.resolve().then(() => verifySqliteChainRun(run));
    this.track(start, work.then((result) => ({ result, lastHash: result.lastHash ?? '' })));
  }

  private dispatch(): void {
    const start = this.chunkStart;
    const chunk: ChainChunk = {
      start,
      bytes: this.bytes.subarray(0, this.used),
      offsets: this.offsets.subarray(0, this.count + 1),
      hashes: this.hashes,
      outside: this.outside,
      illFormed: this.illFormed,
      checkCanonical: this.checkCanonical,
      sizes: this.verifier.checkpointSizes(start, start + this.count),
    };
    const lastHash = this.hashes[this.count - 1]!;
    this.chunkStart += this.count;
    this.count = 0;
    this.used = 0;
    this.bytes = Buffer.allocUnsafeSlow(this.bytes.length);
    this.offsets = new Uint32Array(this.chunkSize + 1);
    this.hashes = [];
    this.outside = [];
    this.illFormed = [];
    const work = this.pool ? this.pool.run(chunk) : Promise.resolve().then(() => verifyChainChunk(chunk));
    this.track(start, work.then((result) => ({ result, lastHash })));
  }

  /** Glues the run starting at `start` in order once it is verified. */
  private track(start: number, work: Promise<{ result: ChainChunkResult; lastHash: string }>): void {
    const settled = work
      .then(
        (verified) => {
          this.results.set(start, verified);
          this.acceptInOrder();
        },
        (error: unknown) => {
          if (this.failure === undefined) this.failure = error;
        },
      )
      .finally(() => {
        this.inFlight.delete(start);
        for (const wake of this.waiters.splice(0)) wake();
      });
    this.inFlight.set(start, settled);
  }

  private acceptInOrder(): void {
    for (let next = this.results.get(this.nextToAccept); next && this.failure === undefined; next = this.results.get(this.nextToAccept)) {
      this.results.delete(this.nextToAccept);
      try {
        this.verifier.acceptChunk(this.nextToAccept, next.result, next.lastHash);
      } catch (error) {
        this.failure = error;
        return;
      }
      this.nextToAccept += next.result.verified;
    }
  }
}

/** verifyChain over worker threads (see ParallelChainVerifier); `workers: 0` runs it on this thread. */
export async function verifyChainParallel(
  events: Iterable<StoredEvent> | AsyncIterable<StoredEvent>,
  options: ParallelVerifyOptions = {},
): Promise<ChainVerification> {
  const verifier = new ParallelChainVerifier(options);
  let n = 0;
  if (Symbol.asyncIterator in events) {
    for await (const event of events) {
      verifier.push(event);
      if (++n % 1024 === 0) await verifier.ready();
    }
  } else {
    for (const event of events) {
      verifier.push(event);
      if (++n % 1024 === 0) await verifier.ready();
    }
  }
  return verifier.finish();
}
