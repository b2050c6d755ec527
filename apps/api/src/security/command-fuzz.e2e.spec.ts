import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLES } from '@radledger/domain';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { SchemaCatalogue, type TypeRef } from './graphql-introspection.js';
import { assertHealthy, assertTypedGraphqlError, ledgerOf } from './security-test-kit.js';

const NASTY_STRINGS = ["' OR '1'='1", 'x"; DROP TABLE events; --', '../../etc/passwd', '\u0000', '\uFEFF\u202E', 'Smith^John', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'x'.repeat(5000), 'T1', '__proto__', 'constructor'];

/** Values shaped like the GraphQL type (so most reach the domain), with random content. */
function shaped(catalogue: SchemaCatalogue, t: TypeRef, depth = 0): fc.Arbitrary<unknown> {
  if (t.kind === 'NON_NULL') return shaped(catalogue, t.ofType!, depth);
  const inner = (): fc.Arbitrary<unknown> => {
    if (t.kind === 'LIST') return fc.array(shaped(catalogue, t.ofType!, depth + 1), { maxLength: 3 });
    const named = catalogue.named(t);
    switch (named.kind) {
      case 'ENUM':
        return fc.oneof(fc.constantFrom(...named.enumValues!.map((v) => v.name)));
      case 'INPUT_OBJECT': {
        if (depth > 4) return fc.constant({});
        const fields = Object.fromEntries((named.inputFields ?? []).map((f) => [f.name, f.type.kind === 'NON_NULL' ? shaped(catalogue, f.type, depth + 1) : fc.option(shaped(catalogue, f.type, depth + 1), { nil: undefined })]));
        return fc.record(fields);
      }
      default:
        switch (named.name) {
          case 'Int':
            return fc.integer();
          case 'Float':
            return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308, -1e-308, 3));
          case 'Boolean':
            return fc.boolean();
          case 'JSON':
          case 'JSONObject':
            return fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', '$where')), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
          default:
            return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...NASTY_STRINGS), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/), fc.stringMatching(/^[0-9a-f]{64}$/));
        }
    }
  };
  return t.kind === 'NON_NULL' ? inner() : fc.option(inner(), { nil: null });
}

describe('fast-check fuzz of every mutation input: typed errors, no crash, no partial write, ledger verifies (SQLite)', () => {
  let api: TestApi;
  let token: string;
  let catalogue: SchemaCatalogue;

  before(async () => {
    api = await startTestApi('sqlite', { RADLEDGER_LOGIN_RATE_LIMIT: '100000' });
    token = await api.tokenFor('u-fuzz', ROLES.map((role) => ({ role })), 'Fuzz Every Role');
    catalogue = await SchemaCatalogue.load(api, token);
  });
  after(async () => api.close());

  test('random JSON and randomly filled, type-shaped inputs for each mutation', async () => {
    const ledger = ledgerOf(api);
    const mutations = catalogue.operations.filter((op) => op.kind === 'mutation');
    assert.ok(mutations.length >= 10);
    const outcomes: Record<string, number> = {};
    for (const op of mutations) {
      // Each argument: shaped like its type (usually), or any JSON value at all (type confusion).
      const args = fc.record(Object.fromEntries(op.args.map((a) => [a.name, fc.oneof({ weight: 4, arbitrary: shaped(catalogue, a.type) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) })])));
      await fc.assert(
        fc.asyncProperty(args, async (values) => {
          const { query, variables } = catalogue.call(op, values as Record<string, unknown>);
          const before = await ledger.size();
          const res = await api.graphql(token, query, variables);
          const appended = await ledger.since(before);
          if (res.errors) {
            const code = assertTypedGraphqlError(res.errors, `${op.name} ${JSON.stringify(values).slice(0, 300)}`);
            outcomes[code] = (outcomes[code] ?? 0) + 1;
            const passwordCheck = op.name === 'login' || JSON.stringify(op.args).includes('SignerCredentialsInput');
            assert.ok(appended.every((e) => passwordCheck && e.type === 'LoginFailed'), `${op.name}: a refused command appended ${appended.map((e) => e.type).join(', ')}`);
          } else {
            outcomes.accepted = (outcomes.accepted ?? 0) + 1;
          }
        }),
        { numRuns: 12 },
      );
    }
    await assertHealthy(api);
    const report = await ledger.verify();
    assert.equal(report.size, await ledger.size());
    // The fuzz must reach the domain, not only GraphQL's type checks.
    const domainCodes = Object.keys(outcomes).filter((c) => !['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'accepted'].includes(c));
    assert.ok(domainCodes.length >= 3, `outcomes: ${JSON.stringify(outcomes)}`);
  });
});
