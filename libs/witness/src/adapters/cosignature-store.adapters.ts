import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgresSchema } from '@radledger/ledger';
import type { CosignatureRecord, CosignatureStore, TimestampRecord, WitnessAlarmRecord } from '../cosignature-store.port.js';
import { WitnessError } from '../core/witness.errors.js';

/** Three append-only tables beside the ledger's own; the ledger's tables are not touched. */
const TABLES = (id: string, prefix: string) => [
  `CREATE TABLE IF NOT EXISTS ${prefix}checkpoint_cosignatures (
     id ${id}, tree_size BIGINT NOT NULL, root_hash TEXT NOT NULL, note TEXT NOT NULL,
     witness TEXT NOT NULL, key_id BIGINT NOT NULL, line TEXT NOT NULL, cosigned_at BIGINT NOT NULL, received_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${prefix}checkpoint_timestamps (
     id ${id}, tree_size BIGINT NOT NULL, root_hash TEXT NOT NULL, note TEXT NOT NULL,
     token TEXT NOT NULL, nonce TEXT NOT NULL, tsa_url TEXT NOT NULL, received_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${prefix}witness_alarms (
     id ${id}, witness TEXT NOT NULL, url TEXT NOT NULL, tree_size BIGINT NOT NULL, root_hash TEXT NOT NULL,
     status INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)`,
];

type Row = Record<string, unknown>;
const cosignature = (r: Row): CosignatureRecord => ({
  treeSize: Number(r['tree_size']),
  rootHash: String(r['root_hash']),
  note: String(r['note']),
  witness: String(r['witness']),
  keyId: Number(r['key_id']),
  line: String(r['line']),
  cosignedAt: Number(r['cosigned_at']),
  receivedAt: String(r['received_at']),
});
const timestamp = (r: Row): TimestampRecord => ({
  treeSize: Number(r['tree_size']),
  rootHash: String(r['root_hash']),
  note: String(r['note']),
  token: String(r['token']),
  nonce: String(r['nonce']),
  tsaUrl: String(r['tsa_url']),
  receivedAt: String(r['received_at']),
});
const alarm = (r: Row): WitnessAlarmRecord => ({
  witness: String(r['witness']),
  url: String(r['url']),
  treeSize: Number(r['tree_size']),
  rootHash: String(r['root_hash']),
  status: Number(r['status']),
  reason: String(r['reason']),
  at: String(r['at']),
});

const SELECT = {
  cosignatures: 'SELECT tree_size, root_hash, note, witness, key_id, line, cosigned_at, received_at FROM %checkpoint_cosignatures ORDER BY id',
  timestamps: 'SELECT tree_size, root_hash, note, token, nonce, tsa_url, received_at FROM %checkpoint_timestamps ORDER BY id',
  alarms: 'SELECT witness, url, tree_size, root_hash, status, reason, at FROM %witness_alarms ORDER BY id',
};

/**
 * Cosignatures in the ledger's SQLite file, through a second connection (WAL allows it).
 * `readOnly`: for verifiers: never creates the file or the tables (a ledger without them has
 * no cosignatures).
 */
export class SqliteCosignatureStore implements CosignatureStore {
  private readonly db: Database.Database | undefined;

  constructor(readonly path: string, options: { readOnly?: boolean } = {}) {
    if (options.readOnly) {
      if (!existsSync(path)) throw new WitnessError('COSIGNATURE_STORE_INVALID', `SQLite store ${path} does not exist`);
      const db = new Database(path, { readonly: true, fileMustExist: true });
      const has = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint_cosignatures'").get() as { n: number };
      if (has.n === 0) db.close();
      else this.db = db;
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    for (const sql of TABLES('INTEGER PRIMARY KEY', '')) this.db.exec(sql);
  }

  private all(sql: string): Row[] {
    return this.db ? (this.db.prepare(sql.replace('%', '')).all() as Row[]) : [];
  }

  private insert(table: string, values: Record<string, unknown>): void {
    if (!this.db) throw new WitnessError('COSIGNATURE_STORE_INVALID', `the cosignature store ${this.path} was opened read-only`);
    const cols = Object.keys(values);
    this.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(values));
  }

  async addCosignature(r: CosignatureRecord): Promise<void> {
    this.insert('checkpoint_cosignatures', { tree_size: r.treeSize, root_hash: r.rootHash, note: r.note, witness: r.witness, key_id: r.keyId, line: r.line, cosigned_at: r.cosignedAt, received_at: r.receivedAt });
  }
  async listCosignatures(): Promise<CosignatureRecord[]> {
    return this.all(SELECT.cosignatures).map(cosignature);
  }
  async addTimestamp(r: TimestampRecord): Promise<void> {
    this.insert('checkpoint_timestamps', { tree_size: r.treeSize, root_hash: r.rootHash, note: r.note, token: r.token, nonce: r.nonce, tsa_url: r.tsaUrl, received_at: r.receivedAt });
  }
  async listTimestamps(): Promise<TimestampRecord[]> {
    return this.all(SELECT.timestamps).map(timestamp);
  }
  async addAlarm(r: WitnessAlarmRecord): Promise<void> {
    this.insert('witness_alarms', { witness: r.witness, url: r.url, tree_size: r.treeSize, root_hash: r.rootHash, status: r.status, reason: r.reason, at: r.at });
  }
  async listAlarms(): Promise<WitnessAlarmRecord[]> {
    return this.all(SELECT.alarms).map(alarm);
  }
  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
  }
}

