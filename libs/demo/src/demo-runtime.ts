import { join } from 'node:path';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { CommandService, createEventValidator } from '@radledger/domain';
import { openEventStore, type LedgerStore } from '@radledger/ledger';
import { inspectModel, LockedModelRunner, OnnxPredictor } from '@radledger/inference';
import { systemClock, uuidV7IdGenerator, type Clock } from '@radledger/platform';
import { extractFeatures } from '@radledger/radiomics';
import { ArtifactMaskSource } from './artifact-mask-source.adapter.js';
import type { DemoTrialDeps } from './scenario/load-demo-trial.js';

export interface DemoRuntimeOptions {
  /** Ledger URL, e.g. `sqlite:./data/radledger.db` or `postgres://…`. */
  storeUrl: string;
  /** Artifacts go to `<dataDir>/artifacts`. */
  dataDir: string;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface DemoRuntime extends DemoTrialDeps {
  eventStore: LedgerStore;
  close(): Promise<void>;
}

/**
 * Wires the real parts for a stand-alone demo load (CLI, tests): the ledger named by the
 * URL with schema validation, the filesystem artifact store, the CommandService with a
 * mask source over the artifact store, IBSI extraction and the locked-model runner.
 * A host that already has these (apps/api) passes its own to `loadDemoTrial` instead.
 */
export async function openDemoRuntime(options: DemoRuntimeOptions): Promise<DemoRuntime> {
  const validator = createEventValidator();
  const eventStore = await openEventStore(options.storeUrl, { validator });
  const artifactStore = new FileSystemArtifactStore(join(options.dataDir, 'artifacts'));
  const commandService = new CommandService({
    store: eventStore,
    clock: options.clock ?? systemClock,
    ids: uuidV7IdGenerator,
    masks: new ArtifactMaskSource(artifactStore),
    validator,
  });
  const modelRunner = new LockedModelRunner({ artifactStore, predictor: new OnnxPredictor() });
  return {
    commandService,
    eventStore,
    artifactStore,
    extractFeatures: (image, mask, settings) => extractFeatures(image, mask, settings),
    modelRunner,
    inspectModel,
    log: options.log,
    async close() {
      await modelRunner.close();
      await eventStore.close();
    },
  };
}
