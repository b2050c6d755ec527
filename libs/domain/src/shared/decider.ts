/** A fact as the deciders see it: the event type and its (current-version) data, no envelope. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  /**
   * Another aggregate's stream this fact belongs to, when one decision records facts in two
   * aggregates that must be appended together (the approval signature of a model lock). The
   * write path appends every stream of one decision atomically.
   */
  readonly stream?: { id: string; expectedRevision: number | 'no-stream' };
}

/** An intent, in the users' words; `data` is the input of one GraphQL mutation / CLI call. */
export interface Command<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * What a decision may depend on besides the aggregate's own state. Nothing ambient: time,
 * actor and the facts read from other aggregates (loaded by the CommandService) arrive here,
 * so `decide` stays a pure function of its arguments.
 */
export interface CommandContext<F = Record<string, never>> {
  actor: string;
  role: string;
  reason?: string;
  now: Date;
  facts: F;
}

/**
 * Decider (Chassaing): `decide` holds every invariant and throws a typed DomainError;
 * `evolve` folds recorded facts and never throws, since it must replay anything ever stored.
 */
export interface Decider<C extends Command, E extends DomainEvent, S, F = unknown> {
  decide(command: C, state: S, context: CommandContext<F>): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export function fold<E extends DomainEvent, S>(decider: { evolve(s: S, e: E): S; initialState(): S }, events: readonly E[]): S {
  return events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
}
