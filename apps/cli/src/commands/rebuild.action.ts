import { openReadModelStore, ProjectionRunner, projectionLag, readModelProjections } from '@radledger/projections';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface RebuildOptions extends StoreFlags {
  batch: string;
}

export async function rebuild(options: RebuildOptions): Promise<void> {
  if (!/^[1-9]\d{0,6}$/.test(options.batch)) throw new CliFailure(`--batch must be an integer from 1 to 9999999, got "${options.batch}"`, 2);
  const at = resolveLocations(options);
  const ledger = await openExistingStore(at.store);
  const readStore = openReadModelStore(at.readStore);
  try {
    const runner = new ProjectionRunner(ledger, readStore, readModelProjections, { batchSize: Number(options.batch) });
    const started = process.hrtime.bigint();
    const events = await runner.rebuild();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const lag = await projectionLag(ledger, readStore, readModelProjections);
    process.stdout.write(`rebuilt ${readModelProjections.length} read models from ${events} events in ${seconds.toFixed(2)} s (${Math.round(events / Math.max(seconds, 1e-9))} events/s)\n`);
    for (const l of lag) process.stdout.write(`  ${l.projection}@${l.version}: checkpoint ${l.lastPosition}, lag ${l.lag}\n`);
  } finally {
    await readStore.close();
    await ledger.close();
  }
}
