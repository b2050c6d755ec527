#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { CliFailure } from './cli-failure.js';

// Each command lives in ./commands/<name>.command.ts and exports `register(program)`.
const commandModules: Array<() => Promise<{ register(program: Command): void }>> = [
  () => import('./commands/features.command.js'),
  () => import('./commands/verify.command.js'),
  () => import('./commands/checkpoint.command.js'),
  () => import('./commands/prove.command.js'),
  () => import('./commands/verify-proof.command.js'),
  () => import('./commands/demo.command.js'),
  () => import('./commands/rebuild.command.js'),
  () => import('./commands/dossier.command.js'),
  () => import('./commands/verify-dossier.command.js'),
  () => import('./commands/user.command.js'),
];

async function main(): Promise<void> {
  const program = new Command('radledger')
    .description('RadLedger: provenance and regulatory audit ledger for radiomics')
    .exitOverride();
  for (const load of commandModules) (await load()).register(program);
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
