import assert from 'node:assert/strict';
import { DomainError } from '@radledger/platform';
import type { Command, CommandContext, DomainEvent } from '../shared/decider.js';

interface AnyDecider<C, E, S, F> {
  decide(command: C, state: S, context: CommandContext<F>): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export const TEST_NOW = new Date('2026-03-01T10:00:00.000Z');

/**
 * given(events).when(command).then(events) | thenThrows(code) — Emmett-style decider
 * specification. No mocks: the decider under test is the real one, the history is real events.
 */
export function deciderSpec<C extends Command, E extends DomainEvent, S, F>(decider: AnyDecider<C, E, S, F>) {
  return {
    given(history: E[] = []) {
      let context: CommandContext<F> = { actor: 'user-1', role: 'site-operator', now: TEST_NOW, facts: {} as F };
      const whenApi = {
        /** Facts from other aggregates and metadata (actor, role, reason, now). */
        withContext(partial: Partial<Omit<CommandContext<F>, 'facts'>> & { facts?: F }) {
          context = { ...context, ...partial, facts: (partial.facts ?? context.facts) as F };
          return whenApi;
        },
        withFacts(facts: F) {
          context = { ...context, facts };
          return whenApi;
        },
        when(command: C) {
          const run = () => decider.decide(command, history.reduce((s, e) => decider.evolve(s, e), decider.initialState()), context);
          return {
            then(expected: E[]) {
              assert.deepEqual(run(), expected);
            },
            /** For events with computed fields: inspect them yourself. */
            thenEvents(check: (events: E[]) => void) {
              check(run());
            },
            thenThrows(code: string, messageIncludes?: string | RegExp) {
              let thrown: unknown;
              try {
                run();
              } catch (e) {
                thrown = e;
              }
              assert.ok(thrown instanceof DomainError, `expected DomainError ${code}, got ${thrown === undefined ? 'no error' : String(thrown)}`);
              assert.equal(thrown.code, code, `expected code ${code}, got ${thrown.code}: ${thrown.message}`);
              if (messageIncludes !== undefined) {
                if (typeof messageIncludes === 'string') assert.ok(thrown.message.includes(messageIncludes), `message "${thrown.message}" should mention ${messageIncludes}`);
                else assert.match(thrown.message, messageIncludes);
              }
            },
          };
        },
      };
      return whenApi;
    },
  };
}
