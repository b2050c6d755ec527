import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { Actor, RoleGrant } from './actor.js';
import { isRole } from './actor.js';
import { AuthenticationError } from './auth.errors.js';

const ISSUER = 'radledger';
const AUDIENCE = 'radledger-api';
/** Session tokens are short-lived (21 CFR 11.300: controls over identification codes). */
export const SESSION_TOKEN_TTL_SECONDS = 15 * 60;

/** Verifies the API's opaque machine tokens (`rlt_…`), provided by the identity module. */
export interface ApiTokenVerifier {
  actorForApiToken(token: string): Promise<Actor>;
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
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  readonly createdSecret: boolean;

  constructor(private readonly options: TokenServiceOptions) {
    const { secret, created } = loadOrCreateAuthSecret(options.secretPath);
    this.secret = secret;
    this.createdSecret = created;
    if (options.oidc) this.jwks = createRemoteJWKSet(new URL(options.oidc.jwksUrl));
  }

  /** `ttlSeconds` defaults to the 15-minute session; only the development demo token asks for longer. */
  async issueSessionToken(user: { userId: string; printedName: string; grants: RoleGrant[] }, now = new Date(), ttlSeconds = SESSION_TOKEN_TTL_SECONDS): Promise<string> {
    return new SignJWT({ name: user.printedName, grants: user.grants })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(user.userId)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(now.getTime() / 1000) + ttlSeconds)
      .sign(this.secret);
  }

  private apiTokens?: ApiTokenVerifier;

  /** Accept `Authorization: Bearer rlt_…` API tokens, checked by `verifier`. */
  useApiTokens(verifier: ApiTokenVerifier): void {
    this.apiTokens = verifier;
  }

  async verify(token: string): Promise<Actor> {
    if (token.startsWith('rlt_')) {
      if (!this.apiTokens) throw new AuthenticationError('API tokens are not accepted by this server');
      return this.apiTokens.actorForApiToken(token);
    }
    try {
      const unverifiedIssuer = peekIssuer(token);
      if (this.jwks && this.options.oidc && unverifiedIssuer === this.options.oidc.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, {
          issuer: this.options.oidc.issuer,
          audience: this.options.oidc.audience,
          algorithms: ['RS256', 'ES256', 'EdDSA', 'PS256'],
        });
        return actorFromClaims(payload, 'oidc');
      }
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      return actorFromClaims(payload, 'session');
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

function actorFromClaims(payload: JWTPayload, authMethod: Actor['authMethod']): Actor {
  if (!payload.sub) throw new AuthenticationError('token has no subject');
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
  const name = (payload as { name?: unknown }).name;
  return {
    userId: payload.sub,
    printedName: typeof name === 'string' && name ? name : payload.sub,
    grants,
    authMethod,
    issuedAt: new Date((payload.iat ?? 0) * 1000),
  };
}
