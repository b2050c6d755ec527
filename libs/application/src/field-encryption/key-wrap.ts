import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValidationError } from '@radledger/platform';

// NIST SP 800-38D: 96-bit nonce, 128-bit tag; a fresh random nonce per wrap.
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Wrap a data key under the key-encryption key; the key id is associated data, so a wrapped key cannot be moved to another id. */
export function wrapKey(kek: Buffer, keyId: string, key: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  return Buffer.concat([nonce, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(kek: Buffer, keyId: string, wrapped: Buffer): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    return Buffer.concat([decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ValidationError('KEY_UNWRAP_FAILED', `key ${keyId}: cannot unwrap with the configured key-encryption key (wrong key file?)`, { keyId });
  }
}

export function newKeyId(): string {
  return `k${randomBytes(16).toString('base64url')}`;
}
