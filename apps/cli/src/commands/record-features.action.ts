import { readFileSync } from 'node:fs';
import { defaultRadiomicsSettings } from '@radledger/radiomics';
import { CliFailure } from '../cli-failure.js';
import { cliMetadata, openCliRuntime } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface RecordFeaturesOptions extends StoreFlags {
  imageId: string;
  segmentationId: string;
  maskVersion: string;
  imageSha256?: string;
  featureSetId?: string;
  settings?: string;
  label?: string;
  actor: string;
  reason?: string;
}

export async function recordFeatures(options: RecordFeaturesOptions): Promise<void> {
  let settings: unknown = defaultRadiomicsSettings();
  if (options.settings) {
    try {
      settings = JSON.parse(readFileSync(options.settings, 'utf8'));
    } catch (error) {
      throw new CliFailure(`--settings ${options.settings}: ${(error as Error).message}`, 2);
    }
  }
  const runtime = await openCliRuntime(resolveLocations(options));
  try {
    const result = await runtime.features.compute(
      {
        imageId: options.imageId,
        segmentationId: options.segmentationId,
        maskVersionId: options.maskVersion,
        ...(options.imageSha256 ? { imageSha256: options.imageSha256 } : {}),
        ...(options.featureSetId ? { featureSetId: options.featureSetId } : {}),
        ...(options.label ? { label: Number(options.label) } : {}),
        settings,
      },
      cliMetadata(options.actor, 'data-scientist', options.reason),
    );
    const event = result.events[0]!;
    process.stdout.write(`${JSON.stringify({ featureSetId: (event.data as { featureSetId: string }).featureSetId, eventId: event.eventId, globalPosition: event.globalPosition, hash: event.hash })}\n`);
  } finally {
    await runtime.close();
  }
}
