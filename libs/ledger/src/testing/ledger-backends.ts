import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresEventStore } from '../adapters/postgres-event-store.adapter.js';
import { SqliteEventStore } from '../adapters/sqlite-event-store.adapter.js';
import type { LedgerStore } from '../event-store.port.js';
import { TEST_POSTGRES_URL } from './postgres-test-url.js';

/** A stored row with every column, as a tamperer sees it. */
export interface RawEventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  canonical: string;
  hash: string;
  prev_hash: string;
}

/**
 * Direct access to the tables behind a store, bypassing the append-only triggers: what an
 * attacker with database access can do. Used only by tamper and crash tests.
 */
export interface RawLedgerAccess {
  rows(positions: number[]): Promise<RawEventRow[]>;
  deleteRows(positions: number[]): Promise<void>;
  insertRows(rows: RawEventRow[]): Promise<void>;
  checkpointNotes(): Promise<Array<{ id: number; note: string }>>;
  setCheckpointNote(id: number, note: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestBackend {
  name: string;
  /** A fresh empty store plus raw access to its tables; `dispose` removes everything. */
  create(): Promise<{ store: LedgerStore; raw: RawLedgerAccess; url: string; dispose(): Promise<void> }>;
}

const COLUMNS = 'global_position, event_id, stream_id, stream_revision, type, canonical, hash, prev_hash';

export const sqliteBackend: TestBackend = {
  name: 'SQLite file',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'radledger-raw-'));
    const path = join(dir, 'ledger.db');
    const store = new SqliteEventStore({ path, pollMs: 50 });
    const db = new Database(path);
    db.pragma('busy_timeout = 5000');
    db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    const raw: RawLedgerAccess = {
      async rows(positions) {
        return db
          .prepare(`SELECT ${COLUMNS} FROM events WHERE global_position IN (SELECT value FROM json_each(?)) ORDER BY global_position`)
          .all(JSON.stringify(positions)) as RawEventRow[];
      },
      async deleteRows(positions) {
        db.prepare('DELETE FROM events WHERE global_position IN (SELECT value FROM json_each(?))').run(JSON.stringify(positions));
      },
      async insertRows(rows) {
        const insert = db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
        db.transaction(() => {
          for (const r of rows) insert.run(r.global_position, r.event_id, r.stream_id, r.stream_revision, r.type, r.canonical, r.hash, r.prev_hash);
        })();
      },
      async checkpointNotes() {
        return db.prepare('SELECT id, note FROM checkpoints ORDER BY id').all() as Array<{ id: number; note: string }>;
      },
      async setCheckpointNote(id, note) {
        db.prepare('UPDATE checkpoints SET note = ? WHERE id = ?').run(note, id);
      },
      async close() {
        db.close();
      },
    };
    return {
      store,
      raw,
      url: `sqlite:${path}`,
      dispose: async () => {
        await store.close();
        await raw.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export function freshSchemaName(): string {
  return `ledger_test_${randomBytes(6).toString('hex')}`;
}

export const postgresBackend: TestBackend = {
  name: 'PostgreSQL',
  async create() {
    const schema = freshSchemaName();
    const store = await PostgresEventStore.open({ connectionString: TEST_POSTGRES_URL, schema, pollMs: 50 });
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query(`DROP TRIGGER events_no_change ON "${schema}".events; DROP TRIGGER events_no_truncate ON "${schema}".events`);
    const t = `"${schema}".events`;
    const num = (r: Record<string, unknown>): RawEventRow =>
      ({ ...r, global_position: Number(r['global_position']), stream_revision: Number(r['stream_revision']) }) as RawEventRow;
    const raw: RawLedgerAccess = {
      async rows(positions) {
        const { rows } = await client.query(`SELECT ${COLUMNS} FROM ${t} WHERE global_position = ANY($1) ORDER BY global_position`, [positions]);
        return rows.map(num);
      },
      async deleteRows(positions) {
        await client.query(`DELETE FROM ${t} WHERE global_position = ANY($1)`, [positions]);
      },
      async insertRows(rows) {
        for (const r of rows) {
          await client.query(`INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
            r.global_position, r.event_id, r.stream_id, r.stream_revision, r.type, r.canonical, r.hash, r.prev_hash,
          ]);
        }
      },
      async checkpointNotes() {
        const { rows } = await client.query(`SELECT id, note FROM "${schema}".checkpoints ORDER BY id`);
        return rows.map((r) => ({ id: Number(r.id), note: r.note as string }));
      },
      async setCheckpointNote(id, note) {
        await client.query(`UPDATE "${schema}".checkpoints SET note = $1 WHERE id = $2`, [note, id]);
      },
      async close() {
        await client.end();
      },
    };
    return {
      store,
      raw,
      url: `${TEST_POSTGRES_URL}?schema=${schema}`,
      dispose: async () => {
        await store.close();
        await raw.close();
        await dropSchema(schema);
      },
    };
  },
};
