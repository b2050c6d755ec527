import { closeSync, createReadStream, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Zip, ZipDeflate, unzipSync } from 'fflate';
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
