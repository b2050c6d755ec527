import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratePostgresSchema } from '@radledger/ledger';
import { ValidationError } from '@radledger/platform';
import type { RedactionRecord } from '@radledger/domain';
import type { KeyLookup, SubjectKey, SubjectKeyStore } from './subject-key-store.port.js';
import { newKeyId, unwrapKey, wrapKey } from './key-wrap.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface KeyRow {
  key_id: string;
  wrapped_key: Buffer | null;
  destroyed_at: string | null;
  redaction: RedactionRecord | null;
}

/**
 * Subject keys in PostgreSQL (the store's database and `?schema=`), for deployments with several
 * API replicas. Keys are wrapped by the key-encryption key file, which never enters the database.
 * A destroyed key's row keeps only the tombstone; `VACUUM` then drops the old row version
 * (PostgreSQL MVCC keeps it until then).
 */
export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
    private readonly kek: Buffer,
    private readonly now: () => Date,
  ) {}

  static async open(url: string, kek: Buffer, now: () => Date = () => new Date()): Promise<PostgresSubjectKeyStore> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'radledger';
    parsed.searchParams.delete('schema');
    if (!SCHEMA_NAME.test(schema)) throw new ValidationError('KEY_STORE_INVALID', `key store: schema must match ${SCHEMA_NAME}, got "${schema}"`, { field: 'schema' });
    const pool = new pg.Pool({ connectionString: parsed.toString(), max: 4 });
    const store = new PostgresSubjectKeyStore(pool, `"${schema}".subject_key`, kek, now);
    try {
      await migratePostgresSchema(pool, schema, async (client) => {
        await client.query(`CREATE TABLE IF NOT EXISTS ${store.table} (
          key_id text PRIMARY KEY, scope text NOT NULL, wrapped_key bytea, created_at text NOT NULL, destroyed_at text, redaction jsonb)`);
        await client.query(`CREATE UNIQUE INDEX IF NOT EXISTS subject_key_live ON ${store.table} (scope) WHERE wrapped_key IS NOT NULL`);
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async activeKey(scope: string): Promise<SubjectKey> {
    const live = async () => (await this.pool.query<KeyRow>(`SELECT key_id, wrapped_key FROM ${this.table} WHERE scope = $1 AND wrapped_key IS NOT NULL`, [scope])).rows[0];
    let row = await live();
    if (!row) {
      const keyId = newKeyId();
      // Concurrent creators: the partial unique index keeps one live key per scope.
      await this.pool.query(`INSERT INTO ${this.table} (key_id, scope, wrapped_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
        keyId,
        scope,
        wrapKey(this.kek, keyId, randomBytes(32)),
        this.now().toISOString(),
      ]);
      row = (await live())!;
    }
    return { keyId: row.key_id, key: unwrapKey(this.kek, row.key_id, row.wrapped_key!) };
  }

  async lookup(keyIds: readonly string[]): Promise<Map<string, KeyLookup>> {
    const found = new Map<string, KeyLookup>();
    if (keyIds.length === 0) return found;
    const { rows } = await this.pool.query<KeyRow>(`SELECT key_id, wrapped_key, destroyed_at, redaction FROM ${this.table} WHERE key_id = ANY($1::text[])`, [[...new Set(keyIds)]]);
    for (const r of rows) {
      found.set(r.key_id, r.wrapped_key ? { state: 'live', key: unwrapKey(this.kek, r.key_id, r.wrapped_key) } : { state: 'destroyed', destroyedAt: r.destroyed_at ?? '', redaction: r.redaction });
    }
    return found;
  }

  async destroy(keyIds: readonly string[], record: RedactionRecord): Promise<void> {
    if (keyIds.length === 0) return;
    const result = await this.pool.query(`UPDATE ${this.table} SET wrapped_key = NULL, destroyed_at = $1, redaction = $2 WHERE key_id = ANY($3::text[]) AND wrapped_key IS NOT NULL`, [
      this.now().toISOString(),
      JSON.stringify(record),
      [...keyIds],
    ]);
    if ((result.rowCount ?? 0) > 0) await this.pool.query(`VACUUM ${this.table}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
