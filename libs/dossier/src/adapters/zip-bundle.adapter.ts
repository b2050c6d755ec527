import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Unzip, UnzipInflate, Zip, ZipDeflate, unzipSync } from 'fflate';
import type { BundleFileWriter, BundleReader, BundleSink } from '../bundle-sink.port.js';
import { DossierError } from '../dossier.errors.js';
import { DirectoryBundleSink } from './directory-bundle.adapter.js';

/**
 * Writes the files into a staging directory, then streams them one by one through fflate's
 * deflate into `<out>.partial` and renames it to `out`: memory stays bounded by one chunk.
 */
export class ZipBundleSink implements BundleSink {
  private readonly staging: DirectoryBundleSink;
  private readonly stagingDir: string;

  constructor(readonly out: string, private readonly level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6) {
    this.stagingDir = mkdtempSync(join(tmpdir(), 'radledger-dossier-'));
    this.staging = new DirectoryBundleSink(join(this.stagingDir, 'bundle'));
  }

  open(name: string): BundleFileWriter {
    return this.staging.open(name);
  }

  read(name: string): AsyncIterable<Uint8Array> {
    return this.staging.read(name);
  }

  remove(name: string): Promise<void> {
    return this.staging.remove(name);
  }

  async finish(): Promise<{ location: string }> {
    const partial = join(dirname(this.out), `.${basename(this.out)}.partial`);
    const fd = openSync(partial, 'w');
    try {
      let failure: Error | null = null;
      const zip = new Zip((error, chunk) => {
        if (error) failure = error;
        else writeSync(fd, chunk);
      });
      const dir = this.staging.dir;
      for (const name of readdirSync(dir).sort()) {
        const entry = new ZipDeflate(name, { level: this.level });
        zip.add(entry);
        for await (const chunk of createReadStream(join(dir, name), { highWaterMark: 1 << 20 })) entry.push(chunk as Buffer);
        entry.push(new Uint8Array(0), true);
        if (failure) throw failure;
      }
      zip.end();
      if (failure) throw failure;
    } finally {
      closeSync(fd);
    }
    renameSync(partial, this.out);
    rmSync(this.stagingDir, { recursive: true, force: true });
    return { location: this.out };
  }

  async abort(): Promise<void> {
    rmSync(this.stagingDir, { recursive: true, force: true });
  }
}

/** Reads a zipped bundle held in memory (the bytes an auditor was given). */
export class ZipBundleReader implements BundleReader {
  private readonly files: Record<string, Uint8Array>;

  constructor(bytes: Uint8Array) {
    try {
      this.files = unzipSync(bytes);
    } catch (error) {
      throw new DossierError('DOSSIER_BUNDLE_UNREADABLE', `the bundle is not a readable zip file: ${(error as Error).message}`);
    }
  }

  async list(): Promise<string[]> {
    return Object.keys(this.files).filter((n) => !n.endsWith('/')).sort();
  }

  chunks(name: string): AsyncIterable<Uint8Array> | undefined {
    const bytes = this.files[name];
    if (!bytes) return undefined;
    return (async function* () {
      for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
    })();
  }
}

/**
 * Streams a zip file's entries into `dir` (fflate's streaming Unzip: one chunk in memory at a
 * time), so a multi-gigabyte bundle is verified from disk rather than unpacked in memory.
 * Entry names that would leave `dir` are refused.
 */
export async function extractZipToDirectory(zipPath: string, dir: string): Promise<void> {
  let failure: Error | undefined;
  const open = new Set<number>();
  const unzip = new Unzip((file) => {
    if (file.name.endsWith('/')) return;
    if (file.name.startsWith('/') || file.name.includes('\\') || file.name.split('/').includes('..')) {
      failure ??= new DossierError('DOSSIER_BUNDLE_UNREADABLE', `zip entry ${JSON.stringify(file.name)} points outside the bundle`);
      return;
    }
    const path = join(dir, file.name);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'w');
    open.add(fd);
    file.ondata = (error, chunk, final) => {
      if (error) failure ??= error;
      else writeSync(fd, chunk);
      if (final || error) {
        closeSync(fd);
        open.delete(fd);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: 1 << 20 })) unzip.push(chunk as Buffer);
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    failure ??= error as Error;
  } finally {
    for (const fd of open) closeSync(fd);
  }
  if (failure) {
    throw failure instanceof DossierError ? failure : new DossierError('DOSSIER_BUNDLE_UNREADABLE', `the bundle is not a readable zip file: ${failure.message}`);
  }
}
