import type { Command } from 'commander';
import { LedgerService } from '@radledger/ledger';
import { cosignedNote, openCosignatureStore } from '@radledger/witness';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore, parseSize, storeOption } from './ledger-cli.options.js';

interface ProveOptions {
  store: string;
  event?: string;
  treeSize?: string;
  from?: string;
  to?: string;
}

/** `prove`: an inclusion proof for one event, or a consistency proof between two tree sizes, as JSON. */
export function register(program: Command): void {
  program
    .command('prove')
    .description('print an inclusion proof (--event) or a consistency proof (--from/--to) as JSON')
    .addOption(storeOption())
    .option('--event <eventId>', 'event to prove included')
    .option('--tree-size <n>', 'tree size for the inclusion proof (default: latest checkpoint covering it, else the head)')
    .option('--from <n>', 'older tree size of a consistency proof')
    .option('--to <n>', 'newer tree size of a consistency proof')
    .action(async (options: ProveOptions) => {
      const consistency = options.from !== undefined || options.to !== undefined;
      if (consistency === (options.event !== undefined)) {
        throw new CliFailure('prove needs either --event <id> or both --from <n> and --to <n>', 2);
      }
      if (consistency && (options.from === undefined || options.to === undefined)) {
        throw new CliFailure('a consistency proof needs both --from <n> and --to <n>', 2);
      }
      const treeSize = options.treeSize === undefined ? undefined : parseSize(options.treeSize, '--tree-size');
      const store = await openExistingStore(options.store);
      try {
        const ledger = new LedgerService(store);
        const bundle = consistency
          ? await ledger.proveConsistency(parseSize(options.from!, '--from'), parseSize(options.to!, '--to'))
          : await ledger.proveInclusion(options.event!, treeSize);
        // The checkpoints travel with the witnesses' cosignatures, so `verify-proof --policy` can check them offline.
        const beside = options.store.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(options.store);
        const cosignatures = beside ? await openCosignatureStore(options.store, { readOnly: true }) : undefined;
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
    });
}
