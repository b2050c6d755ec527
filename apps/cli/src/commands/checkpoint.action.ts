import { LedgerService, LedgerVerificationError, loadOrCreateSigningKey } from '@radledger/ledger';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface CheckpointOptions extends StoreFlags {
  origin: string;
}

export async function checkpoint(options: CheckpointOptions): Promise<void> {
  const at = resolveLocations(options);
  const key = loadOrCreateSigningKey(at.signingKeyPath);
  if (key.created) {
    process.stderr.write(`warning: created a new signing key ${key.path}; pin its public key to verify checkpoints:\n${key.verifierKey}\n`);
  }
  const store = await openExistingStore(at.store);
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
}
