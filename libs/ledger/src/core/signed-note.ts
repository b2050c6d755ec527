import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { DomainError } from '@radledger/platform';

/**
 * C2SP signed-note (c2sp.org/signed-note), independent of what the note says: the text,
 * the signature lines, key IDs and verifier keys for any signature type. Checkpoints
 * (checkpoint.ts) and witness cosignatures (libs/witness) are built on these.
 */
export interface NoteSignatureLine {
  /** Key name as written on the line. */
  name: string;
  /** The 4-byte key ID as an unsigned 32-bit number. */
  keyId: number;
  /** The signature bytes after the key ID. */
  signature: Buffer;
  /** The whole line, without its newline, byte for byte as read. */
  line: string;
}

export interface SignedNote {
  /** The signed text: everything before the last blank line, including its final newline. */
  text: string;
  signatures: NoteSignatureLine[];
}

export class SignedNoteError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOTE_MALFORMED', message, details);
  }
}

/** Signature type bytes assigned by signed-note §Signature types. */
export const NOTE_SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
/** signed-note §Format: verifiers must accept at least 16 signatures; more than this is refused. */
export const MAX_NOTE_SIGNATURES = 64;
const SIG_PREFIX = '\u2014 ';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (RFC 4648 §4): the text must be the canonical padded encoding of its bytes. */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** signed-note §Format: non-empty, no Unicode spaces, no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f\u007f]/.test(name);
}

/** Key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian (signed-note §Signatures). */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, type)).update(publicKey).digest().readUInt32BE(0);
}

/** One signature line `— <name> <base64(key ID || signature)>` (without the newline). */
export function formatNoteSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `${SIG_PREFIX}${name} ${Buffer.concat([id, signature]).toString('base64')}`;
}

/** Parses one signature line (without its newline). */
export function parseNoteSignatureLine(line: string): NoteSignatureLine {
  if (!line.startsWith(SIG_PREFIX)) throw new SignedNoteError(`signature line must start with "— ", got ${JSON.stringify(line)}`);
  const parts = line.slice(SIG_PREFIX.length).split(' ');
  if (parts.length !== 2 || !isValidKeyName(parts[0]!)) throw new SignedNoteError(`signature line must be "— <name> <base64>", got ${JSON.stringify(line)}`);
  const blob = decodeStrictBase64(parts[1]!);
  if (!blob) throw new SignedNoteError(`signature of ${parts[0]} is not canonical base64`);
  if (blob.length < 5) throw new SignedNoteError(`signature of ${parts[0]} must hold a 4-byte key ID and a signature`);
  return { name: parts[0]!, keyId: blob.readUInt32BE(0), signature: blob.subarray(4), line };
}

/**
 * Splits a signed note into its text and signature lines (signed-note §Format): UTF-8
 * without control characters other than newline; the text ends at the last blank line;
 * one or more signature lines follow, each ending in a newline.
 */
export function parseSignedNote(note: string): SignedNote {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) throw new SignedNoteError('a signed note must not contain control characters other than newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new SignedNoteError('a signed note needs a blank line between the text and the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) throw new SignedNoteError('a signed note needs at least one signature line');
  if (!block.endsWith('\n')) throw new SignedNoteError('signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new SignedNoteError(`a signed note may carry at most ${MAX_NOTE_SIGNATURES} signatures, got ${lines.length}`);
  return { text, signatures: lines.map(parseNoteSignatureLine) };
}

/** The note with extra signature lines appended (e.g. witness cosignatures), in the given order. */
export function appendNoteSignatures(note: string, lines: readonly string[]): string {
  parseSignedNote(note);
  return note + lines.map((l) => `${l}\n`).join('');
}

/** The raw 32-byte public key of an Ed25519 KeyObject (RFC 8032 encoding). */
export function rawEd25519(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new SignedNoteError(`expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? publicKey.type}`);
  return Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
}

/** An Ed25519 public KeyObject from its 32 raw bytes. */
export function ed25519FromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export interface ParsedVerifierKey {
  name: string;
  keyId: number;
  /** The signature type byte. */
  type: number;
  /** The key material after the type byte. */
  key: Buffer;
}

/**
 * Parses a vkey `<name>+<hex key ID>+<base64(type || key)>` (signed-note §Verifier keys)
 * of any type, checking only its form; callers check the type and the key ID rule.
 */
export function parseAnyVerifierKey(vkey: string): ParsedVerifierKey {
  const all = vkey.trim().split('+');
  if (all.length < 3) throw new SignedNoteError(`a verifier key is <name>+<key id>+<base64 key>, got ${JSON.stringify(vkey)}`);
  const [name, idHex] = all as [string, string];
  const b64 = all.slice(2).join('+');
  if (!isValidKeyName(name)) throw new SignedNoteError(`verifier key name ${JSON.stringify(name)} must be non-empty without spaces or '+'`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new SignedNoteError(`verifier key ID must be 8 lowercase hex digits, got ${JSON.stringify(idHex)}`);
  const bytes = decodeStrictBase64(b64);
  if (!bytes || bytes.length < 2) throw new SignedNoteError('verifier key material is not canonical base64 of a type byte and a key');
  return { name, keyId: parseInt(idHex, 16), type: bytes[0]!, key: bytes.subarray(1) };
}

export function formatVerifierKey(name: string, type: number, key: Uint8Array): string {
  const id = noteKeyId(name, type, key).toString(16).padStart(8, '0');
  return `${name}+${id}+${Buffer.concat([Buffer.of(type), key]).toString('base64')}`;
}

/** `name+id` as printed in messages, e.g. `radledger+1a2b3c4d`. */
export function keyLabel(name: string, keyId: number): string {
  return `${name}+${keyId.toString(16).padStart(8, '0')}`;
}
