import { isUtf8 } from 'node:buffer';
import Database from 'better-sqlite3';
import { verifyChainChunk, type ChainChunk, type ChainChunkResult } from '../core/chain-chunk.js';

/**
 * A run of a SQLite ledger that a verification thread reads for itself: positions
 * [start, start + count) of the file, so the rows are read, hashed and checked on as many
 * threads as verify, and the stored text is never decoded into a JS string and encoded
 * back (the bytes hashed are the bytes stored).
 */
export interface SqliteChainRun {
  sqlitePath: string;
  /** Global position of the first event; runs are aligned subtrees (see ChainChunk.start). */
  start: number;
  /** Events the run should hold (the ledger's size was read before the run was asked for). */
  count: number;
  checkCanonical: boolean;
  /** Checkpoint sizes inside the run (ChainChunk.sizes). */
  sizes: number[];
}

type Row = [position: number, text: Buffer, hash: string];

/**
 * Reads the run and checks it as verifyChainChunk does a run of pushed rows, with the same
 * verdict: a row whose position column is not its place is a gap; so is a run that ends
 * early (a deleted row at its end). Bytes that are not UTF-8 are checked as the text a
 * string reader would have got (invalid sequences replaced), so a tampered byte fails the
 * same way on every path.
 */
export function verifySqliteChainRun(run: SqliteChainRun): ChainChunkResult & { lastHash?: string } {
  const db = new Database(run.sqlitePath, { readonly: true, fileMustExist: true });
  let rows: Row[];
  try {
    rows = db
      .prepare('SELECT global_position, CAST(canonical AS BLOB), hash FROM events WHERE global_position >= ? AND global_position < ? ORDER BY global_position')
      .raw()
      .all(run.start, run.start + run.count) as Row[];
  } finally {
    db.close();
  }
  let total = rows.length;
  for (const [, text] of rows) total += text.length;
  const bytes = Buffer.allocUnsafeSlow(total);
  const offsets = new Uint32Array(rows.length + 1);
  const hashes: string[] = [];
  const outside: Array<[number, number]> = [];
  let used = 0;
  rows.forEach(([position, stored, hash], i) => {
    const text = isUtf8(stored) ? stored : Buffer.from(stored.toString('utf8'), 'utf8');
    bytes[used] = 0x00; // RFC 9162 §2.1.1 leaf prefix
    used += 1 + text.copy(bytes, used + 1);
    offsets[i + 1] = used;
    hashes.push(hash);
    if (position !== run.start + i) outside.push([i, position]);
  });
  const chunk: ChainChunk = {
    start: run.start,
    bytes: bytes.subarray(0, used),
    offsets,
    hashes,
    outside,
    illFormed: [],
    checkCanonical: run.checkCanonical,
    sizes: run.sizes,
  };
  const result: ChainChunkResult & { lastHash?: string } = verifyChainChunk(chunk);
  if (!result.failure && rows.length < run.count) {
    const position = run.start + rows.length;
    result.failure = { kind: 'gap', position, message: `event at position ${position} is missing` };
  }
  if (result.verified > 0) result.lastHash = hashes[result.verified - 1];
  return result;
}
