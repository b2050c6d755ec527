import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DomainError } from '@radledger/platform';
import { FileSystemArtifactStore } from '@radledger/artifacts';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('FileSystemArtifactStore on a real directory', () => {
  let root: string;
  let store: FileSystemArtifactStore;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'radledger-artifacts-'));
    store = new FileSystemArtifactStore(root, { maxBytes: 64 * 1024 });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('put answers the sha256 and stores under <root>/sha256/<aa>/<hash>', async () => {
    const bytes = Buffer.from('NIfTI-1 pretend image bytes');
    const stored = await store.put(bytes);
    assert.deepEqual(stored, { sha256: sha(bytes), size: bytes.length, created: true });
    const path = join(root, 'sha256', stored.sha256.slice(0, 2), stored.sha256);
    assert.equal(store.path(stored.sha256), path);
    assert.deepEqual(await readFile(path), bytes);
    assert.deepEqual(await store.get(stored.sha256), bytes);
    assert.equal(await store.has(stored.sha256), true);
  });

  test('the same bytes twice are stored once', async () => {
    const bytes = randomBytes(1000);
    const first = await store.put(bytes);
    const second = await store.put(Buffer.from(bytes));
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.sha256, first.sha256);
    const copies = (await filesUnder(root)).filter((f) => f.endsWith(first.sha256));
    assert.equal(copies.length, 1);
  });

  test('a stream is hashed and stored like the same buffer', async () => {
    const bytes = randomBytes(20_000);
    const stored = await store.put(chunksOf(bytes, 777));
    assert.deepEqual(stored, { sha256: sha(bytes), size: bytes.length, created: true });
    assert.deepEqual(await store.get(stored.sha256), bytes);
    assert.equal((await store.put(bytes)).created, false);
  });

  test('concurrent puts of the same bytes leave one intact copy and exactly one creator', async () => {
    const bytes = randomBytes(30_000);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? store.put(bytes) : store.put(chunksOf(bytes, 4096)))),
    );
    assert.ok(results.every((r) => r.sha256 === sha(bytes)));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.deepEqual(await store.get(sha(bytes)), bytes);
    const files = await filesUnder(root);
    assert.equal(files.filter((f) => f.endsWith(sha(bytes))).length, 1);
    assert.deepEqual(files.filter((f) => f.includes('.tmp-') || f.includes(`${join(root, 'tmp')}/`)), []);
  });

  test('content over the limit is refused with ARTIFACT_TOO_LARGE and nothing is stored', async () => {
    const bytes = randomBytes(64 * 1024 + 1);
    const before = await filesUnder(root);
    await rejectsWithCode(store.put(bytes), 'ARTIFACT_TOO_LARGE');
    await rejectsWithCode(store.put(chunksOf(bytes, 10_000)), 'ARTIFACT_TOO_LARGE');
    const small = randomBytes(200);
    const error = await rejectsWithCode(store.put(small, { maxBytes: 100 }), 'ARTIFACT_TOO_LARGE');
    assert.match(error.message, /at most 100 bytes/);
    assert.deepEqual(await filesUnder(root), before);
    assert.equal(await store.has(sha(bytes)), false);
  });

  test('an unknown hash is NOT_FOUND', async () => {
    const unknown = sha(Buffer.from('never stored'));
    await rejectsWithCode(store.get(unknown), 'NOT_FOUND');
    await rejectsWithCode(store.stat(unknown), 'NOT_FOUND');
    assert.equal(await store.has(unknown), false);
  });

  test('any sha256 argument that is not 64 lowercase hex is VALIDATION_FAILED, never a path', async () => {
    const stored = await store.put(Buffer.from('target'));
    const bad = ['../../etc/passwd', stored.sha256.toUpperCase(), stored.sha256.slice(1), `${stored.sha256}/..`, '', `../${stored.sha256.slice(3)}`];
    for (const value of bad) {
      const error = await rejectsWithCode(store.get(value), 'VALIDATION_FAILED');
      assert.match(error.message, /sha256/);
      await rejectsWithCode(store.has(value), 'VALIDATION_FAILED');
      assert.throws(() => store.path(value), (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED');
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 70 }), async (value) => {
        fc.pre(!/^[0-9a-f]{64}$/.test(value));
        await rejectsWithCode(store.get(value), 'VALIDATION_FAILED');
      }),
      { numRuns: 200 },
    );
  });

  test('a corrupted file is detected on read with ARTIFACT_CORRUPT naming both hashes', async () => {
    const bytes = randomBytes(5000);
    const stored = await store.put(bytes);
    const path = store.path(stored.sha256);
    const altered = Buffer.from(bytes);
    altered[1234] ^= 0x01;
    await chmod(path, 0o644);
    await writeFile(path, altered);
    const error = await rejectsWithCode(store.get(stored.sha256), 'ARTIFACT_CORRUPT');
    assert.equal(error.details.expectedSha256, stored.sha256);
    assert.equal(error.details.computedSha256, sha(altered));
    // Putting the genuine bytes again repairs the stored copy.
    assert.equal((await store.put(bytes)).created, true);
    assert.deepEqual(await store.get(stored.sha256), bytes);
  });

  test('stored files are read-only and stat tokens change when the file is replaced', async () => {
    const bytes = randomBytes(300);
    const stored = await store.put(bytes);
    const path = store.path(stored.sha256);
    assert.equal((await stat(path)).mode & 0o777, 0o444);
    const before = await store.stat(stored.sha256);
    assert.equal(before.size, 300);
    await rm(path);
    await store.put(bytes);
    const after = await store.stat(stored.sha256);
    assert.notEqual(after.token, before.token);
  });
});
