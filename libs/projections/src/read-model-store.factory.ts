import { ValidationError } from '@radledger/platform';
import { PostgresReadModelStore } from './adapters/postgres-read-model.store.js';
import { SqliteReadModelStore } from './adapters/sqlite-read-model.store.js';
import type { ReadModelStore } from './read-model-store.port.js';

/** Opens the read-model store named by RADLEDGER_READ_STORE: `sqlite:<path>` or `postgres://…`. */
export function openReadModelStore(url: string): ReadModelStore {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new ValidationError('READ_STORE_INVALID', 'read store: expected sqlite:<path> with a non-empty path');
    return new SqliteReadModelStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresReadModelStore(url);
  throw new ValidationError('READ_STORE_INVALID', `read store: expected sqlite:<path> or postgres://…, got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))}`);
}
