import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { grantKey, parseGrantKey, type RoleGrant } from '../shared/access-scope.js';
import { requireId, requireOneOf, requireSha256, requireText, requireReason } from '../shared/guards.js';
import { ACCOUNT_KINDS, LOGIN_METHODS, ROLES, type AccountKind, type IdentityCommand } from './identity.commands.js';
import type { IdentityEvent } from './identity.events.js';

/** 21 CFR 11.300(d): lock the account after this many consecutive failed logins; an administrator unlocks it. */
export const MAX_CONSECUTIVE_LOGIN_FAILURES = 5;

export interface UserState {
  userId: string | null;
  printedName: string | null;
  kind: AccountKind;
  /** The trial the account was registered for (null: by a global admin). */
  registeredForTrial: string | null;
  /** `role|trialId|siteId` keys. */
  grants: readonly string[];
  consecutiveFailures: number;
  locked: boolean;
  /** The current password was set by an administrator and must be changed before it signs or opens a session. */
  temporaryPassword: boolean;
  tokens: Readonly<Record<string, { revoked: boolean }>>;
}

export type IdentityFacts = Record<string, never>;

export function initialState(): UserState {
  return { userId: null, printedName: null, kind: 'person', registeredForTrial: null, grants: [], consecutiveFailures: 0, locked: false, temporaryPassword: false, tokens: {} };
}

export function grantsOf(state: Pick<UserState, 'grants'>): RoleGrant[] {
  return state.grants.flatMap((key) => parseGrantKey(key) ?? []);
}

/**
 * The trials an account belongs to, for deciding who may administer it: every trial of its
 * grants and the trial it was registered for. `global` when any grant is global or the account
 * belongs to no trial at all (then only a global admin may touch it).
 */
export function accountTrials(state: UserState): { global: boolean; trialIds: string[] } {
  const grants = grantsOf(state);
  const trials = new Set<string>();
  for (const g of grants) if (g.trialId) trials.add(g.trialId);
  if (state.registeredForTrial) trials.add(state.registeredForTrial);
  const global = grants.some((g) => g.trialId === undefined) || trials.size === 0;
  return { global, trialIds: [...trials].sort() };
}

const optId = (field: string, v: string | undefined | null) => (v === undefined || v === null ? null : requireId(field, v));

function requireUser(state: UserState, userId: string): void {
  if (state.userId === null) throw new NotFoundError(`userId: user ${userId} is not registered`, { field: 'userId' });
}

