import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '@radledger/platform';
import { isRole, type RoleGrant } from '@radledger/domain';

/** Prefix of RadLedger API tokens: recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = 'rlt_';
const TOKEN_RE = /^rlt_[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url (43 characters) after the prefix. */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(API_TOKEN_PREFIX);
}

export function isWellFormedApiToken(value: string): boolean {
  return TOKEN_RE.test(value);
}

/** Only this hash is stored (tokens carry 256 bits of entropy, so a fast hash is enough). */
export function apiTokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A scope names a grant the token may use: `role`, `role:trialId` or `role:trialId:siteId`. */
export function parseScope(scope: string, field = 'scopes'): RoleGrant {
  const [role, trialId, siteId, ...rest] = scope.split(':');
  if (!isRole(role) || rest.length > 0 || (trialId !== undefined && !ID.test(trialId)) || (siteId !== undefined && !ID.test(siteId))) {
    throw new ValidationError('INVALID_SCOPE', `${field}: expected role[:trialId[:siteId]] with a known role, got ${JSON.stringify(scope.slice(0, 80))}`, { field });
  }
  return { role, ...(trialId !== undefined ? { trialId } : {}), ...(siteId !== undefined ? { siteId } : {}) };
}

export function formatScope(grant: RoleGrant): string {
  return [grant.role, grant.trialId, grant.siteId].filter((x) => x !== undefined).join(':');
}

/** Is `wanted` within `held` (same role, and no wider in trial or site)? */
export function grantCovers(held: RoleGrant, wanted: RoleGrant): boolean {
  return (
    held.role === wanted.role &&
    (held.trialId === undefined || held.trialId === wanted.trialId) &&
    (held.siteId === undefined || held.siteId === wanted.siteId)
  );
}
