#!/usr/bin/env node
import 'reflect-metadata';
import { CliFailure } from './cli-failure.js';
import { buildProgram } from './program.js';

async function main(): Promise<void> {
  await buildProgram().parseAsync(process.argv);
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
