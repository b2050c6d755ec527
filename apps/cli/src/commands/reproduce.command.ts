import type { Command } from 'commander';
import { CliFailure } from '../cli-failure.js';
import { storeOption } from './ledger-cli.options.js';
import { dataDirOption, openCliRuntime } from './runtime-cli.options.js';

/**
 * `reproduce --feature-set <id>` re-computes a recorded feature set from its stored image and
 * mask with its recorded settings; `reproduce --decision <id>` re-runs a recorded decision with
 * the model bytes it names. Prints the report as JSON; exit 0 on MATCH, 1 otherwise.
 */
export function register(program: Command): void {
  program
    .command('reproduce')
    .description('re-compute a recorded feature set or decision and compare (MATCH or the differences)')
    .option('--feature-set <id>', 'feature set id')
    .option('--decision <id>', 'decision id')
    .addOption(storeOption())
    .addOption(dataDirOption())
    .action(async (opts: { featureSet?: string; decision?: string; store: string; dataDir: string }) => {
      if (Boolean(opts.featureSet) === Boolean(opts.decision)) throw new CliFailure('reproduce: give exactly one of --feature-set <id> or --decision <id>', 2);
      const runtime = await openCliRuntime(opts);
      try {
        const report = opts.featureSet ? await runtime.features.reproduce(opts.featureSet) : await runtime.models.reproduceDecision(opts.decision!);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (report.status !== 'MATCH') process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
