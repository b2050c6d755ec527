import type { EventStore, RecordedEvent, Subscription } from '@radledger/ledger';
import type { Projection } from './projection.js';
import type { ProjectionBatch, ReadModelStore } from './read-model-store.port.js';

/** The part of the ledger's EventStore port the runner reads. */
export type ProjectionSource = Pick<EventStore, 'readAll' | 'subscribe' | 'head'>;

export interface ProjectionRunnerOptions {
  /** Events per transaction in bulk catch-up (one read page = one transaction). */
  batchSize?: number;
  /** Called when a live batch fails; the runner then restarts from its durable checkpoints. */
  onError?: (error: Error) => void;
  /** Delay before restarting after a failure. */
  retryMs?: number;
}

export interface ProjectionLag {
  projection: string;
  version: number;
  /** Last applied global position (-1: nothing yet). */
  lastPosition: number;
  /** Ledger size minus applied events: 0 when caught up. */
  lag: number;
}

/**
 * Feeds ledger events to projections and commits their row operations together with each
 * projection's checkpoint, many events per transaction. Each projection resumes from its own
 * checkpoint, so one projection can be rebuilt (version bump) while the others stay put.
 * Bulk catch-up and the live subscription share one lock, and every path skips events a
 * projection has already applied, so they can interleave safely.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  /** Next global position to apply, per projection (mirrors the durable checkpoints). */
  private readonly next = new Map<string, number>();
  private lock: Promise<unknown> = Promise.resolve();
  private subscription: Subscription | undefined;
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private initialised = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;
  private appliedWaiters: Array<{ position: number; resolve(): void }> = [];

  constructor(
    private readonly source: ProjectionSource,
    private readonly store: ReadModelStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`duplicate projection name ${p.name}`);
      names.add(p.name);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Creates or migrates tables and loads checkpoints. */
  async init(): Promise<void> {
    await this.exclusive(() => this.loadCheckpoints(true));
  }

  private async loadCheckpoints(migrate: boolean): Promise<void> {
    if (migrate) await this.store.migrate(this.projections);
    const stored = await this.store.checkpoints();
    for (const p of this.projections) {
      const checkpoint = stored.get(p.name);
      this.next.set(p.name, checkpoint && checkpoint.version === p.version ? checkpoint.lastPosition + 1 : 0);
    }
    this.initialised = true;
  }

  private lowestNext(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const value of this.next.values()) lowest = Math.min(lowest, value);
    return Number.isFinite(lowest) ? lowest : 0;
  }

  /** Applies events (in global order) to every projection that has not applied them yet: one transaction. */
  private async applyEvents(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const last = Number(events[events.length - 1]!.globalPosition);
    const batches: ProjectionBatch[] = [];
    for (const projection of this.projections) {
      const from = this.next.get(projection.name) ?? 0;
      if (last < from) continue;
      const operations = [];
      for (const event of events) {
        const position = Number(event.globalPosition);
        if (position < from || !projection.canHandle(event.type)) continue;
        for (const operation of projection.evolve(event)) operations.push(operation);
      }
      batches.push({ projection: projection.name, version: projection.version, lastPosition: last, operations });
    }
    if (batches.length === 0) return;
    await this.store.apply(batches);
    for (const batch of batches) this.next.set(batch.projection, batch.lastPosition + 1);
    this.settleAppliedWaiters();
  }

  private settleAppliedWaiters(): void {
    const through = this.lowestNext() - 1;
    this.appliedWaiters = this.appliedWaiters.filter((waiter) => {
      if (waiter.position > through) return true;
      waiter.resolve();
      return false;
    });
  }

  /**
   * Resolves once every projection has applied `position` — by whichever path (live
   * subscription or catch-up) gets there; it triggers nothing itself.
   */
  whenApplied(position: number): Promise<void> {
    if (this.initialised && this.lowestNext() > position) return Promise.resolve();
    return new Promise((resolve) => this.appliedWaiters.push({ position, resolve }));
  }

  private async catchUpLocked(): Promise<number> {
    if (!this.initialised) await this.loadCheckpoints(true);
    const target = (await this.source.head()).size;
    let applied = 0;
    let position = this.lowestNext();
    while (position < target) {
      const events = await this.source.readAll(position, Math.min(this.batchSize, target - position));
      if (events.length === 0) break;
      await this.applyEvents(events);
      applied += events.length;
      position = Number(events[events.length - 1]!.globalPosition) + 1;
    }
    return applied;
  }

  /**
   * Applies everything up to the ledger head as of this call, in batches of `batchSize`
   * events per transaction. Returns how many events were read.
   */
  catchUp(): Promise<number> {
    return this.exclusive(() => this.catchUpLocked());
  }

  /** Resolves when every event appended before this call has been applied. */
  async caughtUp(): Promise<void> {
    await this.catchUp();
  }

  /** Drops every projection's tables and checkpoint, then replays the whole ledger. */
  rebuild(): Promise<number> {
    return this.exclusive(async () => {
      await this.store.drop(this.projections);
      this.buffer = [];
      await this.loadCheckpoints(true);
      return this.catchUpLocked();
    });
  }

  /** Starts the live catch-up subscription from the lowest checkpoint. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.init();
    this.subscribe();
  }

  private subscribe(): void {
    this.subscription = this.source.subscribe(this.lowestNext(), (event) => this.onEvent(event));
  }

  private onEvent(event: RecordedEvent): Promise<void> | void {
    this.buffer.push(event);
    // Backpressure: a full buffer is flushed before the subscription delivers more.
    if (this.buffer.length >= this.batchSize) return this.flush();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush().catch(() => undefined);
      });
    }
  }

  private flush(): Promise<void> {
    return this.exclusive(async () => {
      const events = this.buffer;
      this.buffer = [];
      try {
        await this.applyEvents(events);
      } catch (error) {
        this.fail(error as Error);
      }
    });
  }

  private fail(error: Error): void {
    this.lastError = error;
    this.options.onError?.(error);
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.close().catch(() => undefined);
    this.buffer = [];
    if (!this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.running) return;
      void this.exclusive(() => this.loadCheckpoints(false))
        .then(() => this.running && this.subscribe())
        .catch((e: Error) => this.fail(e));
    }, this.options.retryMs ?? 1000);
  }

  /** The last failure of the live subscription, if any (for health and metrics). */
  get error(): Error | undefined {
    return this.lastError;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
    await this.flush();
  }

  /** head − checkpoint per projection, from the durable checkpoints (for the metrics endpoint). */
  async lag(): Promise<ProjectionLag[]> {
    return projectionLag(this.source, this.store, this.projections);
  }
}

/** Projection lag = ledger size − (last applied position + 1), read from the durable checkpoints. */
export async function projectionLag(
  source: Pick<EventStore, 'head'>,
  store: ReadModelStore,
  projections: readonly Pick<Projection, 'name' | 'version'>[],
): Promise<ProjectionLag[]> {
  const [head, stored] = await Promise.all([source.head(), store.checkpoints()]);
  return projections.map((p) => {
    const checkpoint = stored.get(p.name);
    const lastPosition = checkpoint && checkpoint.version === p.version ? checkpoint.lastPosition : -1;
    return { projection: p.name, version: p.version, lastPosition, lag: Math.max(0, head.size - (lastPosition + 1)) };
  });
}
