import { createHash } from 'node:crypto';
import { InvalidSha256Error } from './artifact.errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/**
 * Refuses anything but 64 lowercase hex digits before it is used to build a path, so no
 * argument can name `..`, a separator or another file (no path traversal by construction).
 */
export function assertSha256Hex(value: unknown, field = 'sha256'): asserts value is string {
  if (!isSha256Hex(value)) throw new InvalidSha256Error(field, value);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
