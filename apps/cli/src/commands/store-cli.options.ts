import { isAbsolute, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CliFailure } from '../cli-failure.js';

/**
 * Where a command finds the ledger, the read models and the data directory: the same three
 * options on every command that opens a store, each falling back to its RADLEDGER_* variable,
 * then to the API's defaults (apps/api/src/config/app.config.ts): the data dir is ./data, the
 * event store sqlite:<data-dir>/radledger.db, the read models the event store's database, and the
 * keys live in the data dir. This module loads nothing but commander, so `--help` stays fast.
 */
export interface StoreFlags {
  store?: string;
  readStore?: string;
  dataDir?: string;
  /** Only on the commands that sign or check checkpoints (`addStoreOptions(cmd, { key })`). */
  key?: string;
}

export interface CliLocations {
  dataDir: string;
  store: string;
  readStore: string;
  signingKeyPath: string;
  keyEncryptionKeyPath: string;
  authSecretPath: string;
}

const STORE_URL = /^(sqlite:.+|postgres(ql)?:\/\/.+|kurrentdb:\/\/.+)$/;

/** A URL as an error message may show it: no password. */
const redact = (url: string): string => url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');

export function addStoreOptions(command: Command, options: { key?: 'shown' | 'hidden'; keyHelp?: string } = {}): Command {
  command
    .addOption(new Option('--store <url>', 'event store: sqlite:<path> | postgres://… (default: sqlite:<data-dir>/radledger.db)').env('RADLEDGER_STORE'))
    .addOption(new Option('--read-store <url>', "read models and credentials: sqlite:<path> | postgres://… (default: the event store's database)").env('RADLEDGER_READ_STORE'))
    .addOption(new Option('--data-dir <dir>', 'artifacts, keys and the default SQLite ledger (default: ./data)').env('RADLEDGER_DATA_DIR'));
  if (options.key) {
    const key = new Option('--key <file>', options.keyHelp ?? 'Ed25519 checkpoint signing key (default: <data-dir>/signing-key.pem)').env('RADLEDGER_SIGNING_KEY');
    command.addOption(options.key === 'hidden' ? key.hideHelp() : key);
  }
  return command;
}

/**
 * Resolves the flags (already filled from RADLEDGER_STORE, RADLEDGER_READ_STORE,
 * RADLEDGER_DATA_DIR, RADLEDGER_SIGNING_KEY by commander) as the API resolves its environment;
 * an empty value counts as unset. A bad store URL is a usage error naming the option.
 */
export function resolveLocations(flags: StoreFlags, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): CliLocations {
  const dataDirRaw = flags.dataDir || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const store = flags.store || `sqlite:${join(dataDir, 'radledger.db')}`;
  if (!STORE_URL.test(store)) throw new CliFailure(`error [STORE_URL_INVALID]: --store must be sqlite:<path>, postgres://… or kurrentdb://… (RADLEDGER_STORE), got "${redact(store)}"`, 2);
  const readStore = flags.readStore || (store.startsWith('kurrentdb:') ? `sqlite:${join(dataDir, 'read-models.db')}` : store);
  if (!STORE_URL.test(readStore) || readStore.startsWith('kurrentdb:')) {
    throw new CliFailure(`error [STORE_URL_INVALID]: --read-store must be sqlite:<path> or postgres://… (RADLEDGER_READ_STORE; read models are relational), got "${redact(readStore)}"`, 2);
  }
  return {
    dataDir,
    store,
    readStore,
    signingKeyPath: flags.key || join(dataDir, 'signing-key.pem'),
    keyEncryptionKeyPath: env['RADLEDGER_KEY_ENCRYPTION_KEY'] || join(dataDir, 'key-encryption-key'),
    authSecretPath: env['RADLEDGER_AUTH_SECRET_FILE'] || join(dataDir, 'auth-secret'),
  };
}

/** `--reason`: why the events the command appends were written (recorded, sealed, in their metadata). */
export function reasonOption(description = 'why (recorded in the event metadata)'): Option {
  return new Option('--reason <text>', description);
}