export function decide(command: IdentityCommand, state: UserState, ctx: CommandContext<IdentityFacts>): IdentityEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      const d = command.data;
      const userId = requireId('userId', d.userId);
      if (state.userId !== null) throw new IllegalStateError('USER_ALREADY_REGISTERED', `userId: user ${userId} already exists`, { field: 'userId' });
      return [
        {
          type: 'UserRegistered',
          data: { userId, printedName: requireText('printedName', d.printedName, 200), kind: requireOneOf('kind', d.kind ?? 'person', ACCOUNT_KINDS), trialId: optId('trialId', d.trialId) },
        },
      ];
    }
    case 'GrantRole':
    case 'RevokeRole': {
      const d = command.data;
      const userId = requireId('userId', d.userId);
      requireUser(state, userId);
      const role = requireOneOf('role', d.role, ROLES);
      const trialId = optId('trialId', d.trialId);
      const siteId = optId('siteId', d.siteId);
      if (siteId !== null && trialId === null) throw new ValidationError('REQUIRED', 'trialId: a site-scoped role needs its trial', { field: 'trialId' });
      if (state.kind === 'service' && role === 'admin') throw new ValidationError('SERVICE_ACCOUNT_ROLE', 'role: a service account cannot administer users', { field: 'role' });
      const reason = requireReason('reason', d.reason || ctx.reason);
      const has = state.grants.includes(grantKey({ role, ...(trialId ? { trialId } : {}), ...(siteId ? { siteId } : {}) }));
      if (command.type === 'GrantRole') {
        if (has) throw new IllegalStateError('ROLE_ALREADY_GRANTED', `role: ${userId} already has ${role} for this scope`, { field: 'role' });
        return [{ type: 'RoleGranted', data: { userId, role, trialId, siteId, reason } }];
      }
      if (!has) throw new NotFoundError(`role: ${userId} has no ${role} grant for this scope`, { field: 'role' });
      return [{ type: 'RoleRevoked', data: { userId, role, trialId, siteId, reason } }];
    }
    case 'RecordPasswordSet': {
      const userId = requireId('userId', command.data.userId);
      requireUser(state, userId);
      if (state.kind === 'service') throw new ValidationError('SERVICE_ACCOUNT_PASSWORD', 'userId: a service account has no password; issue it an API token', { field: 'userId' });
      // A password set by anyone but the person is temporary (NIST SP 800-63B 6.1.2.3: the subscriber replaces it).
      const temporary = command.data.temporary || ctx.actor !== userId;
      return [{ type: 'PasswordSet', data: { userId, temporary } }];
    }
    case 'UnlockAccount': {
      const userId = requireId('userId', command.data.userId);
      requireUser(state, userId);
      if (!state.locked) throw new IllegalStateError('ACCOUNT_NOT_LOCKED', `userId: account ${userId} is not locked`, { field: 'userId' });
      return [{ type: 'AccountUnlocked', data: { userId, reason: requireReason('reason', command.data.reason || ctx.reason) } }];
    }
    case 'RecordLoginSucceeded': {
      const userId = requireId('userId', command.data.userId);
      requireUser(state, userId);
      if (state.locked) throw new IllegalStateError('ACCOUNT_LOCKED', `userId: account ${userId} is locked`, { field: 'userId' });
      return [{ type: 'LoginSucceeded', data: { userId, method: requireOneOf('method', command.data.method, LOGIN_METHODS) } }];
    }
    case 'RecordLoginFailed': {
      const userId = requireId('userId', command.data.userId);
      requireUser(state, userId);
      const method = requireOneOf('method', command.data.method, LOGIN_METHODS);
      const failureReason = requireId('failureReason', command.data.failureReason);
      const consecutiveFailures = state.consecutiveFailures + 1;
      const failed: IdentityEvent = { type: 'LoginFailed', data: { userId, method, failureReason, consecutiveFailures } };
      if (!state.locked && consecutiveFailures >= MAX_CONSECUTIVE_LOGIN_FAILURES) return [failed, { type: 'AccountLocked', data: { userId, consecutiveFailures } }];
      return [failed];
    }
    case 'RecordUnknownLogins': {
      const d = command.data;
      if (!(d.attempts >= d.distinctIds && d.distinctIds >= 1)) throw new ValidationError('INPUT_INVALID', 'attempts: expected attempts >= distinctIds >= 1', { field: 'attempts' });
      return [{ type: 'UnknownUserLoginsFailed', data: { windowStart: d.windowStart, windowEnd: d.windowEnd, attempts: d.attempts, distinctIds: d.distinctIds } }];
    }
    case 'RecordAccessDenied': {
      const d = command.data;
      return [{ type: 'AccessDenied', data: { userId: requireId('userId', d.userId), operation: requireText('operation', d.operation, 200), reasonCode: requireId('reasonCode', d.reasonCode) } }];
    }
    case 'IssueApiToken': {
      const d = command.data;
      const userId = requireId('userId', d.userId);
      requireUser(state, userId);
      // No path to act as another person: tokens for a person are issued by that person only.
      if (state.kind === 'person' && ctx.actor !== userId) {
        throw new IllegalStateError('TOKEN_FOR_ANOTHER_PERSON', `userId: ${userId} is a person; only they can issue their own API tokens (administrators issue tokens for service accounts)`, { field: 'userId' });
      }
      const tokenId = requireId('tokenId', d.tokenId);
      if (state.tokens[tokenId]) throw new IllegalStateError('TOKEN_ALREADY_ISSUED', `tokenId: token ${tokenId} already exists`, { field: 'tokenId' });
      if (typeof d.expiresAt !== 'string' || Number.isNaN(Date.parse(d.expiresAt)) || !/Z$/.test(d.expiresAt)) {
        throw new ValidationError('INVALID_TIME', 'expiresAt: expected an ISO 8601 UTC time ending in Z', { field: 'expiresAt' });
      }
      if (Date.parse(d.expiresAt) <= ctx.now.getTime()) throw new ValidationError('INVALID_TIME', 'expiresAt: expected a time in the future', { field: 'expiresAt' });
      if (!Array.isArray(d.scopes) || d.scopes.length === 0) throw new ValidationError('REQUIRED', 'scopes: expected at least one scope', { field: 'scopes' });
      return [
        {
          type: 'ApiTokenIssued',
          data: { userId, tokenId, tokenSha256: requireSha256('tokenSha256', d.tokenSha256), scopes: d.scopes.map((s, i) => requireText(`scopes[${i}]`, s, 100)), expiresAt: new Date(d.expiresAt).toISOString() },
        },
      ];
    }
    case 'RevokeApiToken': {
      const d = command.data;
      const userId = requireId('userId', d.userId);
      const tokenId = requireId('tokenId', d.tokenId);
      const token = state.tokens[tokenId];
      if (!token) throw new NotFoundError(`tokenId: user ${userId} has no token ${tokenId}`, { field: 'tokenId' });
      if (token.revoked) throw new IllegalStateError('TOKEN_ALREADY_REVOKED', `tokenId: token ${tokenId} is already revoked`, { field: 'tokenId' });
      return [{ type: 'ApiTokenRevoked', data: { userId, tokenId, reason: requireReason('reason', d.reason || ctx.reason) } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: UserState, event: IdentityEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { ...state, userId: event.data.userId, printedName: event.data.printedName, kind: event.data.kind ?? 'person', registeredForTrial: event.data.trialId ?? null };
    case 'RoleGranted': {
      const k = grantKey({ role: event.data.role, ...(event.data.trialId ? { trialId: event.data.trialId } : {}), ...(event.data.siteId ? { siteId: event.data.siteId } : {}) });
      return state.grants.includes(k) ? state : { ...state, grants: [...state.grants, k] };
    }
    case 'RoleRevoked': {
      const k = grantKey({ role: event.data.role, ...(event.data.trialId ? { trialId: event.data.trialId } : {}), ...(event.data.siteId ? { siteId: event.data.siteId } : {}) });
      return { ...state, grants: state.grants.filter((g) => g !== k) };
    }
    case 'PasswordSet':
      return { ...state, temporaryPassword: event.data.temporary };
    case 'LoginSucceeded':
      return { ...state, consecutiveFailures: 0 };
    case 'LoginFailed':
      return { ...state, consecutiveFailures: event.data.consecutiveFailures };
    case 'AccountLocked':
      return { ...state, locked: true };
    case 'AccountUnlocked':
      return { ...state, locked: false, consecutiveFailures: 0 };
    case 'UnknownUserLoginsFailed':
    case 'AccessDenied':
      return state;
    case 'ApiTokenIssued':
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { revoked: false } } };
    case 'ApiTokenRevoked':
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { revoked: true } } };
    default:
      return ignoreUnknown(state, event);
  }
}

export const identityDecider = { decide, evolve, initialState };
