import { ValidationError } from '@radledger/platform';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store.adapter.js';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store.adapter.js';
import type { SubjectKeyStore } from './subject-key-store.port.js';

/** `sqlite:<path>` or `postgres://…[?schema=…]`. */
export async function openSubjectKeyStore(url: string, kek: Buffer, now: () => Date = () => new Date()): Promise<SubjectKeyStore> {
  if (url.startsWith('sqlite:')) return new SqliteSubjectKeyStore(url.slice('sqlite:'.length), kek, now);
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresSubjectKeyStore.open(url, kek, now);
  throw new ValidationError('KEY_STORE_INVALID', `key store: expected sqlite:<path> or postgres://…, got ${url.replace(/\/\/[^@/]*@/, '//***@')}`, { field: 'keyStore' });
}
