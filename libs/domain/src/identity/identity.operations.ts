import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineCommand, defineQuery } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { identityDecider } from './identity.decider.js';
import {
  ChangePasswordRequest,
  GrantRoleInput,
  IssueApiTokenInput,
  IssueApiTokenRequest,
  LoginRequest,
  RecordAccessDeniedInput,
  RecordLoginFailedInput,
  RecordLoginSucceededInput,
  RecordPasswordSetInput,
  RecordUnknownLoginsInput,
  RegisterUserInput,
  RegisterUserRequest,
  RevokeApiTokenInput,
  RevokeApiTokenRequest,
  RevokeRoleInput,
  SetUserPasswordRequest,
  UnlockAccountInput,
} from './identity.commands.js';

const userStream = (d: { userId: string }) => streamIds.user(d.userId);
const identity = <const T extends string, I extends import('../shared/schema.js').TSchema>(type: T, input: I) =>
  defineCommand({ type, context: 'identity', input, decider: identityDecider, stream: userStream as never });

export const RegisterUserCommand = identity('RegisterUser', RegisterUserInput);
export const GrantRoleCommand = identity('GrantRole', GrantRoleInput);
export const RevokeRoleCommand = identity('RevokeRole', RevokeRoleInput);
export const RecordPasswordSetCommand = identity('RecordPasswordSet', RecordPasswordSetInput);
export const UnlockAccountCommand = identity('UnlockAccount', UnlockAccountInput);
export const RecordLoginSucceededCommand = identity('RecordLoginSucceeded', RecordLoginSucceededInput);
export const RecordLoginFailedCommand = identity('RecordLoginFailed', RecordLoginFailedInput);
export const RecordAccessDeniedCommand = identity('RecordAccessDenied', RecordAccessDeniedInput);
export const IssueApiTokenCommand = defineCommand({
  type: 'IssueApiToken',
  context: 'identity',
  input: IssueApiTokenInput,
  decider: identityDecider,
  prepare: (d, newId) => ({ ...d, tokenId: d.tokenId ?? `tok-${newId('tokenId')}` }),
  stream: userStream,
});
export const RevokeApiTokenCommand = identity('RevokeApiToken', RevokeApiTokenInput);
export const RecordUnknownLoginsCommand = defineCommand({
  type: 'RecordUnknownLogins',
  context: 'identity',
  input: RecordUnknownLoginsInput,
  decider: identityDecider,
  stream: (d) => streamIds.unknownLogins(d.windowStart.slice(0, 10)),
});

export const identityCommands = [
  RegisterUserCommand,
  GrantRoleCommand,
  RevokeRoleCommand,
  RecordPasswordSetCommand,
  UnlockAccountCommand,
  RecordLoginSucceededCommand,
  RecordLoginFailedCommand,
  RecordUnknownLoginsCommand,
  RecordAccessDeniedCommand,
  IssueApiTokenCommand,
  RevokeApiTokenCommand,
] as const;

/** The scope of a grant: its trial (and site); a grant without a trial is global and needs a global admin. */
const grantScope = { kind: 'input', trial: (d: { trialId?: string }) => d.trialId, site: (d: { siteId?: string }) => d.siteId } as const;
/** The trials an account belongs to (identity.decider `accountTrials`): its administrators must reach all of them. */
const ofAccount = { kind: 'record', record: 'user', id: (d: { userId: string }) => d.userId } as const;

export const identityOperations = [
  defineAction({
    field: 'login',
    context: 'identity',
    description: 'Password login → a 15-minute session token. Rate-limited per client; 5 consecutive failures lock the account until an administrator unlocks it (21 CFR 11.300(d)).',
    input: LoginRequest,
    access: { roles: [], scope: { kind: 'public' } },
    records: [RecordLoginSucceededCommand, RecordLoginFailedCommand, RecordUnknownLoginsCommand],
  }),
  defineAction({
    field: 'changePassword',
    context: 'identity',
    description: 'Change your own password (needed after an administrator set a temporary one). At least 12 characters, not a common password (NIST SP 800-63B).',
    input: ChangePasswordRequest,
    access: { roles: [], scope: { kind: 'public' } },
    records: [RecordPasswordSetCommand, RecordLoginFailedCommand, RecordUnknownLoginsCommand],
  }),
  defineAction({
    field: 'registerUser',
    context: 'identity',
    description: "Register a person or a service account (a global admin, or a trial's admin for that trial); recorded as UserRegistered.",
    input: RegisterUserRequest,
    access: { roles: ['admin'], scope: { kind: 'input', trial: (d) => d.trialId } },
    records: [RegisterUserCommand, RecordPasswordSetCommand],
  }),
  defineAction({
    field: 'grantRole',
    context: 'identity',
    description: 'Grant a role for a trial/site scope; an admin grants only inside the scope of their own admin grant. Recorded with the reason.',
    input: GrantRoleInput,
    access: { roles: ['admin'], scope: grantScope },
    records: [GrantRoleCommand],
  }),
  defineAction({
    field: 'revokeRole',
    context: 'identity',
    description: 'Revoke a role grant (it stops working at once); recorded with the reason.',
    input: RevokeRoleInput,
    access: { roles: ['admin'], scope: grantScope },
    records: [RevokeRoleCommand],
  }),
  defineAction({
    field: 'setUserPassword',
    context: 'identity',
    description: "Set a temporary password for a person whose every trial you administer; they must change it at their next login. Recorded as PasswordSet.",
    input: SetUserPasswordRequest,
    access: { roles: ['admin'], scope: ofAccount },
    records: [RecordPasswordSetCommand],
  }),
  defineAction({
    field: 'unlockAccount',
    context: 'identity',
    description: 'Unlock an account locked after failed logins; recorded as AccountUnlocked with the reason.',
    input: UnlockAccountInput,
    access: { roles: ['admin'], scope: ofAccount },
    records: [UnlockAccountCommand],
  }),
  defineAction({
    field: 'issueApiToken',
    context: 'identity',
    description: 'Issue a scoped API token for yourself, or (admin) for a service account you administer; the token is shown once, only its hash is kept.',
    input: IssueApiTokenRequest,
    access: { roles: ['admin'], scope: { ...ofAccount, self: true } },
    records: [IssueApiTokenCommand],
  }),
  defineAction({
    field: 'revokeApiToken',
    context: 'identity',
    description: 'Revoke an API token (yours, or one of an account you administer); it stops working at once.',
    input: RevokeApiTokenRequest,
    access: { roles: ['admin'], scope: { kind: 'record', record: 'api-token', id: (d) => d.tokenId, self: true } },
    records: [RevokeApiTokenCommand],
  }),
  defineQuery({
    field: 'me',
    context: 'identity',
    description: 'The caller: user id, printed name and current grants.',
    input: S.obj({}),
    access: { roles: ROLES, scope: { kind: 'self' } },
    result: 'none',
  }),
] as const;
