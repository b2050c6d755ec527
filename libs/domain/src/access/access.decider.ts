import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFreeText, requireId, requireOneOf, requireSha256, requireText, requireReason } from '../shared/guards.js';
import { LOGIN_METHODS, ROLES, type AccessCommand, type Role } from './access.commands.js';
import type { AccessEvent } from './access.events.js';

/** 21 CFR 11.300(d): lock the account after this many consecutive failed logins. */
export const MAX_CONSECUTIVE_LOGIN_FAILURES = 5;

export interface UserState {
  userId: string | null;
  printedName: string | null;
  /** `role|trialId|siteId` keys. */
  grants: readonly string[];
  consecutiveFailures: number;
  locked: boolean;
  tokens: Readonly<Record<string, { revoked: boolean }>>;
}

export type AccessFacts = Record<string, never>;

export function initialState(): UserState {
  return { userId: null, printedName: null, grants: [], consecutiveFailures: 0, locked: false, tokens: {} };
}

const grantKey = (role: Role, trialId: string | null, siteId: string | null) => `${role}|${trialId ?? '*'}|${siteId ?? '*'}`;
const optId = (field: string, v: string | undefined) => (v === undefined || v === null ? null : requireId(field, v));

function requireUser(state: UserState, userId: string): void {
  if (state.userId === null) throw new NotFoundError(`userId: user ${userId} is not registered`, { field: 'userId' });
}

export function decide(command: AccessCommand, state: UserState, ctx: CommandContext<AccessFacts>): AccessEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      const userId = requireId('userId', command.data.userId);
      if (state.userId !== null) throw new IllegalStateError('USER_ALREADY_REGISTERED', `userId: user ${userId} already exists`, { field: 'userId' });
      return [{ type: 'UserRegistered', data: { userId, printedName: requireText('printedName', command.data.printedName, 200) } }];
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
      const reason = requireReason('reason', d.reason ?? ctx.reason);
      const has = state.grants.includes(grantKey(role, trialId, siteId));
      if (command.type === 'GrantRole') {
        if (has) throw new IllegalStateError('ROLE_ALREADY_GRANTED', `role: ${userId} already has ${role} for this scope`, { field: 'role' });
        return [{ type: 'RoleGranted', data: { userId, role, trialId, siteId, reason } }];
      }
      if (!has) throw new NotFoundError(`role: ${userId} has no ${role} grant for this scope`, { field: 'role' });
      return [{ type: 'RoleRevoked', data: { userId, role, trialId, siteId, reason } }];
    }
    case 'RecordLoginSucceeded': {
      const userId = requireId('userId', command.data.userId);
      requireUser(state, userId);
      if (state.locked) throw new IllegalStateError('ACCOUNT_LOCKED', `userId: account ${userId} is locked`, { field: 'userId' });
      return [{ type: 'LoginSucceeded', data: { userId, method: requireOneOf('method', command.data.method, LOGIN_METHODS) } }];
    }
    case 'RecordLoginFailed': {
      const userId = requireId('userId', command.data.userId);
      const method = requireOneOf('method', command.data.method, LOGIN_METHODS);
      const failureReason = requireId('failureReason', command.data.failureReason);
      const consecutiveFailures = state.consecutiveFailures + 1;
      const failed: AccessEvent = { type: 'LoginFailed', data: { userId, method, failureReason, consecutiveFailures } };
      if (state.userId !== null && !state.locked && consecutiveFailures >= MAX_CONSECUTIVE_LOGIN_FAILURES) {
        return [failed, { type: 'AccountLocked', data: { userId, consecutiveFailures } }];
      }
      return [failed];
    }
    case 'RecordAccessDenied': {
      const d = command.data;
      return [{ type: 'AccessDenied', data: { userId: requireId('userId', d.userId), operation: requireText('operation', d.operation, 200), reasonCode: requireId('reasonCode', d.reasonCode) } }];
    }
    case 'IssueApiToken': {
      const d = command.data;
      const userId = requireId('userId', d.userId);
      requireUser(state, userId);
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
      return [{ type: 'ApiTokenRevoked', data: { userId, tokenId, reason: requireReason('reason', d.reason ?? ctx.reason) } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: UserState, event: AccessEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { ...state, userId: event.data.userId, printedName: event.data.printedName };
    case 'RoleGranted': {
      const k = grantKey(event.data.role, event.data.trialId, event.data.siteId);
      return state.grants.includes(k) ? state : { ...state, grants: [...state.grants, k] };
    }
    case 'RoleRevoked': {
      const k = grantKey(event.data.role, event.data.trialId, event.data.siteId);
      return { ...state, grants: state.grants.filter((g) => g !== k) };
    }
    case 'LoginSucceeded':
      return { ...state, consecutiveFailures: 0 };
    case 'LoginFailed':
      return { ...state, consecutiveFailures: event.data.consecutiveFailures };
    case 'AccountLocked':
      return { ...state, locked: true };
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

export const accessDecider = { decide, evolve, initialState };
