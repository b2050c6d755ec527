/** Exhaustiveness guard for `switch (x.type)`: a new union member without a case fails to compile. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

/** In `evolve` an unknown event must be ignored, not thrown on (old ledgers, newer writers). */
export function ignoreUnknown<S>(state: S, _value: never): S {
  return state;
}
