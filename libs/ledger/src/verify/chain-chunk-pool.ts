import { Worker } from 'node:worker_threads';
import { verifyChainChunk, type ChainChunk, type ChainChunkResult } from '../core/chain-chunk.js';
import { verifySqliteChainRun, type SqliteChainRun } from '../adapters/sqlite-chain-run.js';

interface Job {
  resolve(result: ChainChunkResult): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  jobs: Map<number, Job>;
}

/**
 * Worker threads that verify runs of stored events. Started on first use and kept for
 * the life of the process (starting a thread costs more than verifying a run), but
 * unreferenced while idle, so they never hold the process open. If no thread can start,
 * runs are verified on the calling thread (slower, same answer); if a thread dies with
 * runs in hand, those verifications fail with an error that says so (never a verdict).
 */
export class ChainChunkPool {
  private workers: PooledWorker[] = [];
  private nextId = 0;
  private broken = false;

  constructor(private readonly size: number) {}

  get threads(): number {
    return this.size;
  }

  run(chunk: ChainChunk): Promise<ChainChunkResult> {
    const target = this.pick();
    if (!target) return Promise.resolve().then(() => verifyChainChunk(chunk));
    // The bytes move to the worker (no copy).
    return this.post(target, { chunk }, [chunk.bytes.buffer as ArrayBuffer, chunk.offsets.buffer as ArrayBuffer]);
  }

  /** A run of a SQLite ledger, read by the thread that verifies it. */
  runSqlite(run: SqliteChainRun): Promise<ChainChunkResult & { lastHash?: string }> {
    const target = this.pick();
    if (!target) return Promise.resolve().then(() => verifySqliteChainRun(run));
    return this.post(target, { run }, []);
  }

  private post(target: PooledWorker, job: { chunk?: ChainChunk; run?: SqliteChainRun }, transfer: ArrayBuffer[]): Promise<ChainChunkResult> {
    const id = this.nextId++;
    return new Promise<ChainChunkResult>((resolve, reject) => {
      target.jobs.set(id, { resolve, reject });
      target.worker.ref();
      target.worker.postMessage({ id, ...job }, transfer);
    });
  }

  /** The least busy thread, starting threads up to the pool size. */
  private pick(): PooledWorker | undefined {
    if (this.broken) return undefined;
    if (this.workers.length < this.size) {
      const started = this.start();
      if (started) return started;
    }
    let best: PooledWorker | undefined;
    for (const w of this.workers) if (!best || w.jobs.size < best.jobs.size) best = w;
    return best;
  }

  private start(): PooledWorker | undefined {
    let worker: Worker;
    try {
      // Source (.ts through the TypeScript loader the parent runs with) or build output (.js).
      const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
      worker = new Worker(new URL(`./chain-chunk.worker.${extension}`, import.meta.url));
    } catch {
      this.broken = true;
      return undefined;
    }
    const pooled: PooledWorker = { worker, jobs: new Map() };
    worker.on('message', (message: { id: number; result?: ChainChunkResult; error?: string }) => {
      const job = pooled.jobs.get(message.id);
      if (!job) return;
      pooled.jobs.delete(message.id);
      if (pooled.jobs.size === 0) worker.unref();
      if (message.result) job.resolve(message.result);
      else job.reject(new Error(`chain verification worker: ${message.error}`));
    });
    const fail = (): void => {
      this.broken = true;
      this.workers = this.workers.filter((w) => w !== pooled);
      const orphans = [...pooled.jobs.values()];
      pooled.jobs.clear();
      // The transferred bytes went with the thread: such runs cannot be redone here.
      for (const job of orphans) job.reject(new Error('chain verification worker stopped before answering; verify again with workers: 0'));
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    worker.unref();
    this.workers.push(pooled);
    return pooled;
  }
}
