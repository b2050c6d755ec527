import type { RecordedEvent } from '../core/envelope.js';
import type { Subscription } from '../event-store.port.js';

/** Wakes subscribers when this process commits an append (other processes are seen by polling). */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify() or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(() => done(), timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      this.waiters.delete(done);
      wake();
    };
    this.waiters.add(done);
    return { promise, cancel: done };
  }
}

export interface CatchUpSource {
  readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]>;
  headSize(): Promise<number>;
}

/**
 * Catch-up subscription: pages through history from `fromPosition`, then waits for new
 * appends (in-process signal, or a poll for writers in other processes). Events are
 * delivered one at a time, in global order; a handler error stops the subscription and
 * rejects pending `caughtUp()` calls.
 */
export class CatchUpSubscription implements Subscription {
  private position: number;
  private closed = false;
  private failure: Error | undefined;
  private pendingWait: { cancel(): void } | undefined;
  private catchUpWaiters: Array<{ target: number; resolve(): void; reject(error: Error): void }> = [];
  private readonly loop: Promise<void>;

  constructor(
    private readonly source: CatchUpSource,
    fromPosition: number,
    private readonly handler: (event: RecordedEvent) => Promise<void> | void,
    private readonly signal: AppendSignal,
    private readonly pollMs = 250,
    private readonly pageSize = 500,
  ) {
    this.position = fromPosition;
    this.loop = this.run();
  }

  async caughtUp(): Promise<void> {
    if (this.failure) throw this.failure;
    const target = await this.source.headSize();
    if (this.position >= target) return;
    if (this.closed) throw this.failure ?? new Error('subscription closed before catching up');
    await new Promise<void>((resolve, reject) => this.catchUpWaiters.push({ target, resolve, reject }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingWait?.cancel();
    await this.loop;
    const error = this.failure ?? new Error('subscription closed before catching up');
    for (const waiter of this.catchUpWaiters.splice(0)) waiter.reject(error);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        const wait = this.signal.wait(this.pollMs);
        this.pendingWait = wait;
        const events = await this.source.readAll(this.position, this.pageSize);
        for (const event of events) {
          if (this.closed) break;
          await this.handler(event);
          this.position = Number(event.globalPosition) + 1;
        }
        this.settleCatchUps();
        if (events.length === this.pageSize) {
          wait.cancel();
          continue;
        }
        await wait.promise;
      } catch (error) {
        this.failure = error as Error;
        this.closed = true;
        for (const waiter of this.catchUpWaiters.splice(0)) waiter.reject(this.failure);
      }
    }
  }

  private settleCatchUps(): void {
    this.catchUpWaiters = this.catchUpWaiters.filter((waiter) => {
      if (this.position < waiter.target) return true;
      waiter.resolve();
      return false;
    });
  }
}

/**
 * The live subscriptions of one store: each opened on the store's reads and append signal,
 * forgotten when closed, and all closed with the store.
 */
export class StoreSubscriptions {
  private readonly open = new Set<CatchUpSubscription>();

  constructor(
    private readonly source: CatchUpSource,
    private readonly signal: AppendSignal,
    private readonly pollMs: number,
  ) {}

  subscribe(fromPosition: number, handler: (event: RecordedEvent) => Promise<void> | void): Subscription {
    const subscription = new CatchUpSubscription(this.source, fromPosition, handler, this.signal, this.pollMs);
    this.open.add(subscription);
    return {
      caughtUp: () => subscription.caughtUp(),
      close: async () => {
        this.open.delete(subscription);
        await subscription.close();
      },
    };
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.close()));
    this.open.clear();
  }
}
