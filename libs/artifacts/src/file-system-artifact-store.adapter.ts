import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NotFoundError } from '@radledger/platform';
import type {
  ArtifactContent,
  ArtifactFileStat,
  ArtifactStore,
  PutArtifactOptions,
  StoredArtifact,
} from './artifact-store.port.js';
import { ArtifactCorruptError, ArtifactTooLargeError } from './artifact.errors.js';
import { assertSha256Hex, sha256Hex } from './sha256.js';

export interface FileSystemArtifactStoreOptions {
  /** Store-wide size limit in bytes; a `put` may lower it. Default 1 GiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** Stored artifacts are immutable: read-only files make an accidental in-place edit fail. */
const STORED_FILE_MODE = 0o444;

/**
 * Content-addressed artifact store on a local filesystem:
 * `<root>/sha256/<first two hex digits>/<full sha256>`.
 *
 * Writes are atomic and durable: the bytes go to a temporary file on the same filesystem,
 * which is fsync'ed, then published under its final name with `link` (exclusive, so of two
 * concurrent writers of the same bytes exactly one creates the file) and the directory is
 * fsync'ed. A reader therefore sees either no file or the whole file, never a partial one.
 * A whole buffer's temporary file sits in its final directory; a stream's sits in
 * `<root>/tmp` because its hash, and so its directory, is known only at its end.
 */
export class FileSystemArtifactStore implements ArtifactStore {
  readonly rootDir: string;
  private readonly maxBytes: number;

  constructor(rootDir: string, options: FileSystemArtifactStoreOptions = {}) {
    this.rootDir = resolve(rootDir);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  path(sha256: string): string {
    assertSha256Hex(sha256);
    return join(this.rootDir, 'sha256', sha256.slice(0, 2), sha256);
  }

  async put(content: ArtifactContent, options: PutArtifactOptions = {}): Promise<StoredArtifact> {
    const limit = Math.min(options.maxBytes ?? this.maxBytes, this.maxBytes);
    if (content instanceof Uint8Array) return this.putBuffer(content, limit);
    return this.putStream(content, limit);
  }

  async get(sha256: string): Promise<Buffer> {
    const path = this.path(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw notFound(sha256);
      throw error;
    }
    const computed = sha256Hex(bytes);
    if (computed !== sha256) throw new ArtifactCorruptError(sha256, computed, path);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.path(sha256))).isFile();
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /**
   * Synchronous `stat` on purpose: this runs before every cached model decision, and a local
   * stat syscall takes a few µs while the libuv thread-pool round trip of `fs.promises.stat`
   * adds tens of µs, more than running a small model. (On a network filesystem, reconsider.)
   */
  async stat(sha256: string): Promise<ArtifactFileStat> {
    const path = this.path(sha256);
    try {
      const s = statSync(path, { bigint: true });
      return {
        size: Number(s.size),
        token: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`,
        changedAtMs: Number(s.ctimeMs),
      };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw notFound(sha256);
      throw error;
    }
  }

  private async putBuffer(bytes: Uint8Array, limit: number): Promise<StoredArtifact> {
    if (bytes.byteLength > limit) throw new ArtifactTooLargeError(limit, bytes.byteLength);
    const sha256 = sha256Hex(bytes);
    const dir = dirname(this.path(sha256));
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.tmp-${randomUUID()}`);
    try {
      const handle = await open(temp, 'wx', STORED_FILE_MODE);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return await this.publish(temp, sha256, bytes.byteLength);
    } finally {
      await rm(temp, { force: true });
    }
  }

  private async putStream(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<StoredArtifact> {
    const tempDir = join(this.rootDir, 'tmp');
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, randomUUID());
    try {
      const hash = createHash('sha256');
      let size = 0;
      const handle = await open(temp, 'wx', STORED_FILE_MODE);
      try {
        for await (const chunk of chunks) {
          size += chunk.byteLength;
          // Checked before writing, so an oversized upload never lands on disk past the limit.
          if (size > limit) throw new ArtifactTooLargeError(limit, size);
          hash.update(chunk);
          await handle.write(chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      await mkdir(dirname(this.path(sha256)), { recursive: true });
      return await this.publish(temp, sha256, size);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Gives the fsync'ed temporary file its content address; the caller removes `temp`. */
  private async publish(temp: string, sha256: string, size: number): Promise<StoredArtifact> {
    const target = this.path(sha256);
    try {
      await link(temp, target);
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
      if (await this.holdsExactly(target, sha256)) return { sha256, size, created: false };
      // The stored copy is damaged: replace it atomically with the verified new bytes.
      await rename(temp, target);
    }
    await fsyncDirectory(dirname(target));
    return { sha256, size, created: true };
  }

  private async holdsExactly(path: string, sha256: string): Promise<boolean> {
    try {
      return sha256Hex(await readFile(path)) === sha256;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // POSIX: a new directory entry is durable only once the directory itself is synced.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function notFound(sha256: string): NotFoundError {
  return new NotFoundError(`artifact ${sha256}: nothing is stored under this sha256`, { sha256 });
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
