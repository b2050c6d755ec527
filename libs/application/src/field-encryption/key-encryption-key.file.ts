import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ValidationError } from '@radledger/platform';

export interface LoadedKeyEncryptionKey {
  key: Buffer;
  path: string;
  /** True when the file did not exist and a new key was written (callers warn: back it up, or every sealed text is lost). */
  created: boolean;
}

/**
 * The master key that wraps every subject key (AES-256, 32 random bytes, base64 in the file).
 * Created like the checkpoint signing key: mode 0600, never overwriting a file that appears meanwhile.
 */
export function loadOrCreateKeyEncryptionKey(path: string): LoadedKeyEncryptionKey {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ValidationError('KEY_ENCRYPTION_KEY_INVALID', `cannot read key-encryption key ${path}: ${(error as Error).message}`, { path });
    }
  }
  if (text !== undefined) {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(text.trim())) {
      throw new ValidationError('KEY_ENCRYPTION_KEY_INVALID', `key-encryption key ${path}: expected 32 bytes in base64 (44 characters)`, { path });
    }
    return { key, path, created: false };
  }
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyEncryptionKey(path);
    throw new ValidationError('KEY_ENCRYPTION_KEY_INVALID', `cannot write key-encryption key ${path}: ${(error as Error).message}`, { path });
  }
  return { key, path, created: true };
}
