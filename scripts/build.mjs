#!/usr/bin/env node
// Fast production build: every apps/ and libs/ TypeScript file (tests excluded) is compiled by
// @swc/core to dist/, keeping decorator metadata (Nest DI) and rewriting the @radledger/*
// path aliases to relative imports. Type checking is `npm run typecheck` (part of npm test);
// `npm run build:tsc` is the slower, type-checked build with the same output layout.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { transform } from '@swc/core';
import { buildConsole } from './build-console.mjs';

const root = process.cwd();
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, join(root, target.replace(/\.ts$/, '.js'))]),
);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // apps/console is a browser app: Vite builds it (build-console.mjs), not this server build.
      if (name !== 'node_modules' && path !== join(root, 'apps', 'console')) walk(path, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = ['apps', 'libs'].flatMap((d) => walk(join(root, d), []));
const started = Date.now();
await Promise.all(
  files.map(async (file) => {
    const source = readFileSync(file, 'utf8');
    const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transform(source, {
      filename: file,
      sourceMaps: true,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'es6' },
    });
    const rewritten = code.replace(/(from\s+|import\s*\(\s*)(['"])(@radledger\/[a-z-]+)\2/g, (whole, lead, quote, name) => {
      const target = aliases[name];
      if (!target) return whole;
      let rel = relative(dirname(file), target).split(sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lead}${quote}${rel}${quote}`;
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${rewritten}\n//# sourceMappingURL=${out.split(sep).pop()}.map\n`);
    writeFileSync(`${out}.map`, map ?? '');
  }),
);
console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
const web = await buildConsole();
console.log(web.built ? `built the web console into dist/console in ${web.ms} ms` : 'web console up to date (dist/console)');
