import type { Command } from 'commander';
import type { DemoOptions } from './demo.action.js';
import { addStoreOptions } from './store-cli.options.js';

/**
 * `demo`: loads the synthetic GLIO-RAD-01 trial (3 sites, 12 subjects, T1c + FLAIR, edits,
 * IBSI features, locked-model decisions, signatures) into the ledger through the same
 * runtime as the API. Does nothing when the ledger already holds events, so it is safe to
 * run on every start. Its events carry the demo story's own reasons.
 */
export function register(program: Command): void {
  const demo = program.command('demo').description('load the synthetic 3-site glioma demo trial into an empty ledger');
  addStoreOptions(demo, { key: 'shown', keyHelp: 'Ed25519 checkpoint signing key (default: <data-dir>/signing-key.pem, created if absent)' })
    .option('--json', 'print the summary as JSON')
    .action(async (options: DemoOptions) => (await import('./demo.action.js')).demo(options));
}
