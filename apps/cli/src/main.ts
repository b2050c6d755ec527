#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { CliFailure } from './cli-failure.js';

// Each command lives in ./commands/<name>.command.ts and exports `register(program)`, keyed
// here by the command name: only the invoked command's module is loaded (start-up stays fast;
// `--help` and unknown names load them all).
const commandModules: Record<string, () => Promise<{ register(program: Command): void }>> = {
  'features': () => import('./commands/features.command.js'),
  'verify': () => import('./commands/verify.command.js'),
  'checkpoint': () => import('./commands/checkpoint.command.js'),
  'prove': () => import('./commands/prove.command.js'),
  'verify-proof': () => import('./commands/verify-proof.command.js'),
  'demo': () => import('./commands/demo.command.js'),
  'rebuild': () => import('./commands/rebuild.command.js'),
  'dossier': () => import('./commands/dossier.command.js'),
  'verify-dossier': () => import('./commands/verify-dossier.command.js'),
  'user': () => import('./commands/user.command.js'),
  'reproduce': () => import('./commands/reproduce.command.js'),
  'model-diff': () => import('./commands/model-diff.command.js'),
  'record-features': () => import('./commands/record-features.command.js'),
  'export': () => import('./commands/export.command.js'),
  'witness': () => import('./commands/witness.command.js'),
};

async function main(): Promise<void> {
  const program = new Command('radledger')
    .description('RadLedger: provenance and regulatory audit ledger for radiomics')
    .exitOverride();
  const invoked = process.argv[2];
  const loaders = invoked !== undefined && invoked in commandModules ? [commandModules[invoked]!] : Object.values(commandModules);
  for (const load of loaders) (await load()).register(program);
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  if (error instanceof CliFailure) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    process.exit((error as { exitCode?: number }).exitCode ?? 2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error${code ? ` [${code}]` : ''}: ${message}\n`);
  process.exit(2);
});
