import type { EventStore, ExpectedRevision, RecordedEvent } from '@radledger/ledger';
import type { DomainEvent } from '../shared/decider.js';
import { upcast } from '../schemas/upcasters.js';

export interface LoadedAggregate<S> {
  streamId: string;
  state: S;
  /** The stream's events as read (upcast to current schema versions). */
  events: RecordedEvent[];
  /** What to pass to `append` to keep this state current: `no-stream` or the last revision. */
  expectedRevision: ExpectedRevision;
}

/** Read a stream, upcast, and fold it with a decider's `evolve`. */
export async function loadAggregate<S, E extends DomainEvent>(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  decider: { evolve(state: S, event: E): S; initialState(): S },
): Promise<LoadedAggregate<S>> {
  const events = (await store.readStream(streamId)).map((e) => upcast(e));
  const state = events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as unknown as E), decider.initialState());
  const last = events.at(-1);
  return { streamId, state, events, expectedRevision: last === undefined ? 'no-stream' : Number(last.streamRevision) };
}
