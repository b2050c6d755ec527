/**
 * Free text and subject-linked personal data are sealed before they reach the ledger
 * (ICH E6(R3): an audit trail may only change for PHI that slipped in). The ledger hashes the
 * sealed value, so destroying the key (crypto-shredding) removes the text while the hash
 * chain still verifies. See docs/adr/0007-phi-field-encryption.md.
 */

/** Whose key seals a value: the subject's (the usual case) or, for events that reach no subject, the event's own. */
export type KeyScope = { kind: 'subject'; trialId: string; subjectId: string } | { kind: 'event'; eventId: string };

/** Who removed a payload, when and why: kept with the destroyed key so readers can say so. */
export interface RedactionRecord {
  /** The event whose payload was redacted. */
  targetEventId: string;
  /** The `PayloadRedacted` event that recorded it. */
  redactionEventId: string;
  justification: string;
  requestedBy: string;
  requestedRole: string;
  approvedBy: string;
  approvedRole: string;
  /** Server UTC time of `PayloadRedacted`. */
  redactedAt: string;
}

/**
 * The write-side port. `seal` returns a sealed envelope (see `SEALED_PREFIX`); `label` names the
 * event type and field path and is bound to the ciphertext as associated data. `shred` destroys
 * the keys (idempotent), so every value sealed under them reads as redacted from then on.
 */
export interface FieldCipher {
  seal(plaintext: string, scope: KeyScope, label: string): Promise<string>;
  shred(keyIds: readonly string[], record: RedactionRecord): Promise<void>;
}

/** `enc:v1:<keyId>:<label>:<base64url nonce>:<base64url ciphertext+tag>` (AES-256-GCM). */
export const SEALED_PREFIX = 'enc:v1:';
export const SEALED_VALUE_RE = /^enc:v1:([A-Za-z0-9_-]{1,64}):([A-Za-z][A-Za-z0-9.[\]_-]{0,199}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;
/** The same shape inside a longer text (e.g. a read-model JSON column); keyId is group 1. */
export const SEALED_VALUE_IN_TEXT_RE = /enc:v1:([A-Za-z0-9_-]{1,64}):([A-Za-z][A-Za-z0-9.[\]_-]{0,199}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})/g;

export interface SealedValue {
  keyId: string;
  label: string;
  nonce: string;
  ciphertext: string;
}

export function isSealedValue(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX) && SEALED_VALUE_RE.test(value);
}

export function parseSealedValue(value: string): SealedValue | null {
  const m = SEALED_VALUE_RE.exec(value);
  return m ? { keyId: m[1]!, label: m[2]!, nonce: m[3]!, ciphertext: m[4]! } : null;
}

export function formatSealedValue(v: SealedValue): string {
  return `${SEALED_PREFIX}${v.keyId}:${v.label}:${v.nonce}:${v.ciphertext}`;
}

/** Every key id sealing a value anywhere inside `value` (event data, meta, read-model rows). */
export function sealedKeyIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (value.includes(SEALED_PREFIX)) for (const m of value.matchAll(SEALED_VALUE_IN_TEXT_RE)) into.add(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) sealedKeyIds(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) sealedKeyIds(v, into);
  }
  return into;
}

/** The key scope as a stable string (key-store column). */
export function keyScopeName(scope: KeyScope): string {
  return scope.kind === 'subject' ? `subject:${scope.trialId}/${scope.subjectId}` : `event:${scope.eventId}`;
}
