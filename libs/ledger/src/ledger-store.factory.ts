import { storeUrlInvalid } from './adapters/event-store.exception.js';
import { PostgresEventStore } from './adapters/postgres-event-store.adapter.js';
import { SqliteEventStore } from './adapters/sqlite-event-store.adapter.js';
import type { EventValidator, LedgerStore } from './event-store.port.js';

export interface OpenEventStoreOptions {
  validator?: EventValidator;
  /** PostgreSQL schema (default: the URL's `?schema=` parameter, else `radledger`). */
  schema?: string;
  /** SQLite: wait for another process's write lock this long before STORE_BUSY. */
  busyTimeoutMs?: number;
  /** PostgreSQL pool size. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /** SQLite: false refuses to create a missing file (STORE_NOT_FOUND). Default true. */
  create?: boolean;
}

/**
 * Opens the ledger named by a store URL:
 *   sqlite:<path>                       embedded file (parent directory created)
 *   postgres://… | postgresql://…       PostgreSQL (`?schema=<name>` selects the schema)
 *   kurrentdb://host:2113?tls=false     KurrentDB (ADR 0003)
 * Anything else is STORE_URL_INVALID.
 */
export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<LedgerStore> {
  if (typeof url !== 'string' || url.trim() === '') throw storeUrlInvalid(String(url), 'is empty');
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '' || path.startsWith('//')) throw storeUrlInvalid(url, 'has no file path (use sqlite:./data/radledger.db or sqlite:/abs/path.db)');
    return new SqliteEventStore({ path, validator: options.validator, busyTimeoutMs: options.busyTimeoutMs, create: options.create });
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw storeUrlInvalid(url, 'is not a valid URL');
    }
    if (!parsed.hostname) throw storeUrlInvalid(url, 'names no host');
    const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return PostgresEventStore.open({
      connectionString: parsed.toString(),
      schema,
      validator: options.validator,
      maxConnections: options.maxConnections,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  }
  if (url.startsWith('kurrentdb://') || url.startsWith('kurrentdb+discover://')) {
    // ADR 0003: one ledger stream in chain order; the connection string goes to the client as is.
    // Loaded only here: the client costs about a second at start-up for every SQLite or PostgreSQL user.
    const { KurrentEventStore } = await import('./adapters/kurrentdb/kurrentdb-event-store.adapter.js');
    return KurrentEventStore.open({ connectionString: url, validator: options.validator });
  }
  throw storeUrlInvalid(url, 'has an unknown scheme');
}
