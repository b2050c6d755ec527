#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those whose path contains one of the argv filters), each
// in its own Node process with TypeScript loaded through @swc-node/register, by importing
// the file and awaiting its exported `run()`.
// Usage: npm run bench [-- <filter> ...]    e.g. npm run bench -- ledger
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => join('bench', name))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`run-bench: no bench/*.bench.ts matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const url = pathToFileURL(resolve(file)).href;
  const script = `const m = await import(${JSON.stringify(url)});
if (typeof m.run !== 'function') throw new Error(${JSON.stringify(`${file} exports no run()`)});
await m.run();`;
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--import', '@swc-node/register/esm-register', '--input-type=module', '-e', script],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } },
  );
  console.log(`=== ${file}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
