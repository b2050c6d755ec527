import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  ed25519FromRaw,
  formatNoteSignatureLine,
  formatVerifierKey,
  keyLabel,
  noteKeyId,
  NOTE_SIGNATURE_TYPE,
  parseAnyVerifierKey,
  rawEd25519,
  isValidKeyName,
  type NoteSignatureLine,
} from '@radledger/ledger';
import { WitnessError } from './witness.errors.js';

/**
 * C2SP tlog-cosignature, Ed25519 `cosignature/v1` (c2sp.org/tlog-cosignature §Format and
 * §Ed25519 signed message):
 *  - key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4];
 *  - signature = u64 big-endian timestamp (POSIX seconds) || Ed25519 signature (64 bytes);
 *  - signed message = "cosignature/v1\n" "time <timestamp>\n" and the whole checkpoint
 *    text (all its lines, extension lines included, with the final newline).
 */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1';
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export interface Cosigner {
  /** Cosigner (witness) name: a signed-note key name, e.g. `witness.site-berlin.example/w1`. */
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface CosignatureVerifier {
  name: string;
  publicKey: KeyObject;
  /** The cosignature/v1 key ID (type byte 0x04). */
  keyId: number;
}

export interface VerifiedCosignature {
  name: string;
  keyId: number;
  /** POSIX seconds at which the witness cosigned. */
  timestamp: number;
  /** The signature line, without its newline. */
  line: string;
}

export function cosignatureKeyId(name: string, publicKey: KeyObject): number {
  if (!isValidKeyName(name)) throw new WitnessError('WITNESS_KEY_INVALID', `cosigner name ${JSON.stringify(name)} must be non-empty without spaces or '+'`);
  return noteKeyId(name, NOTE_SIGNATURE_TYPE.cosignatureV1, rawEd25519(publicKey));
}

/** The exact bytes a cosigner signs for `checkpointText` at `timestamp`. */
export function cosignatureMessage(checkpointText: string, timestamp: number): string {
  if (!checkpointText.endsWith('\n')) throw new WitnessError('CHECKPOINT_MALFORMED', 'the checkpoint text must end with a newline');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new WitnessError('COSIGNATURE_MALFORMED', `a cosignature timestamp is a non-negative integer, got ${timestamp}`);
  return `${COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n${checkpointText}`;
}

/** Signs `checkpointText` as a cosignature/v1 and returns the note signature line (without newline). */
export function signCosignature(checkpointText: string, cosigner: Cosigner, timestamp: number): string {
  const message = cosignatureMessage(checkpointText, timestamp);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, Buffer.from(message, 'utf8'), cosigner.privateKey);
  return formatNoteSignatureLine(cosigner.name, cosignatureKeyId(cosigner.name, cosigner.publicKey), Buffer.concat([ts, signature]));
}

/** True when the line was made by this cosigner's name and key ID (other lines are ignored, signed-note §Signatures). */
export function isCosignatureBy(line: NoteSignatureLine, verifier: CosignatureVerifier): boolean {
  return line.name === verifier.name && line.keyId === verifier.keyId;
}

/**
 * Verifies one cosignature/v1 line by `verifier` over `checkpointText`. Throws
 * WitnessError COSIGNATURE_INVALID naming the cosigner when it does not verify.
 */
export function verifyCosignature(checkpointText: string, line: NoteSignatureLine, verifier: CosignatureVerifier): VerifiedCosignature {
  const who = keyLabel(verifier.name, verifier.keyId);
  if (!isCosignatureBy(line, verifier)) throw new WitnessError('COSIGNATURE_INVALID', `the signature line is by ${keyLabel(line.name, line.keyId)}, not by witness ${who}`, { witness: verifier.name });
  if (line.signature.length !== 8 + 64) {
    throw new WitnessError('COSIGNATURE_INVALID', `cosignature by witness ${who} must be an 8-byte timestamp and a 64-byte Ed25519 signature, got ${line.signature.length} bytes`, { witness: verifier.name });
  }
  const ts = line.signature.readBigUInt64BE(0);
  if (ts > MAX_TIMESTAMP || ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new WitnessError('COSIGNATURE_INVALID', `cosignature by witness ${who} has timestamp ${ts} beyond 2^53`, { witness: verifier.name });
  const timestamp = Number(ts);
  const message = Buffer.from(cosignatureMessage(checkpointText, timestamp), 'utf8');
  if (!verify(null, message, verifier.publicKey, line.signature.subarray(8))) {
    throw new WitnessError('COSIGNATURE_INVALID', `cosignature by witness ${who} does not verify over this checkpoint`, { witness: verifier.name });
  }
  return { name: line.name, keyId: line.keyId, timestamp, line: line.line };
}

/** The cosigner's vkey: `<name>+<key id>+base64(0x04 || public key)` (tlog-cosignature §Format). */
export function encodeCosignatureVerifierKey(cosigner: { name: string; publicKey: KeyObject }): string {
  return formatVerifierKey(cosigner.name, NOTE_SIGNATURE_TYPE.cosignatureV1, rawEd25519(cosigner.publicKey));
}

/** Parses a cosignature/v1 vkey; refuses other signature types and a key ID that does not match. */
export function parseCosignatureVerifierKey(vkey: string): CosignatureVerifier {
  let parsed;
  try {
    parsed = parseAnyVerifierKey(vkey);
  } catch (error) {
    throw new WitnessError('WITNESS_KEY_INVALID', (error as Error).message);
  }
  if (parsed.type !== NOTE_SIGNATURE_TYPE.cosignatureV1 || parsed.key.length !== 32) {
    throw new WitnessError('WITNESS_KEY_INVALID', `witness key ${parsed.name} must be type 0x04 (Ed25519 cosignature/v1) with a 32-byte key, got type 0x${parsed.type.toString(16).padStart(2, '0')} and ${parsed.key.length} bytes`);
  }
  const publicKey = ed25519FromRaw(parsed.key);
  const keyId = cosignatureKeyId(parsed.name, publicKey);
  if (keyId !== parsed.keyId) {
    throw new WitnessError('WITNESS_KEY_INVALID', `witness key ID ${parsed.keyId.toString(16).padStart(8, '0')} does not match its name and key (expected ${keyId.toString(16).padStart(8, '0')})`);
  }
  return { name: parsed.name, publicKey, keyId };
}

/** A cosigner from an Ed25519 private key (e.g. a PEM file) and a name. */
export function cosignerFromPrivateKey(name: string, privateKey: KeyObject): Cosigner & CosignatureVerifier {
  const publicKey = createPublicKey(privateKey);
  return { name, privateKey, publicKey, keyId: cosignatureKeyId(name, publicKey) };
}
