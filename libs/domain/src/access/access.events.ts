import type { DomainEvent } from '../shared/decider.js';
import type { LOGIN_METHODS, Role } from './access.commands.js';

type Method = (typeof LOGIN_METHODS)[number];
export type UserRegistered = DomainEvent<'UserRegistered', { userId: string; printedName: string }>;
export type RoleGranted = DomainEvent<'RoleGranted', { userId: string; role: Role; trialId: string | null; siteId: string | null; reason: string }>;
export type RoleRevoked = DomainEvent<'RoleRevoked', { userId: string; role: Role; trialId: string | null; siteId: string | null; reason: string }>;
export type LoginSucceeded = DomainEvent<'LoginSucceeded', { userId: string; method: Method }>;
export type LoginFailed = DomainEvent<'LoginFailed', { userId: string; method: Method; failureReason: string; consecutiveFailures: number }>;
export type AccountLocked = DomainEvent<'AccountLocked', { userId: string; consecutiveFailures: number }>;
export type AccessDenied = DomainEvent<'AccessDenied', { userId: string; operation: string; reasonCode: string }>;
export type ApiTokenIssued = DomainEvent<'ApiTokenIssued', { userId: string; tokenId: string; tokenSha256: string; scopes: string[]; expiresAt: string }>;
export type ApiTokenRevoked = DomainEvent<'ApiTokenRevoked', { userId: string; tokenId: string; reason: string }>;

export type AccessEvent = UserRegistered | RoleGranted | RoleRevoked | LoginSucceeded | LoginFailed | AccountLocked | AccessDenied | ApiTokenIssued | ApiTokenRevoked;
