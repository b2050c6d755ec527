import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { isRole, type RoleGrant } from '@radledger/domain';
import { AuthenticationError } from '../access/access.errors.js';

const ISSUER = 'radledger';
const AUDIENCE = 'radledger-api';
/** Session tokens are short-lived (21 CFR 11.300: controls over identification codes). */
export const SESSION_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * What a bearer credential proves: who, how and since when. Grants are NOT taken from a
 * RadLedger session token (they are read from the identity context at every request); an OIDC
 * provider's grants come from its claims (it is the authority for them).
 */
export interface CredentialClaim {
  userId: string;
  authMethod: 'session' | 'oidc';
  issuedAt: Date;
  printedName?: string;
  oidcGrants?: RoleGrant[];
}

export interface TokenServiceOptions {
  secretPath: string;
  oidc?: { issuer: string; jwksUrl: string; audience?: string };
}

/** Loads the HS256 secret (creating a dev secret with mode 0600 when absent). */
export function loadOrCreateAuthSecret(path: string): { secret: Uint8Array; created: boolean } {
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    if (text.length < 43) throw new Error(`auth secret file ${path} is too short (need >= 32 random bytes, base64)`);
    return { secret: Buffer.from(text, 'base64'), created: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(path, `${secret.toString('base64')}\n`, { mode: 0o600 });
  return { secret, created: true };
}

/**
 * Issues and verifies the API's own session tokens (JWT, HS256, only that algorithm: `alg: none`
 * and algorithm confusion are refused by jose's allow-list), and tokens of an OIDC provider when
 * configured (verified against its JWKS).
 */
export class TokenService {
  /**
   * Tokens whose signature and claims were already checked, until their `exp` (bounded; the
   * oldest entry goes first). Only the cryptographic check is remembered: grants, account
   * locks and revocations are still read on every request.
   */
  private readonly verified = new Map<string, { claim: CredentialClaim; expiresAtMs: number }>();
  private static readonly VERIFIED_CACHE_SIZE = 10_000;
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  readonly createdSecret: boolean;

  constructor(private readonly options: TokenServiceOptions) {
    const { secret, created } = loadOrCreateAuthSecret(options.secretPath);
    this.secret = secret;
    this.createdSecret = created;
    if (options.oidc) this.jwks = createRemoteJWKSet(new URL(options.oidc.jwksUrl));
  }

  /** `ttlSeconds` defaults to the 15-minute session; only the development demo tokens ask for longer. */
  async issueSessionToken(user: { userId: string; printedName: string }, now = new Date(), ttlSeconds = SESSION_TOKEN_TTL_SECONDS): Promise<string> {
    return new SignJWT({ name: user.printedName })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(user.userId)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(now.getTime() / 1000) + ttlSeconds)
      .sign(this.secret);
  }

  /** A key for another purpose (e.g. signing download links), derived from the session secret so there is one secret to keep. */
  derivedKey(purpose: string): Uint8Array {
    return createHmac('sha256', this.secret).update(`radledger:${purpose}`).digest();
  }

  /** A session JWT or an OIDC token (`rlt_…` API tokens are the identity service's). Tokens without `exp` are refused. */
  async verify(token: string, now = Date.now()): Promise<CredentialClaim> {
    const known = this.verified.get(token);
    if (known && now < known.expiresAtMs) return known.claim;
    if (known) this.verified.delete(token);
    const { claim, expiresAtMs } = await this.verifyUncached(token, new Date(now));
    if (this.verified.size >= TokenService.VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claim, expiresAtMs });
    return claim;
  }

  private async verifyUncached(token: string, now: Date): Promise<{ claim: CredentialClaim; expiresAtMs: number }> {
    try {
      const unverifiedIssuer = peekIssuer(token);
      if (this.jwks && this.options.oidc && unverifiedIssuer === this.options.oidc.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, {
          issuer: this.options.oidc.issuer,
          audience: this.options.oidc.audience,
          algorithms: ['RS256', 'ES256', 'EdDSA', 'PS256'],
          requiredClaims: ['exp', 'iat'],
          currentDate: now,
        });
        return { claim: claimOf(payload, 'oidc'), expiresAtMs: (payload.exp ?? 0) * 1000 };
      }
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp', 'iat'], currentDate: now });
      return { claim: claimOf(payload, 'session'), expiresAtMs: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('token expired: log in again');
      throw new AuthenticationError('token rejected: not a valid RadLedger or OIDC token');
    }
  }
}

function peekIssuer(token: string): string | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

function claimOf(payload: JWTPayload, authMethod: CredentialClaim['authMethod']): CredentialClaim {
  if (!payload.sub) throw new AuthenticationError('token has no subject');
  const name = (payload as { name?: unknown }).name;
  const claim: CredentialClaim = { userId: payload.sub, authMethod, issuedAt: new Date((payload.iat ?? 0) * 1000), ...(typeof name === 'string' && name ? { printedName: name } : {}) };
  if (authMethod !== 'oidc') return claim;
  const rawGrants = (payload as { grants?: unknown; roles?: unknown }).grants ?? (payload as { roles?: unknown }).roles;
  const grants: RoleGrant[] = [];
  if (Array.isArray(rawGrants)) {
    for (const g of rawGrants) {
      if (typeof g === 'string' && isRole(g)) grants.push({ role: g });
      else if (g && typeof g === 'object' && isRole((g as RoleGrant).role)) {
        const { role, trialId, siteId } = g as RoleGrant;
        grants.push({ role, ...(typeof trialId === 'string' ? { trialId } : {}), ...(typeof siteId === 'string' ? { siteId } : {}) });
      }
    }
  }
  return { ...claim, oidcGrants: grants };
}
