import type { Command } from 'commander';
import type { CheckpointOptions } from './checkpoint.action.js';
import { addStoreOptions } from './store-cli.options.js';

/** `checkpoint`: verify the ledger, then sign its current tree head and record the checkpoint. */
export function register(program: Command): void {
  const checkpoint = program
    .command('checkpoint')
    .description('issue, store and print a signed checkpoint (C2SP signed note) of the current tree head');
  addStoreOptions(checkpoint, { key: 'shown', keyHelp: 'Ed25519 checkpoint signing key (default: <data-dir>/signing-key.pem, created with a warning when absent)' })
    .option('--origin <origin>', 'checkpoint origin line (the log identity)', 'radledger')
    .action(async (options: CheckpointOptions) => (await import('./checkpoint.action.js')).checkpoint(options));
}
