#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those whose path contains one of the argv filters), each
// in its own Node process with TypeScript loaded through @swc-node/register, by importing
// the file and awaiting its exported `run()`.
// Usage: npm run bench [-- <filter> ...] [--save <file.json>] [--compare <file.json>]
//   e.g. npm run bench -- ledger
//   --save     writes every number the benches printed (scripts/bench-metrics.mjs) to a file;
//   --compare  compares this run's numbers with such a file and lists changes beyond ±10%
//              (a bench on a shared 2-core machine varies: compare runs made side by side).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { compareMetrics, metricsOf, printComparison } from './bench-metrics.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) {
    console.error(`run-bench: ${name} needs a file name`);
    process.exit(2);
  }
  args.splice(i, 2);
  return value;
};
const saveTo = option('--save');
const compareWith = option('--compare');
const before = compareWith ? JSON.parse(readFileSync(compareWith, 'utf8')) : undefined;
const filters = args;
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => join('bench', name))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`run-bench: no bench/*.bench.ts matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

/** Runs one bench, its output passed through as it comes and kept. */
function runBench(file) {
  const url = pathToFileURL(resolve(file)).href;
  const script = `const m = await import(${JSON.stringify(url)});
if (typeof m.run !== 'function') throw new Error(${JSON.stringify(`${file} exports no run()`)});
await m.run();`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--import', '@swc-node/register/esm-register', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (status) => done({ status, output }));
  });
}

let failed = 0;
const metrics = {};
for (const file of files) {
  console.log(`\n=== ${file}`);
  const started = Date.now();
  const { status, output } = await runBench(file);
  console.log(`=== ${file}: ${status === 0 ? 'done' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 0) failed += 1;
  Object.assign(metrics, metricsOf(file.replace(/^bench\/|\.bench\.ts$/g, ''), output));
}
if (saveTo) {
  writeFileSync(saveTo, `${JSON.stringify(metrics, null, 1)}\n`);
  console.log(`\n=== ${Object.keys(metrics).length} numbers saved to ${saveTo}`);
}
if (before) printComparison(compareMetrics(before, metrics));
process.exit(failed === 0 ? 0 : 1);
