import { createHash, type Hash } from 'node:crypto';
import type { BundleFileWriter } from './bundle-sink.port.js';

const FLUSH_BYTES = 1 << 20;

/** Buffers text into ~1 MB writes and hashes exactly the bytes written (manifest sha256). */
export class HashingWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly out: BundleFileWriter) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_BYTES) await this.flush();
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    this.hash.update(bytes);
    this.bytes += bytes.length;
    await this.out.write(bytes);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    await this.out.write(buf);
  }

  async close(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    await this.out.close();
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
