import type { CredentialStore } from './credential-store.port.js';
import { PostgresCredentialStore } from './postgres-credential-store.adapter.js';
import { SqliteCredentialStore } from './sqlite-credential-store.adapter.js';

/** Opens the credential tables in the read-model database named by a store URL. */
export async function openCredentialStore(readStoreUrl: string): Promise<CredentialStore> {
  if (readStoreUrl.startsWith('sqlite:')) return new SqliteCredentialStore(readStoreUrl.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(readStoreUrl)) return PostgresCredentialStore.open(readStoreUrl);
  throw new Error(`credential store: expected sqlite:<path> or postgres://…, got ${readStoreUrl.replace(/\/\/[^@/]*@/, '//***@')}`);
}
