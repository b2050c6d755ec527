import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ColumnValue, RowOperation, SqlScalar } from '../projection.js';
import { compileOperation, createTableSql, OperationCompiler, toDialect } from './sql-compiler.js';

const keyOf = () => ['id'];

describe('SQL compiler', () => {
  test('an upsert with a lookup compiles to parameterised SQL that both databases accept', () => {
    const op: RowOperation = {
      op: 'upsert',
      table: 'rm_t',
      row: { id: 'a', site: { lookup: { table: 'rm_ctx', where: { entity_id: 'img' }, column: 'site_id' }, fallback: 'none' }, n: 3 },
    };
    const { sql, params } = compileOperation(op, keyOf);
    assert.equal(
      sql,
      'INSERT INTO rm_t (id, site, n) VALUES (?, COALESCE((SELECT site_id FROM rm_ctx WHERE entity_id = ? LIMIT 1), ?), ?) ON CONFLICT (id) DO UPDATE SET site = excluded.site, n = excluded.n',
    );
    assert.deepEqual(params, ['a', 'img', 'none', 3]);
    assert.equal(toDialect(sql, 'postgres').includes('$4'), true);
  });

  test('values never enter the SQL text; identifiers are checked', () => {
    const { sql } = compileOperation({ op: 'update', table: 'rm_t', set: { note: "x'); DROP TABLE rm_t; --" }, where: { id: 'a' } }, keyOf);
    assert.equal(sql, 'UPDATE rm_t SET note = ? WHERE id = ?');
    assert.throws(() => compileOperation({ op: 'delete', table: 'rm_t; DROP', where: { id: 1 } }, keyOf), /not a lower-case SQL identifier/);
    assert.throws(() => compileOperation({ op: 'delete', table: 'rm_t', where: {} }, keyOf), /at least one where column/);
  });

  test('DDL maps integer to BIGINT on PostgreSQL', () => {
    const table = { name: 'rm_t', columns: { id: 'text', n: 'integer', x: 'real' } as const, primaryKey: ['id'], indexes: [['n']] };
    assert.deepEqual(createTableSql(table, 'postgres'), [
      'CREATE TABLE IF NOT EXISTS rm_t (id TEXT, n BIGINT, x DOUBLE PRECISION, PRIMARY KEY (id))',
      'CREATE INDEX IF NOT EXISTS rm_t__n ON rm_t (n)',
    ]);
  });

  test('the shape-cached compiler gives exactly the uncached SQL and parameters for any operation', () => {
    const column = fc.constantFrom('id', 'a', 'b', 'c');
    const scalar: fc.Arbitrary<SqlScalar> = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null));
    const lookup: fc.Arbitrary<ColumnValue> = fc.record(
      {
        lookup: fc.record({ table: fc.constantFrom('rm_x', 'rm_y'), where: fc.dictionary(column, scalar, { minKeys: 1, maxKeys: 2 }), column }),
        fallback: scalar,
      },
      { requiredKeys: ['lookup'] },
    );
    const value = fc.oneof(scalar, lookup);
    const row = fc.dictionary(column, value, { minKeys: 1, maxKeys: 4 });
    const where = fc.dictionary(column, scalar, { minKeys: 1, maxKeys: 3 });
    const operation: fc.Arbitrary<RowOperation> = fc.oneof(
      fc.record({ op: fc.constant('upsert' as const), table: fc.constant('rm_t'), row }),
      fc.record({ op: fc.constant('insertIfAbsent' as const), table: fc.constant('rm_t'), row }),
      fc.record({ op: fc.constant('update' as const), table: fc.constant('rm_t'), set: row, where }),
      fc.record({ op: fc.constant('delete' as const), table: fc.constant('rm_t'), where }),
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 20 }), (operations) => {
        const compiler = new OperationCompiler(keyOf);
        for (const op of operations) assert.deepEqual(compiler.compile(op), compileOperation(op, keyOf));
      }),
      { numRuns: 300 },
    );
  });
});
