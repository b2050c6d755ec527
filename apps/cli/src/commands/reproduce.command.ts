import type { Command } from 'commander';
import type { ReproduceOptions } from './reproduce.action.js';
import { addStoreOptions } from './store-cli.options.js';

/**
 * `reproduce --feature-set <id>` re-computes a recorded feature set from its stored image and
 * mask with its recorded settings; `reproduce --decision <id>` re-runs a recorded decision with
 * the model bytes it names. Prints the report as JSON; exit 0 on MATCH, 1 otherwise.
 */
export function register(program: Command): void {
  const reproduce = program
    .command('reproduce')
    .description('re-compute a recorded feature set or decision and compare (MATCH or the differences)')
    .option('--feature-set <id>', 'feature set id')
    .option('--decision <id>', 'decision id');
  addStoreOptions(reproduce).action(async (options: ReproduceOptions) => (await import('./reproduce.action.js')).reproduce(options));
}
