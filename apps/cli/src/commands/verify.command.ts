import type { Command } from 'commander';
import type { VerifyOptions } from './verify.action.js';
import { publicKeyOption } from './ledger-cli.options.js';
import { addStoreOptions } from './store-cli.options.js';
import { policyOption, tsaRootOption } from './witness-cli.options.js';

/**
 * `verify`: recompute every leaf hash, link, position and the Merkle root from the stored
 * bytes, and check every stored checkpoint's root and signature against the pinned key (else
 * the public half of the data dir's signing key). With `--policy`, the witnesses' cosignatures
 * must verify, agree with the ledger's roots and meet the quorum on the newest checkpoint; with
 * `--tsa-root`, every stored RFC 3161 timestamp token must verify.
 */
export function register(program: Command): void {
  const verify = program
    .command('verify')
    .description('verify the whole ledger: hashes, chain, Merkle root, checkpoint signatures (and witness cosignatures with --policy)');
  addStoreOptions(verify, { key: 'shown', keyHelp: 'without --public-key or --policy, checkpoints are checked with the public half of this signing key (default: <data-dir>/signing-key.pem)' })
    .addOption(publicKeyOption())
    .addOption(policyOption())
    .addOption(tsaRootOption())
    .action(async (options: VerifyOptions) => (await import('./verify.action.js')).verify(options));
}
