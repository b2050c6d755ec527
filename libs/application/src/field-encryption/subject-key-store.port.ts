import type { RedactionRecord } from '@radledger/domain';

/** A data key, unwrapped (AES-256, 32 bytes). */
export interface SubjectKey {
  keyId: string;
  key: Buffer;
}

export type KeyLookup = { state: 'live'; key: Buffer } | { state: 'destroyed'; destroyedAt: string; redaction: RedactionRecord | null };

/**
 * Per-subject data keys, held outside the ledger and wrapped by the key-encryption key.
 * Destroying a key deletes its material (crypto-shredding) and keeps a tombstone with the
 * redaction's who/when/why; the scope's next `activeKey` is a new key (rotation).
 */
export interface SubjectKeyStore {
  /** The scope's live key, created on first use. `scope` is `keyScopeName(...)` from @radledger/domain. */
  activeKey(scope: string): Promise<SubjectKey>;
  /** Known keys among `keyIds` (unknown ids are absent from the map). */
  lookup(keyIds: readonly string[]): Promise<Map<string, KeyLookup>>;
  /** Idempotent: a key destroyed earlier keeps its first tombstone. */
  destroy(keyIds: readonly string[], record: RedactionRecord): Promise<void>;
  close(): Promise<void>;
}
