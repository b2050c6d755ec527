import { randomUUID } from 'node:crypto';
import { grantsOf, type CommandMetadata, type CommandResult, type CommandService, type RoleGrant, type UserState, type WorkflowCommand } from '@radledger/domain';
import { ValidationError } from '@radledger/platform';
import { AuthenticationError } from '../access/access.errors.js';
import type { AccessDirectory } from '../access/access-directory.js';
import type { Caller } from '../access/caller.js';
import type { DenialRecorder } from '../access/access-control.js';
import { apiTokenSha256, formatScope, grantCovers, isWellFormedApiToken, newApiToken, parseScope } from './api-token.js';
import type { CredentialStore } from './credential-store.port.js';
import { PasswordChangeRequiredError } from './identity.errors.js';
import { DUMMY_PASSWORD_RECORD, hashPassword, verifyPassword } from './password-hasher.js';
import { checkPasswordPolicy } from './password-policy.js';
import { SESSION_TOKEN_TTL_SECONDS, type CredentialClaim, type TokenService } from './token.service.js';

/** What an authorised administrative operation carries into the identity service. */
export interface IdentityContext {
  caller: Caller;
  metadata: CommandMetadata;
}

export interface UserView {
  userId: string;
  printedName: string;
  kind: UserState['kind'];
  grants: RoleGrant[];
  locked: boolean;
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
  directory: AccessDirectory;
  credentials: CredentialStore;
  /** Needed to log in (session tokens); the CLI leaves it out. */
  tokens?: TokenService;
  client: string;
  now?: () => Date;
  /** Failed logins for ids that name no account are counted and recorded once per window. */
  unknownLoginWindowMs?: number;
}

/** 21 CFR 11.200(a)(1): a signing needs credentials verified within this window. */
export const SIGNING_FRESHNESS_MS = 5 * 60 * 1000;

const LOGIN_FAILED = 'login failed: unknown user, wrong password, or account locked';
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** The role recorded for what a person does to their own account (logging in, failing to, changing their password). */
const SELF = 'self';

function viewOf(state: UserState): UserView {
  return { userId: state.userId!, printedName: state.printedName ?? state.userId!, kind: state.kind, grants: grantsOf(state), locked: state.locked };
}

/**
 * The identity context's application service: who may call (current grants, every request),
 * logging in, passwords, API tokens and e-signature checks. Every credential change is a
 * ledger event written through the domain CommandService; secrets (scrypt hashes, token
 * hashes) stay in the CredentialStore. The API, the CLI and the tests use exactly this path.
 */
export class IdentityService implements DenialRecorder {
  private readonly now: () => Date;
  private unknownLogins: { windowStart: Date; attempts: number; ids: Set<string> } | undefined;

