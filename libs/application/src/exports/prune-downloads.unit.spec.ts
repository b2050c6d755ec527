import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pruneDossiers, pruneExports } from './prune-downloads.js';

const root = mkdtempSync(join(tmpdir(), 'radledger-prune-'));
after(() => rmSync(root, { recursive: true, force: true }));

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const CUTOFF = NOW - 75 * 60 * 1000;
const OLD = new Date(CUTOFF - 60_000);
const sha = (c: string) => c.repeat(64);

function file(path: string, content: string, at: Date): void {
  writeFileSync(path, content);
  utimesSync(path, at, at);
}

test('expired export manifests go, with the blobs only they named; live ones, fresh blobs and other files stay', () => {
  const dir = join(root, 'exports');
  mkdirSync(join(dir, 'sha256'), { recursive: true });
  const manifest = (id: string, createdAt: Date, shas: string[]) =>
    file(join(dir, `${id}.json`), JSON.stringify({ exportId: id, createdAt: createdAt.toISOString(), files: shas.map((s) => ({ sha256: s })) }), new Date(NOW));
  manifest('expired', OLD, [sha('a'), sha('s')]);
  manifest('live', new Date(NOW - 60_000), [sha('b'), sha('s')]);
  file(join(dir, 'garbled.json'), '{ not json', OLD);
  for (const [name, at] of [[sha('a'), OLD], [sha('b'), OLD], [sha('s'), OLD], [sha('c'), OLD], [sha('d'), new Date(NOW)], [`${sha('e')}.x.partial`, OLD]] as const) file(join(dir, 'sha256', name), name, at);
  const removed = pruneExports(dir, CUTOFF);
  assert.deepEqual(removed, { manifests: 2, blobs: 3 });
  assert.deepEqual(readdirSync(dir).sort(), ['live.json', 'sha256']);
  // b and s: named by the live export; d: written since the cutoff (a save in flight elsewhere).
  assert.deepEqual(readdirSync(join(dir, 'sha256')).sort(), [sha('b'), sha('d'), sha('s')].sort());
});

test('dossier bundles older than the cutoff go; newer ones and other files stay; a missing directory is nothing to do', () => {
  const dir = join(root, 'dossiers');
  mkdirSync(dir);
  file(join(dir, 'T1-old.zip'), 'zip', OLD);
  file(join(dir, 'T1-new.zip'), 'zip', new Date(NOW));
  file(join(dir, 'notes.txt'), 'keep', OLD);
  assert.equal(pruneDossiers(dir, CUTOFF), 1);
  assert.deepEqual(readdirSync(dir).sort(), ['T1-new.zip', 'notes.txt']);
  assert.equal(pruneDossiers(join(root, 'absent'), CUTOFF), 0);
  assert.deepEqual(pruneExports(join(root, 'absent'), CUTOFF), { manifests: 0, blobs: 0 });
  assert.equal(existsSync(join(root, 'absent')), false);
});
