import { readFileSync } from 'node:fs';
import { openRuntime, RADLEDGER_VERSION, type Runtime } from '@radledger/application';
import type { CommandMetadata } from '@radledger/domain';
import { openEventStore, parseVerifierKey, type CheckpointVerifier, type LedgerStore } from '@radledger/ledger';
import { parseWitnessPolicy, type WitnessPolicy } from '@radledger/witness';
import { CliFailure } from './cli-failure.js';
import type { CliLocations } from './commands/store-cli.options.js';

/**
 * What the command actions share once they run (loaded lazily from the actions, never from a
 * command's declaration): opening stores and runtimes at the resolved locations, metadata, keys.
 */

/** Opens an existing ledger (never creates one: verifying a typo'd path must not make an empty ledger). */
export async function openExistingStore(url: string): Promise<LedgerStore> {
  return openEventStore(url, { create: false });
}

export async function openCliRuntime(at: CliLocations): Promise<Runtime> {
  return openRuntime({ store: at.store, dataDir: at.dataDir, signingKeyPath: at.signingKeyPath, keyEncryptionKeyPath: at.keyEncryptionKeyPath });
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

export function parsePublicKey(vkey: string | undefined): CheckpointVerifier | undefined {
  if (vkey === undefined) return undefined;
  try {
    return parseVerifierKey(vkey);
  } catch (error) {
    throw new CliFailure(`--public-key: ${(error as Error).message}`, 2);
  }
}

export function loadPolicy(file: string | undefined): WitnessPolicy | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliFailure(`--policy: cannot read ${file}: ${(error as Error).message}`, 2);
  }
  try {
    return parseWitnessPolicy(text);
  } catch (error) {
    throw new CliFailure(`--policy ${file}: ${(error as Error).message}`, 2);
  }
}

/** The log key to check checkpoints with: the pinned --public-key, else the policy's only log. */
export function logKeyFrom(pinned: CheckpointVerifier | undefined, policy: WitnessPolicy | undefined): CheckpointVerifier | undefined {
  if (pinned) return pinned;
  if (policy && policy.logs.length === 1) return policy.logs[0]!.verifier;
  if (policy && policy.logs.length > 1) throw new CliFailure('--policy lists several logs: pass --public-key to say which one this ledger is', 2);
  return undefined;
}

export function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliFailure(`${flag}: cannot read ${file}: ${(error as Error).message}`, 2);
  }
}
