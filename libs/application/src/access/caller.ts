import type { RoleGrant } from '@radledger/domain';

/**
 * Who is calling (21 CFR 11.10(d): attributable). `grants` are the grants that hold NOW (read
 * from the identity context for every request, narrowed to an API token's scopes), never the
 * ones a session token was issued with: a revoke or a lock takes effect at once.
 */
export interface Caller {
  userId: string;
  printedName: string;
  grants: RoleGrant[];
  authMethod: 'session' | 'api-token' | 'oidc' | 'system';
  /** When the credential was issued: signing needs a fresh one (21 CFR 11.200(a)(1)). */
  issuedAt: Date;
}

/** The operator at the server's console (CLI with the store's files at hand): a global admin, recorded by name. */
export function systemCaller(userId: string): Caller {
  return { userId, printedName: userId, grants: [{ role: 'admin' }], authMethod: 'system', issuedAt: new Date() };
}
