import { Option } from 'commander';
import { CliFailure } from '../cli-failure.js';

/** Options of the ledger commands; light (commander only), so `--help` loads no ledger code. */
export function publicKeyOption(): Option {
  return new Option('--public-key <vkey>', 'pinned checkpoint verifier key <name>+<keyid>+<base64>');
}

export function parseSize(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliFailure(`${flag} must be a non-negative integer, got "${value}"`, 2);
  return Number(value);
}
