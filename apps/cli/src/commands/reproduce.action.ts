import { CliFailure } from '../cli-failure.js';
import { openCliRuntime } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface ReproduceOptions extends StoreFlags {
  featureSet?: string;
  decision?: string;
}

export async function reproduce(options: ReproduceOptions): Promise<void> {
  if (Boolean(options.featureSet) === Boolean(options.decision)) throw new CliFailure('reproduce: give exactly one of --feature-set <id> or --decision <id>', 2);
  const runtime = await openCliRuntime(resolveLocations(options));
  try {
    const report = options.featureSet ? await runtime.features.reproduce(options.featureSet) : await runtime.models.reproduceDecision(options.decision!);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.status !== 'MATCH') process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}
