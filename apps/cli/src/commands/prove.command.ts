import type { Command } from 'commander';
import type { ProveOptions } from './prove.action.js';
import { addStoreOptions } from './store-cli.options.js';

/** `prove`: an inclusion proof for one event, or a consistency proof between two tree sizes, as JSON. */
export function register(program: Command): void {
  const prove = program.command('prove').description('print an inclusion proof (--event) or a consistency proof (--from/--to) as JSON');
  addStoreOptions(prove)
    .option('--event <eventId>', 'event to prove included')
    .option('--tree-size <n>', 'tree size for the inclusion proof (default: latest checkpoint covering it, else the head)')
    .option('--from <n>', 'older tree size of a consistency proof')
    .option('--to <n>', 'newer tree size of a consistency proof')
    .action(async (options: ProveOptions) => (await import('./prove.action.js')).prove(options));
}
