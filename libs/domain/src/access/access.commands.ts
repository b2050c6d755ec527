import type { Command } from '../shared/decider.js';

export const ROLES = ['site-operator', 'data-scientist', 'qa', 'regulatory', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const LOGIN_METHODS = ['password', 'api-token', 'oidc'] as const;

export type RegisterUser = Command<'RegisterUser', { userId: string; printedName: string }>;
export type GrantRole = Command<'GrantRole', { userId: string; role: Role; trialId?: string; siteId?: string; reason: string }>;
export type RevokeRole = Command<'RevokeRole', { userId: string; role: Role; trialId?: string; siteId?: string; reason: string }>;
export type RecordLoginSucceeded = Command<'RecordLoginSucceeded', { userId: string; method: (typeof LOGIN_METHODS)[number] }>;
/** `failureReason` is a code (e.g. `bad-password`), never the attempted secret. */
export type RecordLoginFailed = Command<'RecordLoginFailed', { userId: string; method: (typeof LOGIN_METHODS)[number]; failureReason: string }>;
export type RecordAccessDenied = Command<'RecordAccessDenied', { userId: string; operation: string; reasonCode: string }>;
export type IssueApiToken = Command<'IssueApiToken', { userId: string; tokenId?: string; tokenSha256: string; scopes: string[]; expiresAt: string }>;
export type RevokeApiToken = Command<'RevokeApiToken', { userId: string; tokenId: string; reason: string }>;

export type AccessCommand = RegisterUser | GrantRole | RevokeRole | RecordLoginSucceeded | RecordLoginFailed | RecordAccessDenied | IssueApiToken | RevokeApiToken;
