import type { Command } from '../shared/decider.js';
import { ROLES } from '../shared/access-scope.js';
import { S, type Static } from '../shared/schema.js';

export { ROLES, type Role } from '../shared/access-scope.js';
export const LOGIN_METHODS = ['password', 'api-token', 'oidc'] as const;
/** A person signs and logs in with a password; a service account (a pipeline) only holds API tokens issued by an admin. */
export const ACCOUNT_KINDS = ['person', 'service'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

const grant = {
  userId: S.id(),
  role: S.oneOf(ROLES),
  trialId: S.optional(S.id('Limit the role to this trial; absent: a global role (global admins only).')),
  siteId: S.optional(S.id('Limit the role to one site of the trial.')),
  reason: S.reason('Why the role changes (required).'),
};

export const RegisterUserInput = S.obj({
  userId: S.id(),
  printedName: S.text(200),
  kind: S.optional(S.oneOf(ACCOUNT_KINDS, 'person (default) or service (a pipeline: API tokens only, never signs).')),
  trialId: S.optional(S.id('The trial the account is registered for (a trial admin registers only for their trial).')),
});
export const GrantRoleInput = S.obj(grant);
export const RevokeRoleInput = S.obj(grant);
/** A password was set: by an administrator (temporary, must be changed at the next login) or by the person. The hash stays in the credential store. */
export const RecordPasswordSetInput = S.obj({ userId: S.id(), temporary: S.bool() });
export const UnlockAccountInput = S.obj({ userId: S.id(), reason: S.reason('Why the account is unlocked (required).') });
export const RecordLoginSucceededInput = S.obj({ userId: S.id(), method: S.oneOf(LOGIN_METHODS) });
/** `failureReason` is a code (e.g. `bad-password`), never the attempted secret. */
export const RecordLoginFailedInput = S.obj({ userId: S.id(), method: S.oneOf(LOGIN_METHODS), failureReason: S.id() });
/** Failed logins for ids that name no account, counted per window: never one event per guess. */
export const RecordUnknownLoginsInput = S.obj({ windowStart: S.utc(), windowEnd: S.utc(), attempts: S.int({ minimum: 1 }), distinctIds: S.int({ minimum: 1 }) });
export const RecordAccessDeniedInput = S.obj({ userId: S.id(), operation: S.text(200), reasonCode: S.id() });
export const IssueApiTokenInput = S.obj({ userId: S.id(), tokenId: S.optional(S.id()), tokenSha256: S.sha256(), scopes: S.list(S.text(100), { minItems: 1 }), expiresAt: S.utc() });
export const RevokeApiTokenInput = S.obj({ userId: S.id(), tokenId: S.id(), reason: S.reason() });

export type RegisterUser = Command<'RegisterUser', Static<typeof RegisterUserInput>>;
export type GrantRole = Command<'GrantRole', Static<typeof GrantRoleInput>>;
export type RevokeRole = Command<'RevokeRole', Static<typeof RevokeRoleInput>>;
export type RecordPasswordSet = Command<'RecordPasswordSet', Static<typeof RecordPasswordSetInput>>;
export type UnlockAccount = Command<'UnlockAccount', Static<typeof UnlockAccountInput>>;
export type RecordLoginSucceeded = Command<'RecordLoginSucceeded', Static<typeof RecordLoginSucceededInput>>;
export type RecordLoginFailed = Command<'RecordLoginFailed', Static<typeof RecordLoginFailedInput>>;
export type RecordUnknownLogins = Command<'RecordUnknownLogins', Static<typeof RecordUnknownLoginsInput>>;
export type RecordAccessDenied = Command<'RecordAccessDenied', Static<typeof RecordAccessDeniedInput>>;
export type IssueApiToken = Command<'IssueApiToken', Static<typeof IssueApiTokenInput>>;
export type RevokeApiToken = Command<'RevokeApiToken', Static<typeof RevokeApiTokenInput>>;

export type IdentityCommand =
  | RegisterUser
  | GrantRole
  | RevokeRole
  | RecordPasswordSet
  | UnlockAccount
  | RecordLoginSucceeded
  | RecordLoginFailed
  | RecordUnknownLogins
  | RecordAccessDenied
  | IssueApiToken
  | RevokeApiToken;

/** What callers send. Secrets (passwords, tokens) are never part of a command or an event. */
export const LoginRequest = S.obj({ userId: S.str({ maxLength: 200 }), password: S.str({ maxLength: 1024 }) });
export const ChangePasswordRequest = S.obj({ userId: S.str({ maxLength: 200 }), currentPassword: S.str({ maxLength: 1024 }), newPassword: S.str({ maxLength: 1024 }) });
export const RegisterUserRequest = S.obj({ ...RegisterUserInput.properties, password: S.optional(S.str({ maxLength: 1024, description: 'Initial password (temporary: changed at the first login).' })) });
export const SetUserPasswordRequest = S.obj({ userId: S.id(), password: S.str({ maxLength: 1024, description: 'A temporary password; the person must change it at the next login.' }) });
export const IssueApiTokenRequest = S.obj({
  userId: S.id('Yourself, or a service account you administer.'),
  scopes: S.list(S.text(100), { minItems: 1, description: 'role[:trialId[:siteId]] grants the token carries; each must be held by the account.' }),
  expiresAt: S.utc(),
});
export const RevokeApiTokenRequest = S.obj({ tokenId: S.id(), reason: S.reason() });