  constructor(private readonly deps: IdentityServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async user(userId: string): Promise<UserView | undefined> {
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return undefined;
    const state = await this.deps.directory.user(userId);
    return state ? viewOf(state) : undefined;
  }

  /**
   * The caller behind a verified credential, with the grants that hold now: a revoked role or a
   * locked account stops working at the next request, whatever the token says.
   */
  async callerFor(claim: CredentialClaim): Promise<Caller> {
    const state = await this.deps.directory.user(claim.userId);
    if (claim.authMethod === 'oidc') {
      // The provider is the authority for its grants; a RadLedger account of the same id that is locked still stops it.
      if (state?.locked) throw new AuthenticationError('account locked: ask an administrator');
      return { userId: claim.userId, printedName: state?.printedName ?? claim.printedName ?? claim.userId, grants: claim.oidcGrants ?? [], authMethod: 'oidc', issuedAt: claim.issuedAt };
    }
    if (!state || state.locked) throw new AuthenticationError('session rejected: the account is unknown or locked');
    if (state.temporaryPassword) throw new PasswordChangeRequiredError();
    return { userId: claim.userId, printedName: state.printedName ?? claim.userId, grants: grantsOf(state), authMethod: 'session', issuedAt: claim.issuedAt };
  }

  /** Bearer `rlt_…`: known, not revoked, not expired, owner not locked; grants = the token's scopes the owner still holds. */
  async callerForApiToken(token: string): Promise<Caller> {
    const rejected = new AuthenticationError('API token rejected: unknown, revoked or expired');
    if (!isWellFormedApiToken(token)) throw rejected;
    const record = await this.deps.credentials.apiTokenBySha256(apiTokenSha256(token));
    if (!record || record.revokedAt !== null || Date.parse(record.expiresAt) <= this.now().getTime()) throw rejected;
    const state = await this.deps.directory.user(record.userId);
    if (!state || state.locked || state.tokens[record.tokenId]?.revoked !== false) throw rejected;
    const held = grantsOf(state);
    const grants = record.scopes.map((s) => parseScope(s)).filter((g) => held.some((h) => grantCovers(h, g)));
    return { userId: record.userId, printedName: state.printedName ?? record.userId, grants, authMethod: 'api-token', issuedAt: new Date(0) };
  }

  async registerUser(ctx: IdentityContext, input: { userId: string; printedName: string; kind?: 'person' | 'service'; trialId?: string; password?: string }): Promise<CommandResult> {
    const kind = input.kind ?? 'person';
    if (input.password !== undefined && kind === 'service') throw new ValidationError('SERVICE_ACCOUNT_PASSWORD', 'password: a service account has no password; issue it an API token', { field: 'password' });
    const password = input.password === undefined ? undefined : await checkPasswordPolicy(input.password, { userId: input.userId, printedName: input.printedName });
    const result = await this.send(ctx.metadata, { type: 'RegisterUser', data: { userId: input.userId, printedName: input.printedName, kind, ...(input.trialId ? { trialId: input.trialId } : {}) } });
    if (password !== undefined) await this.storePassword(ctx.metadata, input.userId, password, true);
    return result;
  }

  grantRole(ctx: IdentityContext, input: RoleGrant & { userId: string; reason: string }): Promise<CommandResult> {
    return this.send(ctx.metadata, { type: 'GrantRole', data: grantData(input) });
  }

  revokeRole(ctx: IdentityContext, input: RoleGrant & { userId: string; reason: string }): Promise<CommandResult> {
    return this.send(ctx.metadata, { type: 'RevokeRole', data: grantData(input) });
  }

  /** An administrator's reset: a temporary password the person must replace at their next login. */
  async setUserPassword(ctx: IdentityContext, input: { userId: string; password: string }): Promise<CommandResult> {
    const user = await this.requireUser(input.userId);
    const password = await checkPasswordPolicy(input.password, { userId: user.userId, printedName: user.printedName });
    return this.storePassword(ctx.metadata, user.userId, password, ctx.caller.userId !== user.userId);
  }

  unlockAccount(ctx: IdentityContext, input: { userId: string; reason: string }): Promise<CommandResult> {
    return this.send(ctx.metadata, { type: 'UnlockAccount', data: { userId: input.userId, reason: input.reason } });
  }

  /**
   * Password login → a short-lived session token. Unknown users, wrong passwords and locked
   * accounts get the same error after the same scrypt work; failures on real accounts are
   * recorded (and lock it after 5), failures on made-up ids are counted and recorded once per window.
   */
  async login(userId: string, password: string): Promise<{ token: string; expiresAt: string; user: UserView }> {
    if (!this.deps.tokens) throw new Error('IdentityService: login needs a TokenService');
    const state = typeof userId === 'string' && USER_ID.test(userId) ? await this.deps.directory.user(userId) : undefined;
    const record = state && state.kind === 'person' ? await this.deps.credentials.passwordHash(userId) : undefined;
    const ok = (await verifyPassword(typeof password === 'string' ? password : '', record ?? DUMMY_PASSWORD_RECORD)) && record !== undefined;
    if (!state) {
      await this.countUnknownLogin(String(userId).slice(0, 200));
      throw new AuthenticationError(LOGIN_FAILED);
    }
    if (!ok || state.locked) {
      await this.recordFailure(userId, state.locked ? 'account-locked' : record ? 'bad-password' : 'no-password-set');
      throw new AuthenticationError(LOGIN_FAILED);
    }
    if (state.temporaryPassword) throw new PasswordChangeRequiredError();
    await this.send(selfMetadata(userId, this.deps.client), { type: 'RecordLoginSucceeded', data: { userId, method: 'password' } });
    const issuedAt = this.now();
    const user = viewOf(state);
    const token = await this.deps.tokens.issueSessionToken({ userId, printedName: user.printedName }, issuedAt);
    return { token, expiresAt: new Date(issuedAt.getTime() + SESSION_TOKEN_TTL_SECONDS * 1000).toISOString(), user };
  }

  /** The person replaces their password (needed after an administrator's reset); the current one must be right. */
  async changePassword(input: { userId: string; currentPassword: string; newPassword: string }): Promise<CommandResult> {
    const state = typeof input.userId === 'string' && USER_ID.test(input.userId) ? await this.deps.directory.user(input.userId) : undefined;
    const record = state && state.kind === 'person' ? await this.deps.credentials.passwordHash(input.userId) : undefined;
    const ok = (await verifyPassword(input.currentPassword, record ?? DUMMY_PASSWORD_RECORD)) && record !== undefined;
    if (!state) {
      await this.countUnknownLogin(String(input.userId).slice(0, 200));
      throw new AuthenticationError(LOGIN_FAILED);
    }
    if (!ok || state.locked) {
      await this.recordFailure(input.userId, state.locked ? 'account-locked' : 'bad-password');
      throw new AuthenticationError(LOGIN_FAILED);
    }
    const password = await checkPasswordPolicy(input.newPassword, { userId: input.userId, printedName: state.printedName ?? undefined, field: 'newPassword' });
    if (await verifyPassword(password, record!)) throw new ValidationError('PASSWORD_POLICY', 'newPassword: choose a password other than the current one', { field: 'newPassword' });
    return this.storePassword(selfMetadata(input.userId, this.deps.client), input.userId, password, false);
  }

  /**
   * 21 CFR 11.200(a)(1): signing needs the signer's own password re-entered, or a session under
   * five minutes old. API tokens (machines) and the console operator never sign.
   */
  async verifySigner(caller: Caller, password?: string): Promise<void> {
    if (caller.authMethod === 'api-token' || caller.authMethod === 'system') {
      throw new AuthenticationError('signing needs a person signed in: API tokens and the console cannot sign records');
    }
    if (password !== undefined) {
      if (!(await this.check(caller.userId, password))) throw new AuthenticationError('credentials.password: the password is not correct for the signer');
      return;
    }
    if (this.now().getTime() - caller.issuedAt.getTime() > SIGNING_FRESHNESS_MS) {
      throw new AuthenticationError('credentials.password: re-enter your password to sign (the session token is older than 5 minutes)');
    }
  }

  /** A wrong password at signing is an audited failure that counts towards the lock-out; a locked account never signs. */
  private async check(userId: string, password: string): Promise<boolean> {
    const state = await this.deps.directory.user(userId);
    const record = state && !state.locked && !state.temporaryPassword ? await this.deps.credentials.passwordHash(userId) : undefined;
    const ok = (await verifyPassword(password, record ?? DUMMY_PASSWORD_RECORD)) && record !== undefined;
    if (!ok && state) await this.recordFailure(userId, state.locked ? 'account-locked' : 'signature-bad-password');
    return ok;
  }

  /**
   * A token for yourself (any role: its scopes must be grants you hold), or for a service account
   * an administrator administers (the access policy checked that). Never for another person.
   */
  async issueApiToken(ctx: IdentityContext, input: { userId: string; scopes: string[]; expiresAt: string }): Promise<IssuedApiToken> {
    const user = await this.requireUser(input.userId);
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
    const result = await this.send(ctx.metadata, { type: 'IssueApiToken', data: { userId: input.userId, tokenId, tokenSha256, scopes, expiresAt: input.expiresAt } });
    const expiresAt = (result.events[0]?.data as { expiresAt?: string } | undefined)?.expiresAt ?? input.expiresAt;
    // The ledger first: a token the store has but the ledger lacks could never be explained.
    await this.deps.credentials.saveApiToken({ tokenId, userId: input.userId, tokenSha256, scopes, expiresAt, revokedAt: null });
    return { tokenId, token, scopes, expiresAt };
  }

  async revokeApiToken(ctx: IdentityContext, input: { tokenId: string; reason: string }): Promise<CommandResult> {
    const record = await this.deps.credentials.apiTokenById(input.tokenId);
    if (!record) throw new ValidationError('NOT_FOUND', `tokenId: no API token ${String(input.tokenId).slice(0, 80)}`, { field: 'tokenId' });
    // The store first: if the ledger append then fails, the token is unusable (fails closed).
    await this.deps.credentials.markApiTokenRevoked(record.tokenId, this.now());
    return this.send(ctx.metadata, { type: 'RevokeApiToken', data: { userId: record.userId, tokenId: record.tokenId, reason: input.reason } });
  }

  /** DenialRecorder: an `AccessDenied` in the caller's stream (no secret: the operation and a code only). */
  async record(caller: Caller, operation: string, reasonCode: string): Promise<void> {
    if (caller.authMethod === 'system' || !(await this.deps.directory.user(caller.userId))) return;
    await this.send(selfMetadata(caller.userId, this.deps.client), { type: 'RecordAccessDenied', data: { userId: caller.userId, operation: operation.slice(0, 200), reasonCode } });
  }

  /** Records what is still counted for made-up ids (at the end of each window, at shutdown, in tests). */
  async flushUnknownLogins(): Promise<void> {
    const pending = this.unknownLogins;
    if (!pending) return;
    this.unknownLogins = undefined;
    await this.send(selfMetadata('system', this.deps.client), {
      type: 'RecordUnknownLogins',
      data: { windowStart: pending.windowStart.toISOString(), windowEnd: this.now().toISOString(), attempts: pending.attempts, distinctIds: pending.ids.size },
    });
  }

  /** Counts a failed login for an id that names no account; a window that has ended is recorded first (one event per window, never per guess). */
  private async countUnknownLogin(userId: string): Promise<void> {
    const window = this.deps.unknownLoginWindowMs ?? 60_000;
    if (this.unknownLogins && this.now().getTime() - this.unknownLogins.windowStart.getTime() >= window) await this.flushUnknownLogins();
    if (!this.unknownLogins) this.unknownLogins = { windowStart: this.now(), attempts: 0, ids: new Set() };
    this.unknownLogins.attempts++;
    // Distinct ids are counted, never kept beyond the window: a mistyped id may be a person's name.
    if (this.unknownLogins.ids.size < 100_000) this.unknownLogins.ids.add(userId);
  }

  private async storePassword(metadata: CommandMetadata, userId: string, password: string, temporary: boolean): Promise<CommandResult> {
    // The ledger first (21 CFR 11.300(b): every credential change is recorded), then the hash.
    const result = await this.send(metadata, { type: 'RecordPasswordSet', data: { userId, temporary } });
    await this.deps.credentials.setPasswordHash(userId, await hashPassword(password), this.now());
    return result;
  }

  private async requireUser(userId: string): Promise<UserView> {
    const user = await this.user(userId);
    if (!user) throw new ValidationError('NOT_FOUND', `userId: user ${userId} is not registered`, { field: 'userId' });
    return user;
  }

  private async recordFailure(userId: string, failureReason: string): Promise<void> {
    await this.send(selfMetadata(userId, this.deps.client), { type: 'RecordLoginFailed', data: { userId, method: 'password', failureReason } });
  }

  private send(metadata: CommandMetadata, command: WorkflowCommand): Promise<CommandResult> {
    return this.deps.commands.execute(command, metadata);
  }
}

function grantData(input: RoleGrant & { userId: string; reason: string }) {
  return { userId: input.userId, role: input.role, ...(input.trialId ? { trialId: input.trialId } : {}), ...(input.siteId ? { siteId: input.siteId } : {}), reason: input.reason };
}

function selfMetadata(userId: string, client: string): CommandMetadata {
  return { actor: userId, role: SELF, correlationId: randomUUID(), client };
}
