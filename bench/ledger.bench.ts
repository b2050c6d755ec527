// Ledger appends and verification against their raw limits, measured in the same run:
//  - appends/s (single awaited appends, concurrent single appends = group commit, 100-event
//    batches) on SQLite (WAL, synchronous=FULL) and PostgreSQL, vs plain INSERTs of the same
//    rows into the same kind of table with the same sync settings;
//  - full-chain verify rate vs raw node:crypto SHA-256 over the same canonical bytes.
// Run: npm run bench -- ledger   (needs PostgreSQL at 127.0.0.1:5432; skipped if down)
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  LedgerService,
  PostgresEventStore,
  SqliteEventStore,
  verifyChain,
  type LedgerStore,
  type NewEvent,
  type StoredEventRow,
} from '@radledger/ledger';

const PG_URL = process.env['RADLEDGER_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const SINGLE = 300;
const CONCURRENT = 3000;
const IN_FLIGHT = 200;
const BATCH = 100;
const BATCHES = 40;
const VERIFY_EVENTS = 20_000;

/** A ~1 KB event once canonicalised and wrapped in the envelope. */
function benchEvent(n: number): NewEvent {
  return {
    eventId: uuidv7(),
    type: 'FeaturesComputed',
    schemaVersion: 1,
    data: {
      extractor: 'radledger-radiomics 0.1.0',
      imageSha256: 'a1'.repeat(32),
      maskSha256: 'b2'.repeat(32),
      settings: { binWidth: 25, interpolation: 'bspline', resampling: [1, 1, 1] },
      values: { 'Fstat.mean': 412.7 + n, 'Morph.vol': 15234.5, 'GLCM.contrast': 0.8125 },
      note: 'n'.repeat(380),
    },
    meta: {
      actor: 'user-42',
      role: 'pipeline',
      correlationId: uuidv7(),
      causationId: uuidv7(),
      recordedAt: '2026-11-25T12:00:00.000Z',
      client: 'radledger-bench/0.1.0',
    },
  };
}

function rate(count: number, startedMs: number): number {
  return count / ((performance.now() - startedMs) / 1000);
}

function fmt(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function line(label: string, value: number, unit: string, base?: { label: string; value: number }): void {
  const ratio = base ? `  = ${(value / base.value).toFixed(2)} x ${base.label}` : '';
  console.log(`  ${label.padEnd(44)} ${fmt(value).padStart(10)} ${unit}${ratio}`);
}

interface AppendRates {
  single: number;
  concurrent: number;
  batched: number;
}

async function measureAppends(store: LedgerStore): Promise<AppendRates> {
  let n = 0;
  let t = performance.now();
  for (let i = 0; i < SINGLE; i += 1) await store.append(`single-${i % 50}`, 'any', [benchEvent(n++)]);
  const single = rate(SINGLE, t);

  t = performance.now();
  for (let i = 0; i < CONCURRENT; i += IN_FLIGHT) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, j) => store.append(`concurrent-${(i + j) % 500}`, 'any', [benchEvent(n++)])));
  }
  const concurrent = rate(CONCURRENT, t);

  t = performance.now();
  for (let i = 0; i < BATCHES; i += 1) {
    await store.append(`batch-${i}`, 'no-stream', Array.from({ length: BATCH }, () => benchEvent(n++)));
  }
  const batched = rate(BATCH * BATCHES, t);
  return { single, concurrent, batched };
}

const DDL_COLUMNS = `
  event_id        TEXT NOT NULL UNIQUE,
  stream_id       TEXT NOT NULL,
  stream_revision BIGINT NOT NULL,
  type            TEXT NOT NULL,
  canonical       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  UNIQUE (stream_id, stream_revision)`;

type Row = [number, string, string, number, string, string, string, string];

function sqliteRows(path: string, count: number): Row[] {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare('SELECT global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash FROM events ORDER BY global_position LIMIT ?')
    .raw()
    .all(count) as Row[];
  db.close();
  return rows;
}

/** Plain INSERTs of the same rows: one row per transaction, and BATCH rows per transaction. */
function rawSqliteInserts(dir: string, rows: Row[]): { single: number; batched: number } {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (global_position INTEGER PRIMARY KEY, ${DDL_COLUMNS})`);
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const singleRows = rows.slice(0, SINGLE);
  let t = performance.now();
  for (const row of singleRows) insert.run(...row);
  const single = rate(singleRows.length, t);
  const batchRows = rows.slice(SINGLE, SINGLE + BATCH * BATCHES);
  const insertMany = db.transaction((chunk: Row[]) => {
    for (const row of chunk) insert.run(...row);
  });
  t = performance.now();
  for (let i = 0; i < batchRows.length; i += BATCH) insertMany(batchRows.slice(i, i + BATCH));
  const batched = rate(batchRows.length, t);
  db.close();
  return { single, batched };
}

async function rawPostgresInserts(client: pg.Client, schema: string, rows: Row[]): Promise<{ single: number; batched: number }> {
  await client.query(`CREATE TABLE "${schema}".raw_events (global_position BIGINT PRIMARY KEY, ${DDL_COLUMNS})`);
  const insertOne = `INSERT INTO "${schema}".raw_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
  const singleRows = rows.slice(0, SINGLE);
  let t = performance.now();
  for (const row of singleRows) await client.query(insertOne, row);
  const single = rate(singleRows.length, t);
  const batchRows = rows.slice(SINGLE, SINGLE + BATCH * BATCHES);
  t = performance.now();
  for (let i = 0; i < batchRows.length; i += BATCH) {
    const chunk = batchRows.slice(i, i + BATCH);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "${schema}".raw_events SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [0, 1, 2, 3, 4, 5, 6, 7].map((c) => chunk.map((row) => row[c])),
    );
    await client.query('COMMIT');
  }
  const batched = rate(batchRows.length, t);
  return { single, batched };
}

