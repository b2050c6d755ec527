import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ApiTokenRecord, CredentialStore } from './credential-store.port.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS identity_passwords (
  user_id    TEXT PRIMARY KEY,
  record     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identity_api_tokens (
  token_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT
);
`;

interface TokenRow {
  token_id: string;
  user_id: string;
  token_sha256: string;
  scopes: string;
  expires_at: string;
  revoked_at: string | null;
}

const fromRow = (r: TokenRow): ApiTokenRecord => ({
  tokenId: r.token_id,
  userId: r.user_id,
  tokenSha256: r.token_sha256,
  scopes: JSON.parse(r.scopes) as string[],
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/** Credentials in the embedded SQLite read-model file (its own tables; every statement parameterised). */
export class SqliteCredentialStore implements CredentialStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
  }

  async setPasswordHash(userId: string, record: string, now: Date): Promise<void> {
    this.db
      .prepare('INSERT INTO identity_passwords (user_id, record, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at')
      .run(userId, record, now.toISOString());
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT record FROM identity_passwords WHERE user_id = ?').get(userId) as { record: string } | undefined;
    return row?.record;
  }

  async saveApiToken(t: ApiTokenRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO identity_api_tokens (token_id, user_id, token_sha256, scopes, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(t.tokenId, t.userId, t.tokenSha256, JSON.stringify(t.scopes), t.expiresAt, t.revokedAt);
  }

  async apiTokenBySha256(tokenSha256: string): Promise<ApiTokenRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM identity_api_tokens WHERE token_sha256 = ?').get(tokenSha256) as TokenRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async apiTokenById(tokenId: string): Promise<ApiTokenRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM identity_api_tokens WHERE token_id = ?').get(tokenId) as TokenRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async markApiTokenRevoked(tokenId: string, at: Date): Promise<void> {
    this.db.prepare('UPDATE identity_api_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL').run(at.toISOString(), tokenId);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
