import { Option } from 'commander';
import { openEventStore, parseVerifierKey, type CheckpointVerifier, type LedgerStore } from '@radledger/ledger';
import { CliFailure } from '../cli-failure.js';

/** Defaults shared by the ledger commands; the environment is read here, never in libs. */
export const DEFAULT_STORE = 'sqlite:./data/radledger.db';
export const DEFAULT_SIGNING_KEY = './data/signing-key.pem';

export function storeOption(): Option {
  return new Option('--store <url>', 'event store: sqlite:<path> | postgres://…').default(process.env['RADLEDGER_STORE'] ?? DEFAULT_STORE);
}

export function keyOption(): Option {
  return new Option('--key <file>', 'Ed25519 PEM signing key (RADLEDGER_SIGNING_KEY)').default(
    process.env['RADLEDGER_SIGNING_KEY'] ?? DEFAULT_SIGNING_KEY,
  );
}

export function publicKeyOption(): Option {
  return new Option('--public-key <vkey>', 'pinned checkpoint verifier key <name>+<keyid>+<base64>');
}

/** Opens an existing ledger (never creates one: verifying a typo'd path must not make an empty ledger). */
export async function openExistingStore(url: string): Promise<LedgerStore> {
  return openEventStore(url, { create: false });
}

export function parsePublicKey(vkey: string | undefined): CheckpointVerifier | undefined {
  if (vkey === undefined) return undefined;
  try {
    return parseVerifierKey(vkey);
  } catch (error) {
    throw new CliFailure(`--public-key: ${(error as Error).message}`, 2);
  }
}

export function parseSize(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliFailure(`${flag} must be a non-negative integer, got "${value}"`, 2);
  return Number(value);
}
