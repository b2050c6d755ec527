/** One stored API token: only its sha256 is kept (the token itself is shown once, at issue). */
export interface ApiTokenRecord {
  tokenId: string;
  userId: string;
  tokenSha256: string;
  /** Grants the token may use, as `role[:trialId[:siteId]]`. */
  scopes: string[];
  expiresAt: string;
  revokedAt: string | null;
}

/**
 * Secrets of the embedded identity provider, kept beside the read models and never in the
 * ledger: password hashes (scrypt, parameters in the record) and API token hashes. Who the
 * users are, their roles, and every issue/revoke are ledger events (access context).
 */
export interface CredentialStore {
  setPasswordHash(userId: string, record: string, now: Date): Promise<void>;
  passwordHash(userId: string): Promise<string | undefined>;
  saveApiToken(token: ApiTokenRecord): Promise<void>;
  apiTokenBySha256(tokenSha256: string): Promise<ApiTokenRecord | undefined>;
  apiTokenById(tokenId: string): Promise<ApiTokenRecord | undefined>;
  markApiTokenRevoked(tokenId: string, at: Date): Promise<void>;
  close(): Promise<void>;
}
