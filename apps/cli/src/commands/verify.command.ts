import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LedgerService, LedgerVerificationError, loadSigningKey, type CheckpointVerifier } from '@radledger/ledger';
import { CliFailure } from '../cli-failure.js';
import { keyOption, openExistingStore, parsePublicKey, publicKeyOption, storeOption } from './ledger-cli.options.js';

interface VerifyOptions {
  store: string;
  publicKey?: string;
  key: string;
}

/**
 * `verify`: recompute every leaf hash, link, position and the Merkle root from the stored
 * bytes, and check every stored checkpoint's root and signature against the pinned key.
 */
export function register(program: Command): void {
  program
    .command('verify')
    .description('verify the whole ledger: hashes, chain, Merkle root, checkpoint signatures')
    .addOption(storeOption())
    .addOption(publicKeyOption())
    .addOption(keyOption().hideHelp())
    .action(async (options: VerifyOptions) => {
      const store = await openExistingStore(options.store);
      try {
        let verifier: CheckpointVerifier | undefined = parsePublicKey(options.publicKey);
        // Without a pinned key, the operator's own signing key (if present) stands in.
        if (!verifier && existsSync(options.key)) verifier = loadSigningKey(options.key).signer;
        const report = await new LedgerService(store).verifyLedger({ verifier });
        process.stdout.write(`OK ${report.size} events, root ${report.rootHash}\n`);
        if (report.checkpointsStored > 0 && !verifier) {
          process.stderr.write(`warning: ${report.checkpointsStored} stored checkpoints not checked: pass --public-key\n`);
        } else if (report.checkpointsVerified > 0) {
          process.stdout.write(`${report.checkpointsVerified} checkpoints verified\n`);
        }
      } catch (error) {
        if (error instanceof LedgerVerificationError) {
          throw new CliFailure(`FAIL at global position ${error.position}: ${error.kind}: ${error.message}`, 1);
        }
        throw error;
      } finally {
        await store.close();
      }
    });
}
