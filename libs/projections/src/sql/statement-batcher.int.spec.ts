import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import type { ColumnValue, RowOperation, SqlScalar, TableSchema } from '../projection.js';
import { createTableSql, OperationCompiler, toDialect } from './sql-compiler.js';
import { MAX_ROWS_PER_STATEMENT, StatementBatcher } from './statement-batcher.js';

const TABLES: TableSchema[] = [
  { name: 'rm_a', columns: { id: 'text', x: 'text', y: 'integer' }, primaryKey: ['id'] },
  { name: 'rm_b', columns: { id: 'text', x: 'text', y: 'integer' }, primaryKey: ['id'] },
];
const keyOf = (table: string) => TABLES.find((t) => t.name === table)!.primaryKey;

function database(): Database.Database {
  const db = new Database(':memory:');
  for (const table of TABLES) for (const sql of createTableSql(table, 'sqlite')) db.exec(sql);
  return db;
}

const dump = (db: Database.Database) => TABLES.map((t) => db.prepare(`SELECT * FROM ${t.name} ORDER BY id`).all());

const id = fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5');
const table = fc.constantFrom('rm_a', 'rm_b');
const scalar: fc.Arbitrary<SqlScalar> = fc.oneof(fc.constantFrom('p', 'q', 'r'), fc.integer({ min: 0, max: 3 }), fc.constant(null));
// Lookups by primary key (tracked per row) and by another column (tracked per table).
const lookup: fc.Arbitrary<ColumnValue> = fc.oneof(
  fc.record({ lookup: fc.record({ table, where: id.map((k) => ({ id: k })), column: fc.constantFrom('x', 'y') }), fallback: scalar }),
  fc.record({ lookup: fc.record({ table, where: scalar.map((v) => ({ x: v })), column: fc.constantFrom('id', 'y') }) }),
);
const value = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: lookup });
const operation: fc.Arbitrary<RowOperation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('upsert' as const), table, row: fc.record({ id, x: value, y: value }, { requiredKeys: ['id'] }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('insertIfAbsent' as const), table, row: fc.record({ id, x: value, y: value }, { requiredKeys: ['id'] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('update' as const), table, set: fc.record({ x: value }), where: id.map((k) => ({ id: k })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), table, where: id.map((k) => ({ id: k })) }) },
);

describe('StatementBatcher: multi-row statements with the outcome of one statement per operation', () => {
  test('for any operation sequence, the planned statements leave the same rows as applying the operations one by one', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 60 }), (operations) => {
        const compiler = new OperationCompiler(keyOf);
        const one = database();
        const planned = database();
        try {
          for (const op of operations) {
            const { sql, params } = compiler.compile(op);
            one.prepare(sql).run(...params);
          }
          const statements = new StatementBatcher(new OperationCompiler(keyOf), keyOf).plan(operations);
          for (const { sql, params } of statements) planned.prepare(sql).run(...params);
          assert.deepEqual(dump(planned), dump(one));
          assert.ok(statements.length <= operations.length);
        } finally {
          one.close();
          planned.close();
        }
      }),
      { numRuns: 400 },
    );
  });

  test('same-shape inserts share statements of at most 64 rows, and no statement holds one key twice (PostgreSQL refuses that)', () => {
    const ops: RowOperation[] = [];
    for (let i = 0; i < 150; i++) ops.push({ op: 'upsert', table: 'rm_a', row: { id: `n${i % 100}`, x: 'v', y: i } });
    const statements = new StatementBatcher(new OperationCompiler(keyOf), keyOf).plan(ops);
    const rowsPer = statements.map((s) => s.params.length / 3);
    assert.ok(rowsPer.every((n) => n <= MAX_ROWS_PER_STATEMENT));
    for (const { params } of statements) {
      const keys = params.filter((_, i) => i % 3 === 0);
      assert.equal(new Set(keys).size, keys.length);
    }
    // 100 distinct keys, then 50 repeats: the repeat of n0 flushes the first group.
    assert.equal(statements.reduce((n, s) => n + s.params.length / 3, 0), 150);
    assert.ok(statements.length < 10, `${statements.length} statements`);
    const db = database();
    for (const { sql, params } of statements) db.prepare(sql).run(...params);
    assert.equal((db.prepare('SELECT y FROM rm_a WHERE id = ?').get('n0') as { y: number }).y, 100);
    db.close();
  });

  test('on PostgreSQL (each statement sees only the rows committed by the statements before it), the same as one by one', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    const schema = `rl_sb_${randomBytes(5).toString('hex')}`;
    const reset = async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      // PostgreSQL is strictly typed and a lookup may copy any column into any other: all text here.
      for (const table of TABLES) for (const sql of createTableSql({ ...table, columns: { id: 'text', x: 'text', y: 'text' } }, 'postgres')) await client.query(sql);
    };
    const run = async (statements: Iterable<{ sql: string; params: SqlScalar[] }>) => {
      for (const { sql, params } of statements) await client.query(toDialect(sql, 'postgres'), params);
      return Promise.all(TABLES.map(async (t) => (await client.query(`SELECT * FROM ${t.name} ORDER BY id`)).rows));
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 60 }), async (operations) => {
          const compiler = new OperationCompiler(keyOf);
          await reset();
          const one = await run(operations.map((op) => compiler.compile(op)));
          await reset();
          const planned = await run(new StatementBatcher(new OperationCompiler(keyOf), keyOf).plan(operations));
          assert.deepEqual(planned, one);
        }),
        { numRuns: 60 },
      );
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
