import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, relative, sep } from 'node:path';
import type { BundleFileWriter, BundleReader, BundleSink } from '../bundle-sink.port.js';
import { DossierError } from '../dossier.errors.js';

/** Writes the bundle's files into a directory (created; must be empty or absent). */
export class DirectoryBundleSink implements BundleSink {
  private readonly written = new Set<string>();

  constructor(readonly dir: string) {
    if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
      throw new DossierError('DOSSIER_OUT_INVALID', `--out ${dir} must be an empty or new directory, or end in .zip`, { out: dir });
    }
    mkdirSync(dir, { recursive: true });
  }

  open(name: string): BundleFileWriter {
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    this.written.add(name);
    const stream = createWriteStream(path);
    return {
      async write(bytes) {
        // Respect backpressure: bounded memory while streaming events.ndjson.
        if (!stream.write(bytes)) await once(stream, 'drain');
      },
      async close() {
        stream.end();
        await once(stream, 'close');
      },
    };
  }

  async *read(name: string): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(join(this.dir, name))) yield chunk as Buffer;
  }

  async remove(name: string): Promise<void> {
    this.written.delete(name);
    rmSync(join(this.dir, name), { force: true });
  }

  async finish(): Promise<{ location: string }> {
    return { location: this.dir };
  }

  async abort(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Reads a bundle directory, streaming each file. */
export class DirectoryBundleReader implements BundleReader {
  constructor(readonly dir: string) {}

  async list(): Promise<string[]> {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else out.push(relative(this.dir, path).split(sep).join('/'));
      }
    };
    walk(this.dir);
    return out.sort();
  }

  chunks(name: string): AsyncIterable<Uint8Array> | undefined {
    const path = join(this.dir, name);
    if (!existsSync(path)) return undefined;
    return (async function* () {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    })();
  }
}
