import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ValidationError } from '@radledger/platform';
import { encodeVerifierKey, type CheckpointSigner, type CheckpointVerifier } from '../core/checkpoint.js';

export interface LoadedSigningKey {
  signer: CheckpointSigner & CheckpointVerifier;
  /** C2SP verifier key `<name>+<keyid>+<base64>`: what auditors pin (`verify --public-key`). */
  verifierKey: string;
  /** True when the file did not exist and a new key was written: callers should print the public key with a warning. */
  created: boolean;
  path: string;
}

/**
 * Loads the checkpoint signing key: a PEM (PKCS#8) Ed25519 private key file. If the file
 * is absent a new key is generated and written with mode 0600 (never overwriting a file
 * that appears meanwhile). `name` is the signed-note key name (default `radledger`).
 */
export function loadOrCreateSigningKey(path: string, options: { name?: string } = {}): LoadedSigningKey {
  const name = options.name ?? 'radledger';
  let pem: string | undefined;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ValidationError('SIGNING_KEY_INVALID', `cannot read signing key ${path}: ${(error as Error).message}`, { path });
    }
  }
  if (pem !== undefined) return fromPrivateKey(parsePem(pem, path), name, path, false);
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx': fail rather than overwrite if another process created the key first.
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(path, options);
    throw new ValidationError('SIGNING_KEY_INVALID', `cannot write signing key ${path}: ${(error as Error).message}`, { path });
  }
  return fromPrivateKey(privateKey, name, path, true);
}

/** Loads an existing key file only (no creation). */
export function loadSigningKey(path: string, options: { name?: string } = {}): LoadedSigningKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError('SIGNING_KEY_INVALID', `cannot read signing key ${path}: ${(error as Error).message}`, { path });
  }
  return fromPrivateKey(parsePem(pem, path), options.name ?? 'radledger', path, false);
}

function parsePem(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new ValidationError('SIGNING_KEY_INVALID', `signing key ${path} is not a PEM private key: ${(error as Error).message}`, { path });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ValidationError('SIGNING_KEY_INVALID', `signing key ${path} must be Ed25519, got ${key.asymmetricKeyType}`, { path });
  }
  return key;
}

function fromPrivateKey(privateKey: KeyObject, name: string, path: string, created: boolean): LoadedSigningKey {
  const signer = { name, privateKey, publicKey: createPublicKey(privateKey) };
  return { signer, verifierKey: encodeVerifierKey(signer), created, path };
}
