import type { Command } from 'commander';
import type { VerifyProofOptions } from './verify-proof.action.js';
import { publicKeyOption } from './ledger-cli.options.js';
import { policyOption } from './witness-cli.options.js';

/** `verify-proof`: check a proof document offline (no store): leaf, path, root, and the checkpoint signature if a key is pinned. */
export function register(program: Command): void {
  program
    .command('verify-proof')
    .description('verify an inclusion or consistency proof JSON offline (file or - for stdin)')
    .argument('<file>', 'proof JSON file, or - for stdin')
    .addOption(publicKeyOption())
    .addOption(policyOption())
    .action(async (file: string, options: VerifyProofOptions) => (await import('./verify-proof.action.js')).verifyProof(file, options));
}
