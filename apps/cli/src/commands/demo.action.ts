import { demoExampleQueries, loadDemoTrial } from '@radledger/demo';
import { openCliRuntime } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface DemoOptions extends StoreFlags {
  json?: boolean;
}

export async function demo(options: DemoOptions): Promise<void> {
  const at = resolveLocations(options);
  const runtime = await openCliRuntime(at);
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
      `  next: npm run --silent cli -- verify --store ${at.store} --data-dir ${at.dataDir}`,
      '  example GraphQL queries (POST /graphql on the API):',
      ...demoExampleQueries(result).flatMap((q) => [`    # ${q.title}`, `    ${q.query}`]),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await runtime.close();
  }
}
