import pg from 'pg';
import type { ApiTokenRecord, CredentialStore } from './credential-store.port.js';
import { migratePostgresSchema } from '@radledger/ledger';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface TokenRow {
  token_id: string;
  user_id: string;
  token_sha256: string;
  scopes: string[];
  expires_at: string;
  revoked_at: string | null;
}

const fromRow = (r: TokenRow): ApiTokenRecord => ({
  tokenId: r.token_id,
  userId: r.user_id,
  tokenSha256: r.token_sha256,
  scopes: r.scopes,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/** Credentials in the PostgreSQL read-model database, in the store's schema (every statement parameterised). */
export class PostgresCredentialStore implements CredentialStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  static async open(url: string): Promise<PostgresCredentialStore> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'radledger';
    parsed.searchParams.delete('schema');
    if (!SCHEMA_NAME.test(schema)) throw new Error(`credential store: schema must match ${SCHEMA_NAME}, got "${schema}"`);
    const pool = new pg.Pool({ connectionString: parsed.toString(), max: 4 });
    const store = new PostgresCredentialStore(pool, schema);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await migratePostgresSchema(this.pool, this.schema, async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".identity_passwords (
        user_id text PRIMARY KEY, record text NOT NULL, updated_at timestamptz NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".identity_api_tokens (
        token_id text PRIMARY KEY, user_id text NOT NULL, token_sha256 text NOT NULL UNIQUE,
        scopes jsonb NOT NULL, expires_at text NOT NULL, revoked_at text)`);
    });
  }


  async setPasswordHash(userId: string, record: string, now: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO "${this.schema}".identity_passwords (user_id, record, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET record = EXCLUDED.record, updated_at = EXCLUDED.updated_at`,
      [userId, record, now.toISOString()],
    );
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ record: string }>(`SELECT record FROM "${this.schema}".identity_passwords WHERE user_id = $1`, [userId]);
    return rows[0]?.record;
  }

  async saveApiToken(t: ApiTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO "${this.schema}".identity_api_tokens (token_id, user_id, token_sha256, scopes, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [t.tokenId, t.userId, t.tokenSha256, JSON.stringify(t.scopes), t.expiresAt, t.revokedAt],
    );
  }

  async apiTokenBySha256(tokenSha256: string): Promise<ApiTokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT * FROM "${this.schema}".identity_api_tokens WHERE token_sha256 = $1`, [tokenSha256]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async apiTokenById(tokenId: string): Promise<ApiTokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT * FROM "${this.schema}".identity_api_tokens WHERE token_id = $1`, [tokenId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async markApiTokenRevoked(tokenId: string, at: Date): Promise<void> {
    await this.pool.query(`UPDATE "${this.schema}".identity_api_tokens SET revoked_at = $1 WHERE token_id = $2 AND revoked_at IS NULL`, [at.toISOString(), tokenId]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
