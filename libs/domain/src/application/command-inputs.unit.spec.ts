import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '@radledger/platform';
import { commandInputs, commandTypes, validateCommandInput, type FieldSpec } from './command-inputs.js';
import { commandRoutes } from './command-routes.js';
import { TEST_NOW } from '../testing/decider-spec.js';

function arbitraryFor(spec: FieldSpec): fc.Arbitrary<unknown> {
  const base = ((): fc.Arbitrary<unknown> => {
    switch (spec.type) {
      case 'id':
        return fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,10}$/), fc.string());
      case 'string':
        return fc.string({ maxLength: 30 });
      case 'sha256':
        return fc.stringMatching(/^[0-9a-f]{64}$/);
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'integer':
        return fc.integer();
      case 'boolean':
        return fc.boolean();
      case 'enum':
        return fc.constantFrom(...spec.enum!);
      case 'object':
        return objectFor(spec.fields ?? []);
      case 'json':
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }));
      case 'numberMap':
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
      case 'id[]':
      case 'string[]':
        return fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 });
      case 'enum[]':
        return fc.array(fc.constantFrom(...spec.enum!), { maxLength: 3 });
      case 'object[]':
        return fc.array(objectFor(spec.fields ?? []), { maxLength: 2 });
      case 'number|string[]':
        return fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 });
      case 'number[3]':
        return fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    }
  })();
  return spec.nullable ? fc.option(base, { nil: null }) : base;
}

function objectFor(fields: FieldSpec[]): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) model[f.name] = arbitraryFor(f);
  return fc.record(model, { requiredKeys: fields.filter((f) => f.required && !f.generated).map((f) => f.name) });
}

test('every command type has an input description and a route, and nothing else', () => {
  assert.deepEqual([...commandTypes].sort(), Object.keys(commandRoutes).sort());
  assert.equal(commandTypes.length, 29);
  for (const t of commandTypes) assert.ok(commandInputs[t].length > 0, t);
});

test('boundary check names the field: missing, mistyped, unknown', () => {
  const bad = (data: unknown, field: string) =>
    assert.throws(() => validateCommandInput({ type: 'EnrollSubject', data }), (e: unknown) => e instanceof DomainError && e.code === 'INPUT_INVALID' && e.message.includes(field));
  bad({ trialId: 'T', siteId: 'A' }, 'data.subjectId');
  bad({ trialId: 'T', siteId: 'A', subjectId: 7 }, 'data.subjectId');
  bad({ trialId: 'T', siteId: 'A', subjectId: 'S', name: 'x' }, 'data.name');
  assert.throws(() => validateCommandInput({ type: 'AcquireImage', data: { scanner: 'x' } }), /data\./);
});

test('fuzz: for any structurally valid input, decide returns events or throws a DomainError, never anything else', () => {
  for (const type of commandTypes) {
    const route = commandRoutes[type];
    fc.assert(
      fc.property(objectFor(commandInputs[type]), (data) => {
        validateCommandInput({ type, data });
        try {
          const events = route.decider.decide({ type, data } as never, route.decider.initialState(), { actor: 'u', role: 'qa', now: TEST_NOW, facts: {} });
          assert.ok(Array.isArray(events));
        } catch (e) {
          assert.ok(e instanceof DomainError, `${type}: ${String(e)}`);
        }
      }),
      { numRuns: 60 },
    );
  }
});
