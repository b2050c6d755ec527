import { assertIdentifier, isLookup, type ColumnValue, type RowOperation, type SqlScalar } from '../projection.js';
import type { CompiledStatement, OperationCompiler } from './sql-compiler.js';

/** Rows per multi-row INSERT; smaller remainders use 32, 16, … 1, so each shape has at most 7 statement texts. */
export const MAX_ROWS_PER_STATEMENT = 64;

/** What a pending group's lookups read: per table, the primary keys read, or the whole table ('all'). */
type Reads = Map<string, Set<string> | 'all'>;

interface InsertGroup {
  table: string;
  /** Single-row SQL of the group's shape (all rows have it). */
  shape: string;
  reads: Reads;
  keys: Set<string>;
  rows: SqlScalar[][];
}

/**
 * Turns one transaction's ordered row operations into fewer statements: inserts of the same
 * shape into one table become multi-row `INSERT … VALUES (…), (…) ON CONFLICT` (fewer statement
 * executions on SQLite, fewer round trips on PostgreSQL), with the outcome of applying the
 * operations one by one, in order:
 * - writes to one table keep their order (one pending group per table; a different shape or a
 *   primary key already in the group flushes it first, so PostgreSQL never sees one row twice);
 * - a lookup sees exactly the rows written before its operation: a pending group holding the row
 *   it reads (by primary key; any row, for other lookups) is flushed before it is queued, and it
 *   is flushed before any later write to a row it reads;
 * - updates, deletes and inserts whose key is a lookup run in place, after those flushes.
 */
export class StatementBatcher {
  private readonly multiRowSql = new Map<string, string>();

  constructor(
    private readonly compiler: OperationCompiler,
    private readonly primaryKeyOf: (table: string) => readonly string[],
  ) {}

  plan(operations: Iterable<RowOperation>): CompiledStatement[] {
    const out: CompiledStatement[] = [];
    /** Pending groups by shape (single-row SQL); a table may have several, with disjoint keys. */
    const groups = new Map<string, InsertGroup>();
    const byTable = new Map<string, Set<InsertGroup>>();
    /** Pending groups whose lookups read a table, by that table. */
    const readers = new Map<string, Set<InsertGroup>>();
    const flush = (group: InsertGroup): void => {
      if (!groups.delete(group.shape)) return;
      byTable.get(group.table)!.delete(group);
      for (const table of group.reads.keys()) readers.get(table)!.delete(group);
      this.emit(group, out);
    };
    for (const op of operations) {
      const key = op.op === 'upsert' || op.op === 'insertIfAbsent' ? this.plainKey(op.table, op.row) : undefined;
      // Pending lookups that read the row this operation writes came first: they run before it.
      const readingThis = readers.get(op.table);
      if (readingThis !== undefined && readingThis.size > 0) {
        for (const group of [...readingThis]) {
          const read = group.reads.get(op.table)!;
          if (read === 'all' || key === undefined || read.has(key)) flush(group);
        }
      }
      // Earlier writes to the same row (or, for an update or delete, the same table) run before it.
      const sameTable = byTable.get(op.table);
      if (sameTable !== undefined && sameTable.size > 0) {
        for (const group of [...sameTable]) if (key === undefined || group.keys.has(key)) flush(group);
      }
      // Rows this operation's lookups read must be written first.
      const reads = this.lookupReads(op);
      if (reads !== undefined) {
        for (const [table, wanted] of reads) {
          const writers = byTable.get(table);
          if (writers === undefined) continue;
          for (const group of [...writers]) {
            if (wanted === 'all') flush(group);
            else for (const k of wanted) if (group.keys.has(k)) { flush(group); break; }
          }
        }
      }
      const compiled = this.compiler.compile(op);
      if (key === undefined) {
        out.push(compiled);
        continue;
      }
      let group = groups.get(compiled.sql);
      if (!group) {
        group = { table: op.table, shape: compiled.sql, reads: new Map(), keys: new Set(), rows: [] };
        groups.set(compiled.sql, group);
        let set = byTable.get(op.table);
        if (!set) byTable.set(op.table, (set = new Set()));
        set.add(group);
      }
      if (reads !== undefined) {
        for (const [table, read] of reads) {
          const known = group.reads.get(table);
          if (read === 'all' || known === 'all') group.reads.set(table, 'all');
          else if (known === undefined) group.reads.set(table, new Set(read));
          else for (const k of read) known.add(k);
          let set = readers.get(table);
          if (!set) readers.set(table, (set = new Set()));
          set.add(group);
        }
      }
      group.keys.add(key);
      group.rows.push(compiled.params);
    }
    for (const group of [...groups.values()]) flush(group);
    return out;
  }

  /** The rows an operation's lookups read: by primary key when the lookup names exactly the key, else the whole table. */
  private lookupReads(op: RowOperation): Reads | undefined {
    let reads: Reads | undefined;
    const values = op.op === 'update' ? op.set : op.op === 'delete' ? undefined : op.row;
    for (const column in values) {
      const value = values[column]!;
      if (!isLookup(value)) continue;
      reads ??= new Map();
      const { table, where } = value.lookup;
      const key = this.plainKey(table, where, true);
      const known = reads.get(table);
      if (key === undefined || known === 'all') reads.set(table, 'all');
      else if (known === undefined) reads.set(table, new Set([key]));
      else known.add(key);
    }
    return reads;
  }

  private emit(group: InsertGroup, out: CompiledStatement[]): void {
    let i = 0;
    while (i < group.rows.length) {
      const left = group.rows.length - i;
      let n = MAX_ROWS_PER_STATEMENT;
      while (n > left) n >>= 1;
      const params: SqlScalar[] = [];
      for (let r = i; r < i + n; r++) for (const p of group.rows[r]!) params.push(p);
      out.push({ sql: n === 1 ? group.shape : this.multiRow(group.shape, n), params });
      i += n;
    }
  }

  /** `INSERT INTO t (…) VALUES (tuple) ON CONFLICT …` → the same with `n` tuples. */
  private multiRow(shape: string, n: number): string {
    const cacheKey = `${n}\u0000${shape}`;
    let sql = this.multiRowSql.get(cacheKey);
    if (sql === undefined) {
      const start = shape.indexOf(' VALUES (') + ' VALUES '.length;
      const end = tupleEnd(shape, start);
      const tuple = shape.slice(start, end);
      sql = `${shape.slice(0, start)}${new Array<string>(n).fill(tuple).join(', ')}${shape.slice(end)}`;
      this.multiRowSql.set(cacheKey, sql);
    }
    return sql;
  }

  /**
   * Primary-key identity when every key column is a plain value (undefined keeps the operation
   * ungrouped); with `exact`, also only when the columns are exactly the key and none is null.
   */
  private plainKey(table: string, row: Record<string, ColumnValue>, exact = false): string | undefined {
    const columns = this.primaryKeyOf(assertIdentifier(table, 'table'));
    if (exact && Object.keys(row).length !== columns.length) return undefined;
    let key = '';
    for (const column of columns) {
      const value = row[column];
      if (value === undefined || isLookup(value) || (exact && value === null)) return undefined;
      key += `${value === null ? '\u0001' : typeof value === 'number' ? `n${value}` : `s${value}`}\u0000`;
    }
    return key;
  }
}

/** Index just past the parenthesised tuple that starts at `start` (our SQL has no parentheses inside literals: values are parameters). */
function tupleEnd(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`no VALUES tuple in ${sql}`);
}
