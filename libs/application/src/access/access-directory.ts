import { identityDecider, loadAggregate, streamIds, upcast, type UserState } from '@radledger/domain';
import type { EventStore } from '@radledger/ledger';

/**
 * The identity context's current state for the requests of this process: accounts as folded
 * from their `user-` streams. Before answering, it reads what the ledger appended since it last
 * looked (by global position; one cheap head() per request when nothing changed), so a revoke,
 * a lock or a password change recorded by any process or replica applies to the next request.
 * Accounts are loaded on first use; later events for accounts not yet loaded are skipped.
 */
export class AccessDirectory {
  private readonly users = new Map<string, UserState>();
  private position: number | undefined;
  /** The look at the ledger in flight, and the one that callers arriving meanwhile share. */
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly store: Pick<EventStore, 'head' | 'readAll' | 'readStream'>) {}

  async user(userId: string): Promise<UserState | undefined> {
    await this.refresh();
    let state = this.users.get(userId);
    if (!state) {
      state = (await loadAggregate(this.store, streamIds.user(userId), identityDecider)).state;
      if (state.userId === null) return undefined;
      this.users.set(userId, state);
    }
    return state;
  }

  /**
   * Fold what was appended since the last look. A call never answers from a look that started
   * before it was made: with a look in flight, it waits for the next one, which every call
   * arriving meanwhile shares (one head() for a burst of concurrent requests, not one each in
   * a queue).
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.catchUp().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  private async catchUp(): Promise<void> {
    const head = await this.store.head();
    if (this.position === undefined) {
      // Accounts load lazily from their streams; only events after this point are folded in.
      this.position = head.size;
      return;
    }
    const PAGE = 1000;
    while (this.position < head.size) {
      const events = await this.store.readAll(this.position, PAGE);
      if (events.length === 0) break;
      for (const e of events) {
        if (!e.streamId.startsWith('user-')) continue;
        const userId = e.streamId.slice('user-'.length);
        const cached = this.users.get(userId);
        if (!cached) continue;
        const event = upcast(e);
        this.users.set(userId, identityDecider.evolve(cached, { type: event.type, data: event.data } as never));
      }
      this.position = Number(events.at(-1)!.globalPosition) + 1;
    }
  }
}
