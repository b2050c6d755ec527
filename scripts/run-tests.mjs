#!/usr/bin/env node
// Runs every *.spec.ts under apps/ and libs/ with node's test runner, TypeScript loaded
// through @swc-node/register (keeps decorator metadata for Nest DI). Node 20's `--test`
// does not expand globs, so the files are listed here.
// Usage: node scripts/run-tests.mjs [unit|int|e2e|conformance] [path-substring ...]
// The conformance tier (*.conformance.spec.ts: independent DICOM validators from Debian's
// dicom3tools and dcmtk) runs only when asked for: `npm run test:conformance`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const tiers = new Set(['unit', 'int', 'e2e', 'conformance']);
const tier = args.find((a) => tiers.has(a));
const filters = args.filter((a) => !tiers.has(a));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

const files = ['apps', 'libs']
  .flatMap((d) => walk(d, []))
  .filter((f) => (tier ? f.endsWith(`.${tier}.spec.ts`) : !f.endsWith('.conformance.spec.ts')))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--import', '@swc-node/register/esm-register', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
