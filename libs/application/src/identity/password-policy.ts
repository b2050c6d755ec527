import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-hasher.js';
import { PasswordPolicyError } from './identity.errors.js';

let blocklist: ReadonlySet<string> | undefined;

/**
 * The common-password list of @zxcvbn-ts/language-common (≈30,000 passwords seen in breaches),
 * loaded on first use so start-up does not pay for it.
 */
async function commonPasswords(): Promise<ReadonlySet<string>> {
  if (!blocklist) {
    const module = (await import('@zxcvbn-ts/language-common')) as { dictionary: { 'passwords-common': string[] } };
    blocklist = new Set(module.dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return blocklist;
}

/**
 * NIST SP 800-63B (§5.1.1.2 / 800-63B-4 §3.1.1.2): at least 12 characters (issue 12; no
 * composition rules), at most 256, not a commonly used or breached password, not the account's
 * own id or name. Refused with PASSWORD_POLICY naming what failed, never echoing the password.
 */
export async function checkPasswordPolicy(password: unknown, context: { userId: string; printedName?: string; field?: string }): Promise<string> {
  const field = context.field ?? 'password';
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`${field}: expected at least ${MIN_PASSWORD_LENGTH} characters`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new PasswordPolicyError(`${field}: expected at most ${MAX_PASSWORD_LENGTH} characters`, field);
  const lower = password.normalize('NFC').toLowerCase();
  const stripped = lower.replace(/[^\p{L}\p{N}]/gu, '');
  const common = await commonPasswords();
  if (common.has(lower) || common.has(stripped) || common.has(stripped.replace(/\d+$/, '')) || /^(.)\1+$/u.test(lower) || /^(0123456789|1234567890|abcdefghijkl|qwertyuiop)/.test(stripped)) {
    throw new PasswordPolicyError(`${field}: this password is commonly used or easy to guess; choose another (a passphrase of several words works well)`, field);
  }
  const names = [context.userId, ...(context.printedName ? context.printedName.split(/\s+/) : [])].map((n) => n.toLowerCase()).filter((n) => n.length >= 4);
  if (names.some((n) => stripped.includes(n.replace(/[^\p{L}\p{N}]/gu, '')))) {
    throw new PasswordPolicyError(`${field}: must not contain the user id or name`, field);
  }
  return password;
}
