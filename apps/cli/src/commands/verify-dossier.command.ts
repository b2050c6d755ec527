import type { Command } from 'commander';
import type { VerifyDossierOptions } from './verify-dossier.action.js';
import { publicKeyOption } from './ledger-cli.options.js';
import { policyOption, tsaRootOption } from './witness-cli.options.js';

/** `verify-dossier <bundle>`: the offline verifier; a verdict per check, exit 0 when all pass, 1 otherwise. */
export function register(program: Command): void {
  program
    .command('verify-dossier')
    .description('verify a dossier bundle (directory or .zip) offline: file hashes, signatures, proofs, chain links, lineage')
    .argument('<bundle>', 'dossier directory or .zip file')
    .addOption(publicKeyOption())
    .option('--json', 'print the verdicts as JSON')
    .addOption(policyOption())
    .addOption(tsaRootOption())
    .action(async (bundle: string, options: VerifyDossierOptions) => (await import('./verify-dossier.action.js')).verifyDossierBundle(bundle, options));
}
