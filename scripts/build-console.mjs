#!/usr/bin/env node
// Builds the web console and the development GraphiQL page (apps/console, React + Vite) into
// dist/console, which the API serves at / and /graphiql. Skipped when nothing it is built from
// changed since the last build (a sha256 over the sources, the Vite config and the lock file is
// kept in dist/console/.build-stamp), so `npm start` stays fast after the first build.
// Usage: node scripts/build-console.mjs [--force]; also imported by scripts/build.mjs and the tests.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = join(root, 'apps', 'console');
const out = join(root, 'dist', 'console');
const stampFile = join(out, '.build-stamp');

function walk(dir, files) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (!name.endsWith('.spec.ts')) files.push(path);
  }
  return files;
}

function sourceStamp() {
  const hash = createHash('sha256');
  const files = [...walk(join(app, 'src'), []), join(app, 'index.html'), join(app, 'graphiql.html'), join(app, 'vite.config.ts'), join(root, 'package-lock.json')].sort();
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Builds when the sources changed; answers what it did. */
export async function buildConsole({ force = false } = {}) {
  const stamp = sourceStamp();
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(out, 'index.html'))) {
    return { built: false, ms: 0, out };
  }
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(app, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, stamp);
  return { built: true, ms: Date.now() - started, out };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildConsole({ force: process.argv.includes('--force') });
  console.log(result.built ? `built the web console into dist/console in ${result.ms} ms` : 'web console up to date (dist/console)');
}
