import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultRadiomicsSettings } from '@radledger/radiomics';
import { CliFailure } from '../cli-failure.js';
import { storeOption } from './ledger-cli.options.js';
import { actorOption, cliMetadata, dataDirOption, openCliRuntime } from './runtime-cli.options.js';

/**
 * `features --record`'s ledger twin: computes the features of a recorded mask version on a
 * recorded image (both loaded from the artifact store) and appends FeaturesComputed.
 */
export function register(program: Command): void {
  program
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
    .addOption(storeOption())
    .addOption(dataDirOption())
    .action(async (opts: Record<string, string>) => {
      let settings: unknown = defaultRadiomicsSettings();
      if (opts['settings']) {
        try {
          settings = JSON.parse(readFileSync(opts['settings'], 'utf8'));
        } catch (error) {
          throw new CliFailure(`--settings ${opts['settings']}: ${(error as Error).message}`, 2);
        }
      }
      const runtime = await openCliRuntime({ store: opts['store'], dataDir: opts['dataDir']! });
      try {
        const result = await runtime.features.compute(
          {
            imageId: opts['imageId']!,
            segmentationId: opts['segmentationId']!,
            maskVersionId: opts['maskVersion']!,
            ...(opts['imageSha256'] ? { imageSha256: opts['imageSha256'] } : {}),
            ...(opts['featureSetId'] ? { featureSetId: opts['featureSetId'] } : {}),
            ...(opts['label'] ? { label: Number(opts['label']) } : {}),
            settings,
          },
          cliMetadata(opts['actor']!, 'data-scientist'),
        );
        const event = result.events[0]!;
        process.stdout.write(`${JSON.stringify({ featureSetId: (event.data as { featureSetId: string }).featureSetId, eventId: event.eventId, globalPosition: event.globalPosition, hash: event.hash })}\n`);
      } finally {
        await runtime.close();
      }
    });
}
