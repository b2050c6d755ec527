import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { DomainError } from '@radledger/platform';
import { HASH_SIZE } from './hashing.js';

/**
 * Checkpoints in the C2SP tlog-checkpoint format, signed as a C2SP signed note with
 * Ed25519:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\nissued-at <ISO 8601>\n
 *   \n
 *   — <key name> <base64(key ID (4 bytes) || Ed25519 signature)>\n
 *
 * The signature covers the body (everything before the blank line). `issued-at` is our
 * extension line (C2SP tlog-checkpoint allows extension lines after the root hash).
 */
export interface Checkpoint {
  /** Unique identity of the log, e.g. `radledger.example/trial-42`. */
  origin: string;
  treeSize: number;
  /** Lowercase hex RFC 9162 root hash. */
  rootHash: string;
  /** ISO 8601 UTC, e.g. 2026-11-25T12:00:00.000Z. */
  issuedAt: string;
}

export interface CheckpointSigner {
  /** Key name: non-empty, no whitespace, no '+' (C2SP signed-note). */
  name: string;
  privateKey: KeyObject;
}

export interface CheckpointVerifier {
  name: string;
  publicKey: KeyObject;
}

export interface NoteSignature {
  name: string;
  /** The 4-byte key ID as an unsigned 32-bit number. */
  keyId: number;
  /** The Ed25519 signature (without the key ID). */
  signature: Buffer;
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** The exact signed text: body lines, each ending in a newline. */
  body: string;
  signatures: NoteSignature[];
}

export type CheckpointErrorCode =
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_SIGNATURE_MISSING'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'CHECKPOINT_KEY_INVALID';

export class CheckpointError extends DomainError {
  constructor(code: CheckpointErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** C2SP signed-note signature type byte for Ed25519. */
const ED25519_TYPE = 0x01;
const SIG_PREFIX = '\u2014 '; // em dash and space
const ISSUED_AT = 'issued-at ';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function malformed(message: string): never {
  throw new CheckpointError('CHECKPOINT_MALFORMED', message);
}

function checkKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name) || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `key name must be non-empty with no spaces and no '+', got ${JSON.stringify(name)}`);
  }
}

function decodeBase64(text: string, what: string): Buffer {
  // Strict: the text must be exactly the canonical padded encoding of its bytes.
  const bytes = BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (!bytes || bytes.toString('base64') !== text) malformed(`${what} is not canonical base64`);
  return bytes;
}

function rawEd25519PublicKey(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `checkpoint keys must be Ed25519, got ${publicKey.asymmetricKeyType ?? publicKey.type}`);
  }
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

/** C2SP signed-note key ID: first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian. */
export function checkpointKeyId(name: string, publicKey: KeyObject): number {
  checkKeyName(name);
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.of(0x0a, ED25519_TYPE))
    .update(rawEd25519PublicKey(publicKey))
    .digest();
  return digest.readUInt32BE(0);
}

function checkCheckpoint(cp: Checkpoint): void {
  if (cp.origin.length === 0 || /[\u0000-\u001f\u007f]/.test(cp.origin)) {
    malformed(`origin must be a non-empty line without control characters, got ${JSON.stringify(cp.origin)}`);
  }
  if (!Number.isSafeInteger(cp.treeSize) || cp.treeSize < 0) malformed(`treeSize must be a non-negative integer, got ${cp.treeSize}`);
  if (!/^[0-9a-f]{64}$/.test(cp.rootHash)) malformed(`rootHash must be ${HASH_SIZE * 2} lowercase hex digits, got ${JSON.stringify(cp.rootHash)}`);
  if (!ISO_UTC.test(cp.issuedAt) || Number.isNaN(Date.parse(cp.issuedAt))) {
    malformed(`issuedAt must be an ISO 8601 UTC time like 2026-01-02T03:04:05.678Z, got ${JSON.stringify(cp.issuedAt)}`);
  }
}

/** The note body that is signed (C2SP tlog-checkpoint), ending in a newline. */
export function formatCheckpointBody(cp: Checkpoint): string {
  checkCheckpoint(cp);
  const root = Buffer.from(cp.rootHash, 'hex').toString('base64');
  return `${cp.origin}\n${cp.treeSize}\n${root}\n${ISSUED_AT}${cp.issuedAt}\n`;
}

/** Any C2SP tlog-checkpoint text: origin, size, root and extension lines (RadLedger's `issued-at` is not required here). */
export interface TlogCheckpoint {
  origin: string;
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
  extensions: string[];
}

/**
 * Parses the text of any tlog-checkpoint (c2sp.org/tlog-checkpoint §Note text): at least
 * three non-empty lines; the size in decimal without leading zeros; the root as base64 of
 * 32 bytes; extension lines non-empty. Witnesses use this: they cosign what any log signs.
 */
