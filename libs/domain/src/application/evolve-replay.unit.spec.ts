import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commandDeclarations } from '../registry.js';
import { eventExamples } from '../schemas/event-examples.fixture.js';

// evolve must replay anything ever recorded: any order, other contexts' events, unknown types.
test('every decider folds any sequence of recorded-shape events without throwing (property)', () => {
  const deciders = [...new Set(commandDeclarations.map((c) => c.decider))];
  const events = [...Object.entries(eventExamples).map(([type, data]) => ({ type, data })), { type: 'SomethingFromTheFuture', data: { x: 1 } }];
  for (const decider of deciders) {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 25 }), (seq) => {
        const state = seq.reduce((s, e) => decider.evolve(s, e), decider.initialState());
        assert.notEqual(state, undefined);
      }),
      { numRuns: 200 },
    );
  }
});
