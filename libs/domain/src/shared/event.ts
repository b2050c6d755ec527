import type { DomainEvent } from './decider.js';
import type { Static, TSchema } from './schema.js';

/** An earlier version still in stored ledgers: its data schema and how its data becomes the next version's. */
export interface EventVersion {
  readonly version: number;
  readonly schema: TSchema;
  /** Data of `version` → data of `version + 1`. Upcasting happens on read; stored bytes never change. */
  readonly upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * An event type: a past-tense fact, never renamed once stored. `schema` is the current
 * version's data schema (the TypeScript type is inferred from it); `history` keeps every
 * earlier version, oldest first, so stored events still validate and upcast.
 */
export interface EventDeclaration<T extends string = string, S extends TSchema = TSchema> {
  readonly type: T;
  readonly version: number;
  readonly schema: S;
  readonly history: readonly EventVersion[];
}

export function defineEvent<const T extends string, S extends TSchema>(type: T, schema: S, history: readonly EventVersion[] = []): EventDeclaration<T, S> {
  history.forEach((h, i) => {
    if (h.version !== i + 1) throw new Error(`defineEvent(${type}): history must list versions 1..n in order`);
  });
  return { type, version: history.length + 1, schema, history };
}

/** The event as deciders see it: `{ type, data }` with the current version's data type. */
export type EventOf<E extends EventDeclaration> = DomainEvent<E['type'], Static<E['schema']>>;
export type EventData<E extends EventDeclaration> = Static<E['schema']>;
