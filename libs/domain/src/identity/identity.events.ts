import { defineEvent, type EventOf } from '../shared/event.js';
import { ROLES } from '../shared/access-scope.js';
import { S } from '../shared/schema.js';
import { ACCOUNT_KINDS, LOGIN_METHODS } from './identity.commands.js';

const grantData = S.obj({ userId: S.id(), role: S.oneOf(ROLES), trialId: S.nullable(S.id()), siteId: S.nullable(S.id()), reason: S.sealedText() });

export const UserRegisteredEvent = defineEvent(
  'UserRegistered',
  // v2: the account's kind and the trial it was registered for (who may administer it).
  S.obj({ userId: S.id(), printedName: S.text(200), kind: S.oneOf(ACCOUNT_KINDS), trialId: S.nullable(S.id()) }),
  [{ version: 1, schema: S.obj({ userId: S.id(), printedName: S.text(200) }), upcast: (data) => ({ ...data, kind: 'person', trialId: null }) }],
);
export const RoleGrantedEvent = defineEvent('RoleGranted', grantData);
export const RoleRevokedEvent = defineEvent('RoleRevoked', grantData);
/** 21 CFR 11.300(b): every credential change is recorded; the hash never leaves the credential store. */
export const PasswordSetEvent = defineEvent('PasswordSet', S.obj({ userId: S.id(), temporary: S.bool() }));
export const LoginSucceededEvent = defineEvent('LoginSucceeded', S.obj({ userId: S.id(), method: S.oneOf(LOGIN_METHODS) }));
export const LoginFailedEvent = defineEvent(
  'LoginFailed',
  S.obj({ userId: S.id(), method: S.oneOf(LOGIN_METHODS), failureReason: S.id(), consecutiveFailures: S.int({ minimum: 1 }) }),
);
export const AccountLockedEvent = defineEvent('AccountLocked', S.obj({ userId: S.id(), consecutiveFailures: S.int({ minimum: 1 }) }));
export const AccountUnlockedEvent = defineEvent('AccountUnlocked', S.obj({ userId: S.id(), reason: S.sealedText() }));
export const UnknownUserLoginsFailedEvent = defineEvent(
  'UnknownUserLoginsFailed',
  S.obj({ windowStart: S.utc(), windowEnd: S.utc(), attempts: S.int({ minimum: 1 }), distinctIds: S.int({ minimum: 1 }) }),
);
export const AccessDeniedEvent = defineEvent('AccessDenied', S.obj({ userId: S.id(), operation: S.text(200), reasonCode: S.id() }));
export const ApiTokenIssuedEvent = defineEvent(
  'ApiTokenIssued',
  S.obj({ userId: S.id(), tokenId: S.id(), tokenSha256: S.sha256(), scopes: S.list(S.text(100), { minItems: 1 }), expiresAt: S.utc() }),
);
export const ApiTokenRevokedEvent = defineEvent('ApiTokenRevoked', S.obj({ userId: S.id(), tokenId: S.id(), reason: S.sealedText() }));

export type UserRegistered = EventOf<typeof UserRegisteredEvent>;
export type RoleGranted = EventOf<typeof RoleGrantedEvent>;
export type RoleRevoked = EventOf<typeof RoleRevokedEvent>;
export type PasswordSet = EventOf<typeof PasswordSetEvent>;
export type LoginSucceeded = EventOf<typeof LoginSucceededEvent>;
export type LoginFailed = EventOf<typeof LoginFailedEvent>;
export type AccountLocked = EventOf<typeof AccountLockedEvent>;
export type AccountUnlocked = EventOf<typeof AccountUnlockedEvent>;
export type UnknownUserLoginsFailed = EventOf<typeof UnknownUserLoginsFailedEvent>;
export type AccessDenied = EventOf<typeof AccessDeniedEvent>;
export type ApiTokenIssued = EventOf<typeof ApiTokenIssuedEvent>;
export type ApiTokenRevoked = EventOf<typeof ApiTokenRevokedEvent>;

export const identityEvents = [
  UserRegisteredEvent,
  RoleGrantedEvent,
  RoleRevokedEvent,
  PasswordSetEvent,
  LoginSucceededEvent,
  LoginFailedEvent,
  AccountLockedEvent,
  AccountUnlockedEvent,
  UnknownUserLoginsFailedEvent,
  AccessDeniedEvent,
  ApiTokenIssuedEvent,
  ApiTokenRevokedEvent,
] as const;
export type IdentityEvent =
  | UserRegistered
  | RoleGranted
  | RoleRevoked
  | PasswordSet
  | LoginSucceeded
  | LoginFailed
  | AccountLocked
  | AccountUnlocked
  | UnknownUserLoginsFailed
  | AccessDenied
  | ApiTokenIssued
  | ApiTokenRevoked;
