import { LedgerService } from '@radledger/ledger';
import { cosignedNote, openCosignatureStore } from '@radledger/witness';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore } from '../cli-runtime.js';
import { parseSize } from './ledger-cli.options.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface ProveOptions extends StoreFlags {
  event?: string;
  treeSize?: string;
  from?: string;
  to?: string;
}

export async function prove(options: ProveOptions): Promise<void> {
  const consistency = options.from !== undefined || options.to !== undefined;
  if (consistency === (options.event !== undefined)) {
    throw new CliFailure('prove needs either --event <id> or both --from <n> and --to <n>', 2);
  }
  if (consistency && (options.from === undefined || options.to === undefined)) {
    throw new CliFailure('a consistency proof needs both --from <n> and --to <n>', 2);
  }
  const treeSize = options.treeSize === undefined ? undefined : parseSize(options.treeSize, '--tree-size');
  const at = resolveLocations(options);
  const store = await openExistingStore(at.store);
  try {
    const ledger = new LedgerService(store);
    const bundle = consistency
      ? await ledger.proveConsistency(parseSize(options.from!, '--from'), parseSize(options.to!, '--to'))
      : await ledger.proveInclusion(options.event!, treeSize);
    // The checkpoints travel with the witnesses' cosignatures, so `verify-proof --policy` can check them offline.
    const beside = at.store.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(at.store);
    const cosignatures = beside ? await openCosignatureStore(at.store, { readOnly: true }) : undefined;
    try {
      const records = cosignatures ? await cosignatures.listCosignatures() : [];
      if ('checkpoint' in bundle && bundle.checkpoint) bundle.checkpoint = cosignedNote(bundle.checkpoint, records);
      if ('checkpoint1' in bundle && bundle.checkpoint1) bundle.checkpoint1 = cosignedNote(bundle.checkpoint1, records);
      if ('checkpoint2' in bundle && bundle.checkpoint2) bundle.checkpoint2 = cosignedNote(bundle.checkpoint2, records);
    } finally {
      await cosignatures?.close();
    }
    process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
  } finally {
    await store.close();
  }
}
