import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { CheckpointVerifier } from '@radledger/ledger';
import { parseWitnessPolicy, type WitnessPolicy } from '@radledger/witness';
import { CliFailure } from '../cli-failure.js';

export function policyOption(): Option {
  return new Option('--policy <file>', 'witness policy (C2SP tlog-policy: log, witness, group, quorum lines): require a quorum of witness cosignatures');
}

export function tsaRootOption(): Option {
  return new Option('--tsa-root <pem>', 'pinned root certificate of the RFC 3161 TSA: check the stored timestamp tokens');
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

export const SINGLE_KEY_NOTE =
  'note: no --policy: the checkpoints rest on one signing key; whoever holds it can rewrite history and re-sign it undetected. Pass --policy <file> to require witness cosignatures.\n';
