import { isLookup, type ColumnValue, type Projection, type RowOperation, type SqlScalar, type TableSchema } from './projection.js';

export type Row = Record<string, SqlScalar>;

/**
 * Applies row operations to plain maps with the same meaning as the SQL stores: for
 * given(events).then(rows) tests of a projection without a database, and as the reference
 * model in property tests.
 */
export class InMemoryReadModel {
  private readonly tables = new Map<string, { schema: TableSchema; rows: Map<string, Row> }>();

  constructor(projections: readonly Projection[]) {
    for (const p of projections) for (const schema of p.tables) this.tables.set(schema.name, { schema, rows: new Map() });
  }

  /** Feeds events through the projections, like the runner does. */
  static given(projections: readonly Projection[], events: readonly Parameters<Projection['evolve']>[0][]): InMemoryReadModel {
    const model = new InMemoryReadModel(projections);
    for (const event of events) {
      for (const p of projections) if (p.canHandle(event.type)) model.applyAll(p.evolve(event));
    }
    return model;
  }

  private table(name: string): { schema: TableSchema; rows: Map<string, Row> } {
    const table = this.tables.get(name);
    if (!table) throw new Error(`unknown read-model table ${name}`);
    return table;
  }

  private resolve(value: ColumnValue): SqlScalar {
    if (!isLookup(value)) return value;
    const match = this.find(value.lookup.table, value.lookup.where)[0];
    const found = match?.[value.lookup.column] ?? null;
    return found === null ? (value.fallback ?? null) : found;
  }

  private find(table: string, where: Record<string, SqlScalar>): Row[] {
    return [...this.table(table).rows.values()].filter((row) =>
      Object.entries(where).every(([column, value]) => (value === null ? row[column] == null : row[column] === value)),
    );
  }

  applyAll(operations: readonly RowOperation[]): void {
    for (const operation of operations) this.apply(operation);
  }

  apply(operation: RowOperation): void {
    const table = this.table(operation.table);
    const keyOf = (row: Row): string => JSON.stringify(table.schema.primaryKey.map((k) => row[k] ?? null));
    switch (operation.op) {
      case 'upsert':
      case 'insertIfAbsent': {
        const resolved: Row = {};
        for (const [column, value] of Object.entries(operation.row)) resolved[column] = this.resolve(value);
        const key = keyOf(resolved);
        const existing = table.rows.get(key);
        if (!existing) {
          const row: Row = {};
          for (const column of Object.keys(table.schema.columns)) row[column] = resolved[column] ?? null;
          table.rows.set(key, row);
        } else if (operation.op === 'upsert') {
          Object.assign(existing, resolved);
        }
        return;
      }
      case 'update': {
        const matches = this.find(operation.table, operation.where);
        const resolved: Row = {};
        for (const [column, value] of Object.entries(operation.set)) resolved[column] = this.resolve(value);
        for (const row of matches) Object.assign(row, resolved);
        return;
      }
      case 'delete':
        for (const row of this.find(operation.table, operation.where)) table.rows.delete(keyOf(row));
        return;
    }
  }

  /** Rows of a table sorted by primary key: comparable with a SQL dump. */
  rows(table: string): Row[] {
    const t = this.table(table);
    return [...t.rows.values()].map((r) => ({ ...r })).sort((a, b) => compareKeys(t.schema.primaryKey, a, b));
  }
}

export function compareKeys(key: readonly string[], a: Row, b: Row): number {
  for (const column of key) {
    const x = a[column] ?? null;
    const y = b[column] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