function printAppends(name: string, ledger: AppendRates, raw: { single: number; batched: number }): void {
  console.log(`\n${name}`);
  line('raw INSERT, 1 row per commit', raw.single, 'rows/s');
  line('ledger append, 1 event, awaited one by one', ledger.single, 'events/s', { label: 'raw 1-row commits', value: raw.single });
  line(`ledger append, 1 event, ${IN_FLIGHT} in flight (group commit)`, ledger.concurrent, 'events/s', {
    label: 'raw 1-row commits',
    value: raw.single,
  });
  line(`raw INSERT, ${BATCH} rows per commit`, raw.batched, 'rows/s');
  line(`ledger append, ${BATCH}-event batches`, ledger.batched, 'events/s', { label: `raw ${BATCH}-row commits (target >= 0.50)`, value: raw.batched });
}

async function benchSqlite(dir: string): Promise<void> {
  const path = join(dir, 'ledger.db');
  const store = new SqliteEventStore({ path });
  const ledger = await measureAppends(store);
  await store.close();
  const rows = sqliteRows(path, SINGLE + BATCH * BATCHES);
  const raw = rawSqliteInserts(dir, rows);
  printAppends('SQLite (WAL, synchronous=FULL)', ledger, raw);
}

async function benchPostgres(): Promise<void> {
  const schema = `ledger_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    console.log(`\nPostgreSQL: skipped (${(error as Error).message})`);
    return;
  }
  try {
    const { rows: sync } = await client.query('SHOW synchronous_commit');
    const store = await PostgresEventStore.open({ connectionString: PG_URL, schema });
    const ledger = await measureAppends(store);
    await store.close();
    const { rows } = await client.query(
      `SELECT global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash FROM "${schema}".events ORDER BY global_position LIMIT $1`,
      [SINGLE + BATCH * BATCHES],
    );
    const raw = await rawPostgresInserts(
      client,
      schema,
      rows.map((r) => [Number(r.global_position), r.event_id, r.stream_id, Number(r.stream_revision), r.type, r.canonical, r.hash, r.prev_hash]),
    );
    printAppends(`PostgreSQL (synchronous_commit=${sync[0]?.synchronous_commit})`, ledger, raw);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end();
  }
}

async function benchVerify(dir: string): Promise<void> {
  const path = join(dir, 'verify.db');
  const store = new SqliteEventStore({ path });
  for (let i = 0; i < VERIFY_EVENTS; i += BATCH) {
    await store.append(`verify-${i % 997}`, 'any', Array.from({ length: BATCH }, (_, j) => benchEvent(i + j)));
  }
  const rows: StoredEventRow[] = await store.readStoredRows(0, VERIFY_EVENTS);
  const bytes = rows.reduce((sum, row) => sum + Buffer.byteLength(row.canonical), 0);
  console.log(`\nFull-chain verify: ${rows.length.toLocaleString('en-US')} events, ${Math.round(bytes / rows.length)} bytes of canonical JSON each`);

  // Warm up both paths once so JIT state is comparable.
  for (const row of rows.slice(0, 2000)) createHash('sha256').update(row.canonical).digest();
  await verifyChain(rows.slice(0, 2000), { checkCanonical: false });

  let t = performance.now();
  for (const row of rows) createHash('sha256').update(row.canonical).digest('hex');
  const rawHash = rate(rows.length, t);
  line('raw SHA-256 (node:crypto) over the same bytes', rawHash, 'events/s');
  const base = { label: 'raw SHA-256 (target >= 0.70)', value: rawHash };

  t = performance.now();
  await verifyChain(rows, { checkCanonical: false });
  line('core verifyChain, in memory, hash+link+Merkle', rate(rows.length, t), 'events/s', base);
  t = performance.now();
  await verifyChain(rows);
  line('core verifyChain, in memory, + RFC 8785 check', rate(rows.length, t), 'events/s', base);

  const service = new LedgerService(store);
  t = performance.now();
  await service.verifyLedger({ checkCanonical: false });
  line('LedgerService.verifyLedger from SQLite', rate(rows.length, t), 'events/s', base);
  t = performance.now();
  await service.verifyLedger();
  line('LedgerService.verifyLedger from SQLite + RFC 8785', rate(rows.length, t), 'events/s', base);
  await store.close();
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-bench-'));
  const started = performance.now();
  console.log(`Ledger bench: ~1 KB events; single=${SINGLE}, concurrent=${CONCURRENT}, batches=${BATCHES}x${BATCH}`);
  try {
    await benchSqlite(dir);
    await benchPostgres();
    await benchVerify(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n(ledger bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
