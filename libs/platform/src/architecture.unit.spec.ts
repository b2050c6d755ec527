import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// HOUSE_STYLE: the pure libs import nothing from Nest, the database drivers, onnxruntime or the
// file system. I/O lives in files that say so (`*.adapter.ts`, `*.io.ts`, `adapters/`) and in
// test fixtures (`testing/`, `*.spec.ts`). This test is the rule's enforcement.
const PURE = ['libs/domain/src', 'libs/ledger/src/core', 'libs/radiomics/src', 'libs/dossier/src', 'libs/projections/src/projections', 'libs/interop/src'];
const FORBIDDEN = /from\s+'(@nestjs\/[^']*|pg|better-sqlite3|onnxruntime-node|node:fs|node:fs\/promises|fs|fs\/promises)'/;
const EXEMPT = /(\.spec\.ts|\.adapter\.ts|\.io\.ts)$|\/(adapters|testing)\//;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('pure libs import no framework, driver, runtime or file-system module outside their adapters', () => {
  const offenders = PURE.flatMap(sources)
    .filter((file) => !EXEMPT.test(file))
    .filter((file) => FORBIDDEN.test(readFileSync(file, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('libs are imported through their index only (no deep cross-lib imports outside tests)', () => {
  const deep = /from\s+'@radledger\/[a-z-]+\/|from\s+'(\.\.\/)+(libs|apps)\//;
  const offenders = ['libs', 'apps'].flatMap(sources)
    .filter((file) => !/(\.spec\.ts)$|\/testing\//.test(file))
    .filter((file) => deep.test(readFileSync(file, 'utf8')));
  assert.deepEqual(offenders, []);
});