export function parseTlogCheckpoint(text: string): TlogCheckpoint {
  if (!text.endsWith('\n')) malformed('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) malformed(`checkpoint text needs origin, size and root lines, got ${lines.length} lines`);
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) malformed('checkpoint origin line must not be empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) malformed(`tree size line must be a decimal number without leading zeros, got ${JSON.stringify(sizeLine)}`);
  const treeSize = Number(sizeLine);
  if (!Number.isSafeInteger(treeSize)) malformed(`tree size ${sizeLine} is too large`);
  const root = decodeBase64(rootLine, 'root hash line');
  if (root.length !== HASH_SIZE) malformed(`root hash must be ${HASH_SIZE} bytes, got ${root.length}`);
  if (extensions.some((l) => l.length === 0)) malformed('checkpoint extension lines must not be empty');
  return { origin, treeSize, rootHash: root.toString('hex'), extensions };
}

/** Parse a checkpoint body (without signatures). */
export function parseCheckpointBody(body: string): Checkpoint {
  if (!body.endsWith('\n')) malformed('checkpoint body must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) malformed(`checkpoint body needs origin, size and root lines, got ${lines.length} lines`);
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) malformed(`tree size line must be a decimal number without leading zeros, got ${JSON.stringify(sizeLine)}`);
  const treeSize = Number(sizeLine);
  if (!Number.isSafeInteger(treeSize)) malformed(`tree size ${sizeLine} is too large`);
  const root = decodeBase64(rootLine, 'root hash line');
  if (root.length !== HASH_SIZE) malformed(`root hash must be ${HASH_SIZE} bytes, got ${root.length}`);
  if (extensions.some((l) => l.length === 0)) malformed('checkpoint body must not contain empty lines');
  const issued = extensions.filter((l) => l.startsWith(ISSUED_AT));
  if (issued.length !== 1) malformed(`checkpoint needs exactly one "${ISSUED_AT.trim()}" extension line, got ${issued.length}`);
  const cp: Checkpoint = { origin, treeSize, rootHash: root.toString('hex'), issuedAt: issued[0]!.slice(ISSUED_AT.length) };
  checkCheckpoint(cp);
  return cp;
}

/** Sign a checkpoint: returns the signed note text (body, blank line, one signature line). */
export function signCheckpoint(cp: Checkpoint, signer: CheckpointSigner): string {
  const body = formatCheckpointBody(cp);
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(checkpointKeyId(signer.name, createPublicKey(signer.privateKey)));
  const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
  return `${body}\n${SIG_PREFIX}${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

/** Split a signed note into checkpoint, body and signatures. Checks the format, not the signatures. */
export function parseSignedCheckpoint(text: string): SignedCheckpoint {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) malformed('signed note must not contain control characters other than newline');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) malformed('signed note needs a blank line between the body and the signatures');
  const body = text.slice(0, split + 1);
  const sigBlock = text.slice(split + 2);
  if (!sigBlock.endsWith('\n')) malformed('signature lines must end with a newline');
  const signatures = sigBlock
    .slice(0, -1)
    .split('\n')
    .map((line): NoteSignature => {
      if (!line.startsWith(SIG_PREFIX)) malformed(`signature line must start with "— ", got ${JSON.stringify(line)}`);
      const parts = line.slice(SIG_PREFIX.length).split(' ');
      if (parts.length !== 2) malformed(`signature line must be "— <name> <base64>", got ${JSON.stringify(line)}`);
      const blob = decodeBase64(parts[1]!, 'signature');
      if (blob.length < 5) malformed('signature must hold a 4-byte key ID and a signature');
      return { name: parts[0]!, keyId: blob.readUInt32BE(0), signature: blob.subarray(4) };
    });
  return { checkpoint: parseCheckpointBody(body), body, signatures };
}

/**
 * Verify a signed checkpoint against one pinned key: a signature line with the key's name
 * and key ID must exist and verify (other keys' signatures are ignored, as signed-note
 * allows cosigners). Returns the checkpoint, or throws CheckpointError.
 */
export function verifySignedCheckpoint(text: string, verifier: CheckpointVerifier, options: { origin?: string } = {}): Checkpoint {
  const parsed = parseSignedCheckpoint(text);
  const keyId = checkpointKeyId(verifier.name, verifier.publicKey);
  const mine = parsed.signatures.filter((s) => s.name === verifier.name && s.keyId === keyId);
  if (mine.length === 0) {
    throw new CheckpointError('CHECKPOINT_SIGNATURE_MISSING', `checkpoint has no signature by key ${verifier.name}+${keyId.toString(16).padStart(8, '0')}`, {
      expected: `${verifier.name}+${keyId.toString(16).padStart(8, '0')}`,
      computed: parsed.signatures.map((s) => `${s.name}+${s.keyId.toString(16).padStart(8, '0')}`).join(', '),
    });
  }
  for (const s of mine) {
    if (!verify(null, Buffer.from(parsed.body, 'utf8'), verifier.publicKey, s.signature)) {
      throw new CheckpointError('CHECKPOINT_SIGNATURE_INVALID', `checkpoint signature by ${verifier.name} does not verify`, {
        treeSize: parsed.checkpoint.treeSize,
      });
    }
  }
  if (options.origin !== undefined && parsed.checkpoint.origin !== options.origin) {
    throw new CheckpointError('CHECKPOINT_ORIGIN_MISMATCH', `checkpoint origin must be ${options.origin}, got ${parsed.checkpoint.origin}`, {
      expected: options.origin,
      computed: parsed.checkpoint.origin,
    });
  }
  return parsed.checkpoint;
}

/** A fresh Ed25519 checkpoint key. */
export function generateCheckpointSigner(name: string): CheckpointSigner & CheckpointVerifier {
  checkKeyName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey };
}

/** C2SP signed-note verifier key: `<name>+<hex key ID>+<base64(0x01 || public key)>`, printable and pinnable. */
export function encodeVerifierKey(verifier: CheckpointVerifier): string {
  const id = checkpointKeyId(verifier.name, verifier.publicKey).toString(16).padStart(8, '0');
  const key = Buffer.concat([Buffer.of(ED25519_TYPE), rawEd25519PublicKey(verifier.publicKey)]).toString('base64');
  return `${verifier.name}+${id}+${key}`;
}

/** Split off the first `parts - 1` '+'-separated fields; the last field (base64) may itself contain '+'. */
function splitKey(text: string, parts: number, what: string): string[] {
  const all = text.trim().split('+');
  if (all.length < parts) throw new CheckpointError('CHECKPOINT_KEY_INVALID', `${what} must have ${parts} '+'-separated fields`);
  return [...all.slice(0, parts - 1), all.slice(parts - 1).join('+')];
}

function decodeKeyMaterial(b64: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = decodeBase64(b64, what);
  } catch {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `${what} is not canonical base64`);
  }
  if (bytes.length !== 33 || bytes[0] !== ED25519_TYPE) {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `${what} must be 0x01 followed by a 32-byte Ed25519 key`);
  }
  return bytes.subarray(1);
}

/** Parse a verifier key made by {@link encodeVerifierKey}; checks the key ID against the key. */
export function parseVerifierKey(vkey: string): CheckpointVerifier & { keyId: number } {
  const [name, idHex, b64] = splitKey(vkey, 3, 'verifier key') as [string, string, string];
  checkKeyName(name);
  const raw = decodeKeyMaterial(b64, 'verifier key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  const keyId = checkpointKeyId(name, publicKey);
  if (!/^[0-9a-f]{8}$/.test(idHex) || parseInt(idHex, 16) !== keyId) {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `verifier key ID ${idHex} does not match its name and key (expected ${keyId.toString(16).padStart(8, '0')})`);
  }
  return { name, publicKey, keyId };
}

/** C2SP signed-note signer key: `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`. A secret: store it as one. */
export function encodeSignerKey(signer: CheckpointSigner): string {
  const publicKey = createPublicKey(signer.privateKey);
  const id = checkpointKeyId(signer.name, publicKey).toString(16).padStart(8, '0');
  const seed = Buffer.from(signer.privateKey.export({ format: 'jwk' }).d!, 'base64url');
  return `PRIVATE+KEY+${signer.name}+${id}+${Buffer.concat([Buffer.of(ED25519_TYPE), seed]).toString('base64')}`;
}

/** Parse a signer key made by {@link encodeSignerKey}; checks the key ID against the derived public key. */
export function parseSignerKey(skey: string): CheckpointSigner & CheckpointVerifier {
  const [p, k, name, idHex, b64] = splitKey(skey, 5, 'signer key') as [string, string, string, string, string];
  if (p !== 'PRIVATE' || k !== 'KEY') throw new CheckpointError('CHECKPOINT_KEY_INVALID', 'signer key must start with PRIVATE+KEY+');
  checkKeyName(name);
  const signer = signerFromSeed(name, decodeKeyMaterial(b64, 'signer key'));
  const keyId = checkpointKeyId(name, signer.publicKey);
  if (!/^[0-9a-f]{8}$/.test(idHex) || parseInt(idHex, 16) !== keyId) {
    throw new CheckpointError('CHECKPOINT_KEY_INVALID', `signer key ID ${idHex} does not match its name and key`);
  }
  return signer;
}

/** An Ed25519 signer from its 32-byte seed (RFC 8032 private key), e.g. for reproducible test vectors. */
export function signerFromSeed(name: string, seed: Uint8Array): CheckpointSigner & CheckpointVerifier {
  checkKeyName(name);
  if (seed.length !== 32) throw new CheckpointError('CHECKPOINT_KEY_INVALID', `an Ed25519 seed is 32 bytes, got ${seed.length}`);
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410 §7).
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return { name, privateKey, publicKey: createPublicKey(privateKey) };
}
