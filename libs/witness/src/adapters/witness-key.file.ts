import { loadOrCreateSigningKey } from '@radledger/ledger';
import { cosignerFromPrivateKey, encodeCosignatureVerifierKey, type Cosigner, type CosignatureVerifier } from '../core/cosignature.js';

export interface LoadedWitnessKey {
  cosigner: Cosigner & CosignatureVerifier;
  /** The cosignature/v1 vkey (type 0x04) to give the ledger operator and put in policies. */
  verifierKey: string;
  created: boolean;
  path: string;
}

/** The witness's Ed25519 PEM key (created with mode 0600 when absent, as the ledger's signing key). */
export function loadOrCreateWitnessKey(path: string, name: string): LoadedWitnessKey {
  const loaded = loadOrCreateSigningKey(path, { name });
  const cosigner = cosignerFromPrivateKey(name, loaded.signer.privateKey);
  return { cosigner, verifierKey: encodeCosignatureVerifierKey(cosigner), created: loaded.created, path: loaded.path };
}
