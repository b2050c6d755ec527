import type { Command } from 'commander';
import type { DossierOptions } from './dossier.action.js';
import { addStoreOptions } from './store-cli.options.js';
import { policyOption } from './witness-cli.options.js';

/** `dossier`: export the regulatory dossier of a trial (optionally one model version) to a directory or a .zip. */
export function register(program: Command): void {
  const dossier = program
    .command('dossier')
    .description('export a verifiable regulatory dossier (events + proofs, PROV, model lock, reproducibility, checklists, report)')
    .requiredOption('--trial <id>', 'trial whose decisions the dossier covers')
    .option('--model-version <version>', 'only decisions by this model version: <version>, <modelId>@<version>')
    .requiredOption('--out <path>', 'a new directory, or a file ending in .zip');
  addStoreOptions(dossier, { key: 'shown', keyHelp: 'Ed25519 checkpoint signing key (default: <data-dir>/signing-key.pem); artifacts for re-computation are read from <data-dir>/artifacts' })
    .option('--origin <origin>', 'checkpoint origin line (the log identity)', 'radledger')
    .option('--no-reproduce', 'do not re-compute feature sets and decisions (reproducibility.json then says why)')
    .option('--no-training-lineage', "do not walk the model versions' training data lineage")
    .addOption(policyOption())
    .action(async (options: DossierOptions) => (await import('./dossier.action.js')).dossier(options));
}
