import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  formatSealedValue,
  isSealedValue,
  keyScopeName,
  parseSealedValue,
  sealedKeyIds,
  SEALED_PREFIX,
  SEALED_VALUE_IN_TEXT_RE,
  type FieldCipher,
  type KeyScope,
  type RedactionRecord,
} from '@radledger/domain';
import type { KeyLookup, SubjectKeyStore } from './subject-key-store.port.js';

/** What a reader sees in place of text whose key was destroyed (ICH E6(R3) redaction). */
export const REDACTED_TEXT = '[redacted]';
/** Sealed under a key this deployment does not hold (e.g. a ledger copied without keys.db). */
export const KEY_UNAVAILABLE_TEXT = '[sealed: key unavailable]';

// NIST SP 800-38D: 96-bit random nonce, 128-bit tag.
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The associated data: envelope version, key id and label (event type + field path). */
const associatedData = (keyId: string, label: string) => Buffer.from(`${SEALED_PREFIX}${keyId}:${label}`, 'utf8');

export interface RevealResult<T> {
  value: T;
  /** Redactions that removed text from `value` (one per destroyed key met). */
  redactions: RedactionRecord[];
}

/**
 * AES-256-GCM (node:crypto) behind the domain's FieldCipher port, and the read side's
 * `reveal`: sealed strings anywhere inside a value (also inside JSON text) become plaintext,
 * or `[redacted]` with the redaction that destroyed their key.
 */
export class AesGcmFieldCipher implements FieldCipher {
  constructor(private readonly keys: SubjectKeyStore) {}

  async seal(plaintext: string, scope: KeyScope, label: string): Promise<string> {
    const { keyId, key } = await this.keys.activeKey(keyScopeName(scope));
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId, label));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return formatSealedValue({ keyId, label, nonce: nonce.toString('base64url'), ciphertext: body.toString('base64url') });
  }

  shred(keyIds: readonly string[], record: RedactionRecord): Promise<void> {
    return this.keys.destroy(keyIds, record);
  }

  /** Opens one sealed value; `null` when it is not sealed. */
  async open(value: string): Promise<string | null> {
    if (!isSealedValue(value)) return null;
    const [result] = await this.revealAll([value]);
    return result!.value;
  }

  /** `reveal` for many values with one key lookup (e.g. one page of the audit trail). */
  async revealAll<T>(values: readonly T[]): Promise<Array<RevealResult<T>>> {
    const ids = new Set<string>();
    for (const v of values) sealedKeyIds(v, ids);
    const keys = ids.size === 0 ? new Map<string, KeyLookup>() : await this.keys.lookup([...ids]);
    return values.map((v) => {
      const redactions = new Map<string, RedactionRecord>();
      const value = ids.size === 0 ? v : (revealValue(v, keys, redactions) as T);
      return { value, redactions: [...redactions.values()] };
    });
  }

  async reveal<T>(value: T): Promise<RevealResult<T>> {
    const [result] = await this.revealAll([value]);
    return result!;
  }
}

function openSealed(sealed: string, keys: Map<string, KeyLookup>, redactions: Map<string, RedactionRecord>): string {
  const v = parseSealedValue(sealed);
  if (!v) return sealed;
  const k = keys.get(v.keyId);
  if (!k) return KEY_UNAVAILABLE_TEXT;
  if (k.state === 'destroyed') {
    if (k.redaction) redactions.set(k.redaction.redactionEventId, k.redaction);
    return REDACTED_TEXT;
  }
  const body = Buffer.from(v.ciphertext, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(v.nonce, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(v.keyId, v.label));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // The ledger's hash chain protects the ciphertext; a failing tag means a mismatched key store.
    return KEY_UNAVAILABLE_TEXT;
  }
}

function revealValue(value: unknown, keys: Map<string, KeyLookup>, redactions: Map<string, RedactionRecord>): unknown {
  if (typeof value === 'string') {
    if (!value.includes(SEALED_PREFIX)) return value;
    if (isSealedValue(value)) return openSealed(value, keys, redactions);
    // Sealed values inside JSON text (read-model JSON columns) are replaced as JSON strings.
    return value.replace(new RegExp(`("?)(${SEALED_VALUE_IN_TEXT_RE.source})\\1`, 'g'), (_all, quote: string, sealed: string) => {
      const plain = openSealed(sealed, keys, redactions);
      return quote ? JSON.stringify(plain) : plain;
    });
  }
  if (Array.isArray(value)) return value.map((v) => revealValue(v, keys, redactions));
  if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, revealValue(v, keys, redactions)]));
  }
  return value;
}
