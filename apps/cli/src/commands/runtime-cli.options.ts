import { join, resolve } from 'node:path';
import { Option } from 'commander';
import { openRuntime, type Runtime } from '@radledger/application';
import type { CommandMetadata } from '@radledger/domain';
import { RADLEDGER_VERSION } from '@radledger/application';
import { DEFAULT_STORE } from './ledger-cli.options.js';

/** Options of the commands that write through the domain (the environment is read only here). */
export function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'artifacts and keys (RADLEDGER_DATA_DIR)').default(process.env['RADLEDGER_DATA_DIR'] ?? './data');
}

export function actorOption(): Option {
  return new Option('--actor <userId>', 'who runs the command (recorded in the event metadata)').default(process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');
}

export async function openCliRuntime(options: { store?: string; dataDir: string }): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  return openRuntime({
    store: options.store ?? process.env['RADLEDGER_STORE'] ?? DEFAULT_STORE,
    dataDir,
    signingKeyPath: process.env['RADLEDGER_SIGNING_KEY'] ?? join(dataDir, 'signing-key.pem'),
    keyEncryptionKeyPath: process.env['RADLEDGER_KEY_ENCRYPTION_KEY'] ?? join(dataDir, 'key-encryption-key'),
  });
}

export function cliMetadata(actor: string, role: string, reason?: string): CommandMetadata {
  return {
    actor,
    role,
    ...(reason ? { reason } : {}),
    correlationId: globalThis.crypto.randomUUID(),
    client: `radledger-cli/${RADLEDGER_VERSION}`,
  };
}
