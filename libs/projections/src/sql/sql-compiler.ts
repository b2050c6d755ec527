import { assertIdentifier, isLookup, type ColumnLookup, type ColumnValue, type RowOperation, type SqlScalar, type TableSchema } from '../projection.js';

export type SqlDialect = 'sqlite' | 'postgres';

export interface CompiledStatement {
  /** SQL with `?` placeholders (converted to `$n` for PostgreSQL by `toDialect`). */
  sql: string;
  params: SqlScalar[];
}

/** The checkpoint table: one row per projection, written in the same transaction as its rows. */
export const CHECKPOINT_TABLE = 'rm_projection_checkpoints';

/** `?` → `$1, $2, …` for node-postgres; our SQL never has `?` inside literals. */
export function toDialect(sql: string, dialect: SqlDialect): string {
  if (dialect === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function columnType(type: TableSchema['columns'][string], dialect: SqlDialect): string {
  switch (type) {
    case 'text':
      return 'TEXT';
    case 'integer':
      return dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
    case 'real':
      return dialect === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  }
}

export function createTableSql(table: TableSchema, dialect: SqlDialect): string[] {
  const name = assertIdentifier(table.name, 'table');
  const columns = Object.entries(table.columns).map(
    ([column, type]) => `${assertIdentifier(column, 'column')} ${columnType(type, dialect)}`,
  );
  for (const key of table.primaryKey) if (!(key in table.columns)) throw new Error(`primary key ${key} is not a column of ${name}`);
  // SQLite: a table whose key is not a single INTEGER (the rowid) is stored clustered by its key
  // (WITHOUT ROWID), so each row costs one B-tree write for table and key instead of two.
  const rowid = table.primaryKey.length === 1 && table.columns[table.primaryKey[0]!] === 'integer';
  const storage = dialect === 'sqlite' && !rowid ? ' WITHOUT ROWID' : '';
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${name} (${columns.join(', ')}, PRIMARY KEY (${table.primaryKey.join(', ')}))${storage}`,
  ];
  for (const index of table.indexes ?? []) {
    for (const column of index) if (!(column in table.columns)) throw new Error(`index column ${column} is not a column of ${name}`);
    statements.push(`CREATE INDEX IF NOT EXISTS ${name}__${index.join('__')} ON ${name} (${index.join(', ')})`);
  }
  return statements;
}

export function dropTableSql(table: TableSchema): string {
  return `DROP TABLE IF EXISTS ${assertIdentifier(table.name, 'table')}`;
}

export function checkpointTableSql(dialect: SqlDialect): string {
  return `CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (projection TEXT PRIMARY KEY, version ${columnType('integer', dialect)} NOT NULL, last_position ${columnType('integer', dialect)} NOT NULL)`;
}

export function upsertCheckpointSql(): string {
  return `INSERT INTO ${CHECKPOINT_TABLE} (projection, version, last_position) VALUES (?, ?, ?) ON CONFLICT (projection) DO UPDATE SET version = excluded.version, last_position = excluded.last_position`;
}

function valueSql(value: ColumnValue, params: SqlScalar[]): string {
  if (!isLookup(value)) {
    params.push(value);
    return '?';
  }
  const { table, where, column } = value.lookup;
  const conditions = whereSql(where, params);
  const select = `(SELECT ${assertIdentifier(column, 'column')} FROM ${assertIdentifier(table, 'table')} WHERE ${conditions} LIMIT 1)`;
  if (value.fallback === undefined || value.fallback === null) return select;
  params.push(value.fallback);
  return `COALESCE(${select}, ?)`;
}

function whereSql(where: Record<string, SqlScalar>, params: SqlScalar[]): string {
  const entries = Object.entries(where);
  if (entries.length === 0) throw new Error('a row operation needs at least one where column');
  return entries
    .map(([column, value]) => {
      assertIdentifier(column, 'column');
      if (value === null) return `${column} IS NULL`;
      params.push(value);
      return `${column} = ?`;
    })
    .join(' AND ');
}

/**
 * One operation as parameterised SQL. Upserts use `INSERT … ON CONFLICT (pk) DO UPDATE`,
 * which SQLite (≥ 3.24) and PostgreSQL (≥ 9.5) spell the same way.
 */
export function compileOperation(op: RowOperation, primaryKeyOf: (table: string) => readonly string[]): CompiledStatement {
  const table = assertIdentifier(op.table, 'table');
  const params: SqlScalar[] = [];
  switch (op.op) {
    case 'upsert':
    case 'insertIfAbsent': {
      const columns = Object.keys(op.row).map((c) => assertIdentifier(c, 'column'));
      const values = columns.map((c) => valueSql(op.row[c] as ColumnValue, params));
      const key = primaryKeyOf(table);
      const updates = columns.filter((c) => !key.includes(c));
      const conflict =
        op.op === 'insertIfAbsent' || updates.length === 0
          ? `ON CONFLICT (${key.join(', ')}) DO NOTHING`
          : `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}`;
      return { sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')}) ${conflict}`, params };
    }
    case 'update': {
      const sets = Object.entries(op.set).map(([c, v]) => `${assertIdentifier(c, 'column')} = ${valueSql(v, params)}`);
      return { sql: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${whereSql(op.where, params)}`, params };
    }
    case 'delete':
      return { sql: `DELETE FROM ${table} WHERE ${whereSql(op.where, params)}`, params };
  }
}

/**
 * Compiles operations with a cache keyed by their shape (operation, table, columns and
 * lookup shapes): on the hot path only the parameters are collected and the SQL text is
 * built once per shape, which matters at tens of thousands of events per second.
 */
export class OperationCompiler {
  private readonly cache = new Map<string, string>();

  constructor(private readonly primaryKeyOf: (table: string) => readonly string[]) {}

  compile(op: RowOperation): CompiledStatement {
    const params: SqlScalar[] = [];
    let shape = op.op + '|' + op.table + '|';
    switch (op.op) {
      case 'upsert':
      case 'insertIfAbsent':
        shape += columnsShape(op.row, params);
        break;
      case 'update':
        shape += columnsShape(op.set, params) + '|' + whereShape(op.where, params);
        break;
      case 'delete':
        shape += whereShape(op.where, params);
        break;
    }
    let sql = this.cache.get(shape);
    if (sql === undefined) {
      sql = compileOperation(op, this.primaryKeyOf).sql;
      this.cache.set(shape, sql);
    }
    return { sql, params };
  }
}

/** The columns of a row (or of an update's set) into the shape; plain values into `params`. */
function columnsShape(row: Record<string, ColumnValue>, params: SqlScalar[]): string {
  let shape = '';
  for (const column in row) {
    const value = row[column] as ColumnValue;
    shape += column + ',';
    if (value === null || typeof value !== 'object') params.push(value);
    else shape += lookupShape(value, params);
  }
  return shape;
}

/** Shape of a lookup (its table, column, where columns and fallback presence); collects its parameters. */
function lookupShape(value: ColumnLookup, params: SqlScalar[]): string {
  let shape = `L(${value.lookup.table}.${value.lookup.column}`;
  const where = value.lookup.where;
  for (const column in where) {
    const v = where[column]!;
    if (v === null) shape += `,${column}~`;
    else {
      shape += `,${column}`;
      params.push(v);
    }
  }
  if (value.fallback === undefined || value.fallback === null) return `${shape})`;
  params.push(value.fallback);
  return `${shape})F`;
}

function whereShape(where: Record<string, SqlScalar>, params: SqlScalar[]): string {
  let shape = '';
  for (const column in where) {
    const v = where[column]!;
    if (v === null) shape += `${column}~,`;
    else {
      shape += `${column},`;
      params.push(v);
    }
  }
  return shape;
}
