import { Option, type Command } from 'commander';
import type { RebuildOptions } from './rebuild.action.js';
import { addStoreOptions } from './store-cli.options.js';

/** Read models are rebuilt, never repaired: drop every projection's tables and replay the whole ledger. */
export function register(program: Command): void {
  const rebuild = program.command('rebuild').description('drop the read models (lineage, audit trail, monitoring) and replay them from the ledger');
  addStoreOptions(rebuild)
    .addOption(new Option('--batch <events>', 'events per transaction').default('5000'))
    .action(async (options: RebuildOptions) => (await import('./rebuild.action.js')).rebuild(options));
}