/** Cosignatures in the ledger's PostgreSQL schema (`?schema=`, default `radledger`), own tables. */
export class PostgresCosignatureStore implements CosignatureStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly prefix: string,
  ) {}

  static async open(connectionString: string, schema: string): Promise<PostgresCosignatureStore> {
    const pool = new pg.Pool({ connectionString, max: 2, connectionTimeoutMillis: 5000 });
    pool.on('error', () => undefined);
    const prefix = `"${schema}".`;
    try {
      await migratePostgresSchema(pool, schema, async (client) => {
        for (const sql of TABLES('BIGSERIAL PRIMARY KEY', prefix)) await client.query(sql);
      });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new WitnessError('COSIGNATURE_STORE_INVALID', `cannot open the cosignature tables in schema ${schema}: ${(error as Error).message}`);
    }
    return new PostgresCosignatureStore(pool, prefix);
  }

  private async all(sql: string): Promise<Row[]> {
    return (await this.pool.query(sql.replace('%', this.prefix))).rows as Row[];
  }
  private async insert(table: string, values: Record<string, unknown>): Promise<void> {
    const cols = Object.keys(values);
    await this.pool.query(`INSERT INTO ${this.prefix}${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(values));
  }

  async addCosignature(r: CosignatureRecord): Promise<void> {
    await this.insert('checkpoint_cosignatures', { tree_size: r.treeSize, root_hash: r.rootHash, note: r.note, witness: r.witness, key_id: r.keyId, line: r.line, cosigned_at: r.cosignedAt, received_at: r.receivedAt });
  }
  async listCosignatures(): Promise<CosignatureRecord[]> {
    return (await this.all(SELECT.cosignatures)).map(cosignature);
  }
  async addTimestamp(r: TimestampRecord): Promise<void> {
    await this.insert('checkpoint_timestamps', { tree_size: r.treeSize, root_hash: r.rootHash, note: r.note, token: r.token, nonce: r.nonce, tsa_url: r.tsaUrl, received_at: r.receivedAt });
  }
  async listTimestamps(): Promise<TimestampRecord[]> {
    return (await this.all(SELECT.timestamps)).map(timestamp);
  }
  async addAlarm(r: WitnessAlarmRecord): Promise<void> {
    await this.insert('witness_alarms', { witness: r.witness, url: r.url, tree_size: r.treeSize, root_hash: r.rootHash, status: r.status, reason: r.reason, at: r.at });
  }
  async listAlarms(): Promise<WitnessAlarmRecord[]> {
    return (await this.all(SELECT.alarms)).map(alarm);
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** In memory: for tests and benches. */
export class InMemoryCosignatureStore implements CosignatureStore {
  readonly cosignatures: CosignatureRecord[] = [];
  readonly timestamps: TimestampRecord[] = [];
  readonly alarms: WitnessAlarmRecord[] = [];
  async addCosignature(r: CosignatureRecord): Promise<void> {
    this.cosignatures.push(r);
  }
  async listCosignatures(): Promise<CosignatureRecord[]> {
    return [...this.cosignatures];
  }
  async addTimestamp(r: TimestampRecord): Promise<void> {
    this.timestamps.push(r);
  }
  async listTimestamps(): Promise<TimestampRecord[]> {
    return [...this.timestamps];
  }
  async addAlarm(r: WitnessAlarmRecord): Promise<void> {
    this.alarms.push(r);
  }
  async listAlarms(): Promise<WitnessAlarmRecord[]> {
    return [...this.alarms];
  }
  async close(): Promise<void> {}
}

/**
 * The cosignature store beside a ledger store URL: `sqlite:<path>` (same file) or
 * `postgres(ql)://…[?schema=]` (same schema). Other stores (KurrentDB) need `sqlite:` given
 * explicitly.
 */
export async function openCosignatureStore(url: string, options: { readOnly?: boolean } = {}): Promise<CosignatureStore> {
  if (url.startsWith('sqlite:')) return new SqliteCosignatureStore(url.slice('sqlite:'.length), options);
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'radledger';
    parsed.searchParams.delete('schema');
    return PostgresCosignatureStore.open(parsed.toString(), schema);
  }
  throw new WitnessError('COSIGNATURE_STORE_INVALID', `cosignatures are kept beside a sqlite:<path> or postgres://… ledger, got ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
}
