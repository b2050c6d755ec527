import type { Command } from 'commander';
import { LedgerService, LedgerVerificationError, loadOrCreateSigningKey } from '@radledger/ledger';
import { CliFailure } from '../cli-failure.js';
import { keyOption, openExistingStore, storeOption } from './ledger-cli.options.js';

interface CheckpointOptions {
  store: string;
  key: string;
  origin: string;
}

/** `checkpoint`: verify the ledger, then sign its current tree head and record the checkpoint. */
export function register(program: Command): void {
  program
    .command('checkpoint')
    .description('issue, store and print a signed checkpoint (C2SP signed note) of the current tree head')
    .addOption(storeOption())
    .addOption(keyOption())
    .option('--origin <origin>', 'checkpoint origin line (the log identity)', 'radledger')
    .action(async (options: CheckpointOptions) => {
      const key = loadOrCreateSigningKey(options.key);
      if (key.created) {
        process.stderr.write(
          `warning: created a new signing key ${key.path}; pin its public key to verify checkpoints:\n${key.verifierKey}\n`,
        );
      }
      const store = await openExistingStore(options.store);
      try {
        const ledger = new LedgerService(store, { origin: options.origin });
        // Never sign a ledger that does not verify: the signature would vouch for the damage.
        await ledger.verifyLedger({ verifier: key.signer });
        const { note } = await ledger.issueCheckpoint(key.signer);
        process.stdout.write(note);
      } catch (error) {
        if (error instanceof LedgerVerificationError) {
          throw new CliFailure(`refusing to sign: FAIL at global position ${error.position}: ${error.kind}: ${error.message}`, 1);
        }
        throw error;
      } finally {
        await store.close();
      }
    });
}
