import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { demoExampleQueries, loadDemoTrial } from '@radledger/demo';
import { openRuntime } from '@radledger/application';
import { storeOption } from './ledger-cli.options.js';

interface DemoOptions {
  store: string;
  dataDir: string;
  key?: string;
  json?: boolean;
}

/**
 * `demo`: loads the synthetic GLIO-RAD-01 trial (3 sites, 12 subjects, T1c + FLAIR, edits,
 * IBSI features, locked-model decisions, signatures) into the ledger through the same
 * runtime as the API. Does nothing when the ledger already holds events, so it is safe to
 * run on every start.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('load the synthetic 3-site glioma demo trial into an empty ledger')
    .addOption(storeOption())
    .addOption(new Option('--data-dir <dir>', 'artifacts go to <dir>/artifacts (RADLEDGER_DATA_DIR)').default(process.env['RADLEDGER_DATA_DIR'] ?? './data'))
    .addOption(new Option('--key <file>', 'Ed25519 checkpoint key (RADLEDGER_SIGNING_KEY; default <data-dir>/signing-key.pem, created if absent)').default(process.env['RADLEDGER_SIGNING_KEY']))
    .option('--json', 'print the summary as JSON')
    .action(async (options: DemoOptions) => {
      const runtime = await openRuntime({ store: options.store, dataDir: options.dataDir, signingKeyPath: options.key ?? join(options.dataDir, 'signing-key.pem') });
      try {
        const log = options.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
        const result = await loadDemoTrial(runtime, { log });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        if (result.skipped) {
          process.stdout.write(`demo skipped: ${result.reason}\n`);
          return;
        }
        const e = result.example;
        const lines = [
          `demo trial ${result.trialId} loaded: ${result.subjects} subjects at ${result.sites.join(', ')}`,
          `  ${result.eventsAppended} events appended (ledger size ${result.ledgerSize}), ${result.artifactsStored} artifacts, ${result.durationMs} ms`,
          ...Object.entries(result.eventsByType).map(([type, n]) => `    ${type.padEnd(28)} ${n}`),
          `  example decision ${e.decisionId}: ${e.modelId} v${e.modelVersion} (sha256 ${e.modelSha256}) on ${e.featureSetId} -> ${e.decision}`,
          `  edited segmentation ${e.editedSegmentationId}; protocol deviation on ${e.deviationImageId}`,
          `  locked models: ${e.lockedModels.map((m) => `${m.modelId} v${m.version}`).join(', ')}`,
          `  next: npm run --silent cli -- verify --store ${options.store}`,
          '  example GraphQL queries (POST /graphql on the API):',
          ...demoExampleQueries(result).flatMap((q) => [`    # ${q.title}`, `    ${q.query}`]),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await runtime.close();
      }
    });
}
