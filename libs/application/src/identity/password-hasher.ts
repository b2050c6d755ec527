import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt (RFC 7914) cost parameters. N = 2^15, r = 8, p = 1 is the OWASP Password Storage
 * Cheat Sheet's scrypt recommendation; the parameters are stored with each hash so they
 * can be raised later without breaking stored passwords.
 */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

/** Shortest password accepted: NIST SP 800-63B-4 §3.1.1.2 asks for at least 8, and 15 for single-factor; RadLedger takes 12 (issue 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: bounds the work an attacker can make one login do. */
export const MAX_PASSWORD_LENGTH = 256;

function scrypt(password: string, salt: Buffer, p: ScryptParameters): Promise<Buffer> {
  // Node refuses N·r·128 bytes above `maxmem` (32 MiB by default); allow twice what is needed.
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, p.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N=32768,r=8,p=1$<salt base64>$<key base64>`: self-describing, so verification needs nothing else. */
export async function hashPassword(password: string, params: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const RECORD = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Parses a stored hash; undefined for anything that is not one (never throws on bad input). */
export function parsePasswordRecord(record: string): { params: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const m = RECORD.exec(record);
  if (!m) return undefined;
  const key = Buffer.from(m[5]!, 'base64');
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), keyLength: key.length };
  // Refuse parameters that would let a tampered row make verification hang or exhaust memory.
  if (!Number.isInteger(Math.log2(params.N)) || params.N < 2 ** 10 || params.N > 2 ** 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16 || key.length < 16) {
    return undefined;
  }
  return { params, salt: Buffer.from(m[4]!, 'base64'), key };
}

/** Constant-time comparison of the derived key with the stored one. */
export async function verifyPassword(password: string, record: string): Promise<boolean> {
  const parsed = parsePasswordRecord(record);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** A record no password matches: verifying against it costs the same as a real one (no user enumeration by timing). */
export const DUMMY_PASSWORD_RECORD = `scrypt$N=${DEFAULT_SCRYPT.N},r=${DEFAULT_SCRYPT.r},p=${DEFAULT_SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
