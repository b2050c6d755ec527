import { randomUUID } from 'node:crypto';
import { accessDecider, loadAggregate, streamIds, type CommandMetadata, type CommandResult, type CommandService, type UserState, type WorkflowCommand } from '@radledger/domain';
import type { EventStore } from '@radledger/ledger';
import { ValidationError } from '@radledger/platform';
import type { Actor, Role, RoleGrant } from '../auth/actor.js';
import { isRole } from '../auth/actor.js';
import { AuthenticationError } from '../auth/auth.errors.js';
import type { PasswordCheck } from '../auth/signer-verification.js';
import type { TokenService } from '../auth/token.service.js';
import { SESSION_TOKEN_TTL_SECONDS } from '../auth/token.service.js';
import { apiTokenSha256, formatScope, grantCovers, isWellFormedApiToken, newApiToken, parseScope } from './api-token.js';
import type { CredentialStore } from './credential-store.port.js';
import { AccountLockedError, PasswordPolicyError } from './identity.errors.js';
import { DUMMY_PASSWORD_RECORD, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password-hasher.js';

/** Who performs an administrative change (recorded in the event's meta: 21 CFR 11.10(e)). */
export interface AdminContext {
  userId: string;
  role: Role | string;
  client: string;
  correlationId?: string;
}

export interface UserView {
  userId: string;
  printedName: string;
  grants: RoleGrant[];
  locked: boolean;
  consecutiveFailures: number;
}

export interface IssuedApiToken {
  tokenId: string;
  /** Shown once; only its sha256 is stored. */
  token: string;
  scopes: string[];
  expiresAt: string;
}

export interface IdentityServiceDeps {
  commands: CommandService;
  store: Pick<EventStore, 'readStream'>;
  credentials: CredentialStore;
  /** Needed only to log in (session tokens); the CLI leaves it out. */
  tokens?: TokenService;
  client: string;
  now?: () => Date;
}

/** The role recorded for what a person does to their own account (logging in, failing to). */
const SELF_ROLE = 'self';
const LOGIN_FAILED_MESSAGE = 'login failed: unknown user or wrong password';
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function grantsOf(state: UserState): RoleGrant[] {
  return state.grants.flatMap((key) => {
    const [role, trialId, siteId] = key.split('|');
    if (!isRole(role)) return [];
    return [{ role, ...(trialId && trialId !== '*' ? { trialId } : {}), ...(siteId && siteId !== '*' ? { siteId } : {}) }];
  });
}

export function checkPasswordPolicy(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`password: expected at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new PasswordPolicyError(`password: expected at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

/**
 * The embedded identity provider (issue 6 part 1). Users, roles, logins, failed logins,
 * lock-outs and API tokens are ledger events written through the domain CommandService
 * (ICH E6(R3) 4.2.2); secrets (scrypt hashes, token hashes) stay in the CredentialStore.
 * A plain class: the API and the CLI (`user add|role|token`) use exactly this path.
 */
export class IdentityService implements PasswordCheck {
  private readonly now: () => Date;

  constructor(private readonly deps: IdentityServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async user(userId: string): Promise<UserView | undefined> {
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return undefined;
    const { state } = await loadAggregate(this.deps.store, streamIds.user(userId), accessDecider);
    if (state.userId === null) return undefined;
    return { userId: state.userId, printedName: state.printedName ?? state.userId, grants: grantsOf(state), locked: state.locked, consecutiveFailures: state.consecutiveFailures };
  }

  async registerUser(by: AdminContext, input: { userId: string; printedName: string; password?: string; reason?: string }): Promise<CommandResult> {
    const password = input.password === undefined ? undefined : checkPasswordPolicy(input.password);
    const result = await this.send(by, { type: 'RegisterUser', data: { userId: input.userId, printedName: input.printedName } }, input.reason);
    if (password !== undefined) await this.deps.credentials.setPasswordHash(input.userId, await hashPassword(password), this.now());
    return result;
  }

  /** Sets a user's password (admin reset, or first password). The hash, never the password, is stored. */
  async setPassword(userId: string, password: string): Promise<void> {
    checkPasswordPolicy(password);
    if (!(await this.user(userId))) throw new ValidationError('NOT_FOUND', `userId: user ${userId} is not registered`, { field: 'userId' });
    await this.deps.credentials.setPasswordHash(userId, await hashPassword(password), this.now());
  }

  grantRole(by: AdminContext, grant: RoleGrant & { userId: string; reason: string }): Promise<CommandResult> {
    return this.send(by, { type: 'GrantRole', data: { userId: grant.userId, role: grant.role, trialId: grant.trialId, siteId: grant.siteId, reason: grant.reason } });
  }

  revokeRole(by: AdminContext, grant: RoleGrant & { userId: string; reason: string }): Promise<CommandResult> {
    return this.send(by, { type: 'RevokeRole', data: { userId: grant.userId, role: grant.role, trialId: grant.trialId, siteId: grant.siteId, reason: grant.reason } });
  }

  /**
   * Password login → a short-lived session token. Failures are recorded (LoginFailed with a
   * reason code, never the attempted secret) and the decider locks the account after
   * MAX_CONSECUTIVE_LOGIN_FAILURES (21 CFR 11.300(d)).
   */
  async login(userId: string, password: string): Promise<{ token: string; expiresAt: string; user: UserView }> {
    if (!this.deps.tokens) throw new Error('IdentityService: login needs a TokenService');
    if (typeof userId !== 'string' || !USER_ID.test(userId) || typeof password !== 'string') {
      throw new AuthenticationError(LOGIN_FAILED_MESSAGE);
    }
    const user = await this.user(userId);
    if (user?.locked) {
      await this.recordFailure(userId, 'account-locked');
      throw new AccountLockedError(userId);
    }
    const record = user ? await this.deps.credentials.passwordHash(userId) : undefined;
    // Verify against a dummy record for unknown users, so timing does not reveal who exists.
    const ok = (await verifyPassword(password, record ?? DUMMY_PASSWORD_RECORD)) && user !== undefined && record !== undefined;
    if (!ok) {
      const locked = await this.recordFailure(userId, user ? (record ? 'bad-password' : 'no-password-set') : 'unknown-user');
      if (locked) throw new AccountLockedError(userId);
      throw new AuthenticationError(LOGIN_FAILED_MESSAGE);
    }
    await this.send({ userId, role: SELF_ROLE, client: this.deps.client }, { type: 'RecordLoginSucceeded', data: { userId, method: 'password' } });
    const issuedAt = this.now();
    const token = await this.deps.tokens.issueSessionToken({ userId, printedName: user!.printedName, grants: user!.grants }, issuedAt);
    return { token, expiresAt: new Date(issuedAt.getTime() + SESSION_TOKEN_TTL_SECONDS * 1000).toISOString(), user: user! };
  }

  /**
   * PasswordCheck for e-signatures (21 CFR 11.200(a)(1)): a wrong password is an audited
   * failure that counts towards the lock-out; a locked account never signs.
   */
  async check(userId: string, password: string): Promise<boolean> {
    const user = await this.user(userId);
    const record = user && !user.locked ? await this.deps.credentials.passwordHash(userId) : undefined;
    const ok = (await verifyPassword(password, record ?? DUMMY_PASSWORD_RECORD)) && record !== undefined;
    if (!ok && USER_ID.test(userId)) await this.recordFailure(userId, user?.locked ? 'account-locked' : 'signature-bad-password');
    return ok;
  }

  async issueApiToken(by: AdminContext, input: { userId: string; scopes: string[]; expiresAt: string }): Promise<IssuedApiToken> {
    const user = await this.user(input.userId);
    if (!user) throw new ValidationError('NOT_FOUND', `userId: user ${input.userId} is not registered`, { field: 'userId' });
    if (!Array.isArray(input.scopes) || input.scopes.length === 0) throw new ValidationError('REQUIRED', 'scopes: expected at least one scope', { field: 'scopes' });
    const grants = input.scopes.map((s, i) => parseScope(String(s), `scopes[${i}]`));
    grants.forEach((g, i) => {
      if (!user.grants.some((held) => grantCovers(held, g))) {
        throw new ValidationError('SCOPE_NOT_HELD', `scopes[${i}]: ${input.userId} holds no grant covering ${formatScope(g)}`, { field: `scopes[${i}]` });
      }
    });
    const token = newApiToken();
    const tokenId = `tok-${randomUUID()}`;
    const scopes = grants.map(formatScope);
    const tokenSha256 = apiTokenSha256(token);
    const result = await this.send(by, { type: 'IssueApiToken', data: { userId: input.userId, tokenId, tokenSha256, scopes, expiresAt: input.expiresAt } });
    const expiresAt = (result.events[0]?.data as { expiresAt?: string } | undefined)?.expiresAt ?? input.expiresAt;
    // The ledger first: a token the store has but the ledger lacks could never be explained.
    await this.deps.credentials.saveApiToken({ tokenId, userId: input.userId, tokenSha256, scopes, expiresAt, revokedAt: null });
    return { tokenId, token, scopes, expiresAt };
  }

  async revokeApiToken(by: AdminContext, input: { tokenId: string; reason: string }): Promise<CommandResult> {
    const record = typeof input.tokenId === 'string' ? await this.deps.credentials.apiTokenById(input.tokenId) : undefined;
    if (!record) throw new ValidationError('NOT_FOUND', `tokenId: no API token ${String(input.tokenId).slice(0, 80)}`, { field: 'tokenId' });
    if (typeof input.reason !== 'string' || input.reason.trim() === '') {
      throw new ValidationError('REASON_REQUIRED', 'reason: expected a non-empty reason for this change', { field: 'reason' });
    }
    // The store first: if the ledger append then fails, the token is unusable (fails closed).
    await this.deps.credentials.markApiTokenRevoked(record.tokenId, this.now());
    return this.send(by, { type: 'RevokeApiToken', data: { userId: record.userId, tokenId: record.tokenId, reason: input.reason } });
  }

  async tokenOwner(tokenId: string): Promise<string | undefined> {
    return (await this.deps.credentials.apiTokenById(tokenId))?.userId;
  }

  /** Bearer `rlt_…`: known, not revoked, not expired, owner not locked; grants = scopes the owner still holds. */
  async actorForApiToken(token: string): Promise<Actor> {
    const rejected = new AuthenticationError('API token rejected: unknown, revoked or expired');
    if (!isWellFormedApiToken(token)) throw rejected;
    const record = await this.deps.credentials.apiTokenBySha256(apiTokenSha256(token));
    if (!record || record.revokedAt !== null || Date.parse(record.expiresAt) <= this.now().getTime()) throw rejected;
    const user = await this.user(record.userId);
    if (!user || user.locked) throw rejected;
    const grants = record.scopes.map((s) => parseScope(s)).filter((g) => user.grants.some((held) => grantCovers(held, g)));
    return { userId: user.userId, printedName: user.printedName, grants, authMethod: 'api-token', issuedAt: new Date(0) };
  }

  /** Records an access denial (no secret: the operation and a reason code only). */
  async recordAccessDenied(userId: string, operation: string, reasonCode: string): Promise<void> {
    await this.send({ userId, role: SELF_ROLE, client: this.deps.client }, { type: 'RecordAccessDenied', data: { userId, operation, reasonCode } });
  }

  /** Records a failed login; answers whether this failure locked the account. */
  private async recordFailure(userId: string, failureReason: string): Promise<boolean> {
    const result = await this.send({ userId, role: SELF_ROLE, client: this.deps.client }, { type: 'RecordLoginFailed', data: { userId, method: 'password', failureReason } });
    return result.events.some((e) => e.type === 'AccountLocked');
  }

  private send(by: AdminContext, command: WorkflowCommand, reason?: string): Promise<CommandResult> {
    const metadata: CommandMetadata = {
      actor: by.userId,
      role: by.role,
      correlationId: by.correlationId ?? randomUUID(),
      client: by.client,
      ...(reason ? { reason } : {}),
    };
    return this.deps.commands.execute(command, metadata);
  }
}
