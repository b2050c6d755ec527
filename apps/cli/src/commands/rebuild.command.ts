import { Option, type Command } from 'commander';
import { openReadModelStore, ProjectionRunner, projectionLag, readModelProjections } from '@radledger/projections';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore, storeOption } from './ledger-cli.options.js';

/** Read models are rebuilt, never repaired: drop every projection's tables and replay the whole ledger. */
export function register(program: Command): void {
  program
    .command('rebuild')
    .description('drop the read models (lineage, audit trail, monitoring) and replay them from the ledger')
    .addOption(storeOption())
    .addOption(new Option('--read-store <url>', 'read-model store: sqlite:<path> | postgres://… (default: the event store\'s database)').default(process.env['RADLEDGER_READ_STORE']))
    .addOption(new Option('--batch <events>', 'events per transaction').default('5000'))
    .action(async (options: { store: string; readStore?: string; batch: string }) => {
      if (!/^[1-9]\d{0,6}$/.test(options.batch)) throw new CliFailure(`--batch must be an integer from 1 to 9999999, got "${options.batch}"`, 2);
      const readUrl = options.readStore ?? options.store;
      if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(readUrl)) throw new CliFailure(`--read-store must be sqlite:<path> or postgres://…, got "${readUrl}"`, 2);
      const ledger = await openExistingStore(options.store);
      const readStore = openReadModelStore(readUrl);
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
    });
}
