import { assertIdentifier, isLookup, type ColumnValue, type RowOperation, type SqlScalar } from '../projection.js';
import type { CompiledStatement, OperationCompiler } from './sql-compiler.js';

/** Rows per multi-row INSERT; smaller remainders use 32, 16, … 1, so each shape has at most 7 statement texts. */
export const MAX_ROWS_PER_STATEMENT = 64;

/** What an operation's lookups read: per table, the primary keys read, or the whole table ('all'). */
type Reads = Map<string, Set<string> | 'all'>;

interface InsertGroup {
  /** Single-row SQL of the group's shape (all rows have it). */
  shape: string;
  rows: SqlScalar[][];
}

/** One statement slot of a level: a multi-row insert group, or one operation as compiled. */
type Slot = InsertGroup | CompiledStatement;

/** Per table: the last level each key was written and read at, and table-wide marks. */
interface TableLevels {
  written: Map<string, number>;
  read: Map<string, number>;
  /** Highest level of any write (a whole-table reader runs after it). */
  anyWrite: number;
  /** Highest level of any key read (a table-wide write runs after it). */
  anyRead: number;
  /** Highest level of a whole-table read (lookup by a non-key column). */
  tableRead: number;
  /** Level of the last table-wide write (update, delete, insert whose key is a lookup). */
  barrier: number;
}

/**
 * Turns one transaction's ordered row operations into few statements: inserts of the same
 * shape become multi-row `INSERT … VALUES (…), (…) ON CONFLICT` (on PostgreSQL one round trip
 * per statement instead of per row), with the outcome of applying the operations one by one,
 * in order. Each operation gets a level, the lowest one after everything it depends on:
 * - a lookup runs at a higher level than the writes of the rows it reads (by primary key, or
 *   any write to the table for other lookups), and every later write to those rows runs at a
 *   higher level than the lookup (so it sees neither less nor more than in order);
 * - writes to one row keep their order; updates, deletes and inserts whose key is a lookup
 *   order the whole table;
 * - an insertIfAbsent of a row already written earlier in the batch (an agent mentioned by
 *   many events) is a no-op and is dropped.
 * Levels run in order, so no statement reads a row written by the same statement and none holds
 * one key twice (PostgreSQL refuses that). A batch needs as many levels as its longest chain of
 * lookups (a handful), not one per event.
 */
export class StatementBatcher {
  private readonly multiRowSql = new Map<string, string>();

  constructor(
    private readonly compiler: OperationCompiler,
    private readonly primaryKeyOf: (table: string) => readonly string[],
  ) {}

  plan(operations: Iterable<RowOperation>): CompiledStatement[] {
    const tables = new Map<string, TableLevels>();
    const of = (table: string): TableLevels => {
      let t = tables.get(table);
      if (!t) tables.set(table, (t = { written: new Map(), read: new Map(), anyWrite: -1, anyRead: -1, tableRead: -1, barrier: -1 }));
      return t;
    };
    /** Slots per level, in first-use order; insert groups by shape within a level. */
    const levels: Array<{ slots: Slot[]; groups: Map<string, InsertGroup> }> = [];
    for (const op of operations) {
      const target = of(op.table);
      const key = op.op === 'upsert' || op.op === 'insertIfAbsent' ? this.plainKey(op.table, op.row) : undefined;
      // The row exists already (written earlier in this batch, and no delete since): nothing to do.
      if (op.op === 'insertIfAbsent' && key !== undefined && target.written.has(key)) continue;
      const reads = this.lookupReads(op);
      let level = Math.max(0, target.barrier + 1, target.tableRead + 1);
      if (key !== undefined) {
        level = Math.max(level, (target.written.get(key) ?? -1) + 1, (target.read.get(key) ?? -1) + 1);
      } else {
        level = Math.max(level, target.anyWrite + 1, target.anyRead + 1);
      }
      if (reads !== undefined) {
        for (const [table, wanted] of reads) {
          const source = of(table);
          level = Math.max(level, source.barrier + 1);
          if (wanted === 'all') level = Math.max(level, source.anyWrite + 1);
          else for (const k of wanted) level = Math.max(level, (source.written.get(k) ?? -1) + 1);
        }
        for (const [table, wanted] of reads) {
          const source = of(table);
          if (wanted === 'all') source.tableRead = Math.max(source.tableRead, level);
          else for (const k of wanted) source.read.set(k, Math.max(source.read.get(k) ?? -1, level));
          source.anyRead = Math.max(source.anyRead, level);
        }
      }
      target.anyWrite = Math.max(target.anyWrite, level);
      if (key !== undefined) target.written.set(key, level);
      else {
        target.barrier = level;
        // A delete may remove rows this batch wrote: a later insertIfAbsent of them is not a no-op.
        if (op.op === 'delete') target.written.clear();
      }
      while (levels.length <= level) levels.push({ slots: [], groups: new Map() });
      const slot = levels[level]!;
      const compiled = this.compiler.compile(op);
      if (key === undefined) {
        slot.slots.push(compiled);
        continue;
      }
      let group = slot.groups.get(compiled.sql);
      if (!group) {
        group = { shape: compiled.sql, rows: [] };
        slot.groups.set(compiled.sql, group);
        slot.slots.push(group);
      }
      group.rows.push(compiled.params);
    }
    const out: CompiledStatement[] = [];
    for (const { slots } of levels) {
      for (const slot of slots) {
        if ('shape' in slot) this.emit(slot, out);
        else out.push(slot);
      }
    }
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
