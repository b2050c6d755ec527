import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RedactionRecord } from '@radledger/domain';
import type { KeyLookup, SubjectKey, SubjectKeyStore } from './subject-key-store.port.js';
import { newKeyId, unwrapKey, wrapKey } from './key-wrap.js';

interface KeyRow {
  key_id: string;
  wrapped_key: Buffer | null;
  destroyed_at: string | null;
  redaction: string | null;
}

/**
 * Subject keys in their own SQLite file (default `<dataDir>/keys.db`), apart from the ledger so
 * a copy of the ledger never carries the keys. `secure_delete` overwrites a destroyed key's
 * bytes in the file and the rollback journal (no WAL) leaves no old page copies behind.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;

  constructor(path: string, private readonly kek: Buffer, private readonly now: () => Date = () => new Date()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS subject_key (
        key_id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        wrapped_key BLOB,
        created_at TEXT NOT NULL,
        destroyed_at TEXT,
        redaction TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS subject_key_live ON subject_key(scope) WHERE wrapped_key IS NOT NULL;
    `);
  }

  async activeKey(scope: string): Promise<SubjectKey> {
    const live = () => this.db.prepare('SELECT key_id, wrapped_key FROM subject_key WHERE scope = ? AND wrapped_key IS NOT NULL').get(scope) as KeyRow | undefined;
    let row = live();
    if (!row) {
      const keyId = newKeyId();
      // Another process may create the scope's key first: the partial unique index keeps one live key.
      this.db.prepare('INSERT OR IGNORE INTO subject_key (key_id, scope, wrapped_key, created_at) VALUES (?, ?, ?, ?)').run(keyId, scope, wrapKey(this.kek, keyId, randomBytes(32)), this.now().toISOString());
      row = live()!;
    }
    return { keyId: row.key_id, key: unwrapKey(this.kek, row.key_id, row.wrapped_key!) };
  }

  async lookup(keyIds: readonly string[]): Promise<Map<string, KeyLookup>> {
    const found = new Map<string, KeyLookup>();
    const ids = [...new Set(keyIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT key_id, wrapped_key, destroyed_at, redaction FROM subject_key WHERE key_id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as KeyRow[];
      for (const r of rows) {
        found.set(
          r.key_id,
          r.wrapped_key
            ? { state: 'live', key: unwrapKey(this.kek, r.key_id, r.wrapped_key) }
            : { state: 'destroyed', destroyedAt: r.destroyed_at ?? '', redaction: r.redaction ? (JSON.parse(r.redaction) as RedactionRecord) : null },
        );
      }
    }
    return found;
  }

  async destroy(keyIds: readonly string[], record: RedactionRecord): Promise<void> {
    const update = this.db.prepare('UPDATE subject_key SET wrapped_key = NULL, destroyed_at = ?, redaction = ? WHERE key_id = ? AND wrapped_key IS NOT NULL');
    const at = this.now().toISOString();
    const json = JSON.stringify(record);
    this.db.transaction(() => {
      for (const id of keyIds) update.run(at, json, id);
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
