import type { Command } from 'commander';
import type { RecordFeaturesOptions } from './record-features.action.js';
import { actorOption } from './runtime-cli.options.js';
import { addStoreOptions, reasonOption } from './store-cli.options.js';

/**
 * `features --record`'s ledger twin: computes the features of a recorded mask version on a
 * recorded image (both loaded from the artifact store) and appends FeaturesComputed.
 */
export function register(program: Command): void {
  const recordFeatures = program
    .command('record-features')
    .description('compute IBSI features of a recorded mask version and append FeaturesComputed')
    .requiredOption('--image-id <id>')
    .requiredOption('--segmentation-id <id>')
    .requiredOption('--mask-version <id>')
    .option('--image-sha256 <sha>', 'image version (default: the one the mask was drawn on)')
    .option('--feature-set-id <id>')
    .option('--settings <file.json>', 'the whole IBSI configuration (default: RadLedger MR defaults)')
    .option('--label <n>', 'mask label (default: any nonzero voxel)')
    .addOption(actorOption())
    .addOption(reasonOption());
  addStoreOptions(recordFeatures).action(async (options: RecordFeaturesOptions) => (await import('./record-features.action.js')).recordFeatures(options));
}
