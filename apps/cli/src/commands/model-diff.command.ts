import type { Command } from 'commander';
import type { ModelDiffOptions } from './model-diff.action.js';
import { addStoreOptions } from './store-cli.options.js';

/**
 * Compares the version that was validated with the one that was locked (FDA AI-enabled
 * device software draft guidance: the released algorithm must be the tested one). Any
 * difference in bytes, inputs, decision rule or training lineage is a post-hoc change.
 */
export function register(program: Command): void {
  const modelDiff = program
    .command('model-diff')
    .description('differences between a tested and a released model version: <modelId>@<version> <modelId>@<version>')
    .argument('<tested>')
    .argument('<released>');
  addStoreOptions(modelDiff).action(async (tested: string, released: string, options: ModelDiffOptions) => (await import('./model-diff.action.js')).modelDiff(tested, released, options));
}
