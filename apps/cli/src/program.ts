import { Command } from 'commander';
import * as checkpoint from './commands/checkpoint.command.js';
import * as demo from './commands/demo.command.js';
import * as dossier from './commands/dossier.command.js';
import * as exportCommand from './commands/export.command.js';
import * as features from './commands/features.command.js';
import * as modelDiff from './commands/model-diff.command.js';
import * as prove from './commands/prove.command.js';
import * as rebuild from './commands/rebuild.command.js';
import * as recordFeatures from './commands/record-features.command.js';
import * as reproduce from './commands/reproduce.command.js';
import * as user from './commands/user.command.js';
import * as verifyDossier from './commands/verify-dossier.command.js';
import * as verifyProof from './commands/verify-proof.command.js';
import * as verify from './commands/verify.command.js';
import * as witness from './commands/witness.command.js';

/**
 * The `radledger` program. Each command is declared in ./commands/<name>.command.ts (options
 * and help, loading nothing but commander) and does its work in ./commands/<name>.action.ts,
 * imported when the command runs: `--help` and argument errors never load the ledger,
 * the radiomics code, Nest or onnxruntime.
 */
export function buildProgram(): Command {
  const program = new Command('radledger').description('RadLedger: provenance and regulatory audit ledger for radiomics').exitOverride();
  for (const command of [features, verify, checkpoint, prove, verifyProof, demo, rebuild, dossier, verifyDossier, user, reproduce, modelDiff, recordFeatures, exportCommand, witness]) {
    command.register(program);
  }
  return program;
}
