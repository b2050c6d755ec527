import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deciderSpec } from '../testing/decider-spec.js';
import { identityDecider, MAX_CONSECUTIVE_LOGIN_FAILURES } from './identity.decider.js';
import type { IdentityEvent } from './identity.events.js';

const spec = deciderSpec(identityDecider);
const user: IdentityEvent = { type: 'UserRegistered', data: { userId: 'u1', printedName: 'Ann Operator', kind: 'person', trialId: null } };
const fail = (n: number): IdentityEvent => ({ type: 'LoginFailed', data: { userId: 'u1', method: 'password', failureReason: 'bad-password', consecutiveFailures: n } });

test('users and roles are ledger events with a reason', () => {
  spec.given().when({ type: 'RegisterUser', data: { userId: 'u1', printedName: 'Ann Operator' } }).then([user]);
  spec.given().when({ type: 'RegisterUser', data: { userId: 'ci', printedName: 'CI pipeline', kind: 'service', trialId: 'T1' } }).then([{ type: 'UserRegistered', data: { userId: 'ci', printedName: 'CI pipeline', kind: 'service', trialId: 'T1' } }]);
  spec.given([user]).when({ type: 'RegisterUser', data: { userId: 'u1', printedName: 'x' } }).thenThrows('USER_ALREADY_REGISTERED');
  const grant = { userId: 'u1', role: 'site-operator' as const, trialId: 'T1', siteId: 'A', reason: 'Onboarding' };
  spec.given([user]).when({ type: 'GrantRole', data: grant }).then([{ type: 'RoleGranted', data: grant }]);
  spec.given([user, { type: 'RoleGranted', data: grant }]).when({ type: 'GrantRole', data: grant }).thenThrows('ROLE_ALREADY_GRANTED');
  spec.given([user]).when({ type: 'RevokeRole', data: grant }).thenThrows('NOT_FOUND', 'role');
  spec.given([user]).when({ type: 'GrantRole', data: { ...grant, reason: '' } }).thenThrows('REASON_REQUIRED');
  spec.given().when({ type: 'GrantRole', data: grant }).thenThrows('NOT_FOUND', 'userId');
});

test(`the ${MAX_CONSECUTIVE_LOGIN_FAILURES}th consecutive failed login locks the account (11.300(d))`, () => {
  const history = [user, ...[1, 2, 3, 4].map(fail)];
  spec.given(history).when({ type: 'RecordLoginFailed', data: { userId: 'u1', method: 'password', failureReason: 'bad-password' } }).then([fail(5), { type: 'AccountLocked', data: { userId: 'u1', consecutiveFailures: 5 } }]);
  spec.given([...history, fail(5), { type: 'AccountLocked', data: { userId: 'u1', consecutiveFailures: 5 } }]).when({ type: 'RecordLoginSucceeded', data: { userId: 'u1', method: 'password' } }).thenThrows('ACCOUNT_LOCKED');
  spec.given([user, fail(1), { type: 'LoginSucceeded', data: { userId: 'u1', method: 'password' } }]).when({ type: 'RecordLoginFailed', data: { userId: 'u1', method: 'password', failureReason: 'bad-password' } }).then([fail(1)]);
});

test('API tokens: hashed, future expiry, revocable once; for a person only by that person', () => {
  const issue = { userId: 'u1', tokenId: 't1', tokenSha256: 'a'.repeat(64), scopes: ['write:imaging'], expiresAt: '2027-01-01T00:00:00.000Z' };
  const service: IdentityEvent = { type: 'UserRegistered', data: { userId: 'u1', printedName: 'Berlin pipeline', kind: 'service', trialId: 'T1' } };
  spec.given([service]).when({ type: 'IssueApiToken', data: issue }).then([{ type: 'ApiTokenIssued', data: issue }]);
  spec.given([service]).when({ type: 'IssueApiToken', data: { ...issue, expiresAt: '2020-01-01T00:00:00Z' } }).thenThrows('INVALID_TIME', 'expiresAt');
  // No path to act as another person: an administrator cannot mint a person's token; the person can.
  spec.given([user]).when({ type: 'IssueApiToken', data: issue }).thenThrows('TOKEN_FOR_ANOTHER_PERSON', 'userId');
  spec.given([user]).withContext({ actor: 'u1' }).when({ type: 'IssueApiToken', data: issue }).then([{ type: 'ApiTokenIssued', data: issue }]);
  const issued: IdentityEvent = { type: 'ApiTokenIssued', data: issue };
  spec.given([service, issued]).when({ type: 'RevokeApiToken', data: { userId: 'u1', tokenId: 't1', reason: 'Pipeline retired' } }).thenEvents((e) => assert.equal(e[0]!.type, 'ApiTokenRevoked'));
  spec.given([service, issued, { type: 'ApiTokenRevoked', data: { userId: 'u1', tokenId: 't1', reason: 'r' } }]).when({ type: 'RevokeApiToken', data: { userId: 'u1', tokenId: 't1', reason: 'again' } }).thenThrows('TOKEN_ALREADY_REVOKED');
  spec.given([user]).when({ type: 'RecordAccessDenied', data: { userId: 'u1', operation: 'LockModel', reasonCode: 'ROLE_MISSING' } }).then([{ type: 'AccessDenied', data: { userId: 'u1', operation: 'LockModel', reasonCode: 'ROLE_MISSING' } }]);
});

test('credential changes are events: a password set by someone else is temporary; an admin lifts a lock-out with a reason', () => {
  spec.given([user]).when({ type: 'RecordPasswordSet', data: { userId: 'u1', temporary: false } }).then([{ type: 'PasswordSet', data: { userId: 'u1', temporary: true } }]);
  spec.given([user]).withContext({ actor: 'u1' }).when({ type: 'RecordPasswordSet', data: { userId: 'u1', temporary: false } }).then([{ type: 'PasswordSet', data: { userId: 'u1', temporary: false } }]);
  const locked: IdentityEvent[] = [user, ...[1, 2, 3, 4, 5].map(fail), { type: 'AccountLocked', data: { userId: 'u1', consecutiveFailures: 5 } }];
  spec.given([user]).when({ type: 'UnlockAccount', data: { userId: 'u1', reason: 'verified' } }).thenThrows('ACCOUNT_NOT_LOCKED');
  spec.given(locked).when({ type: 'UnlockAccount', data: { userId: 'u1', reason: '' } }).thenThrows('REASON_REQUIRED');
  spec.given(locked).when({ type: 'UnlockAccount', data: { userId: 'u1', reason: 'identity verified by phone' } }).then([{ type: 'AccountUnlocked', data: { userId: 'u1', reason: 'identity verified by phone' } }]);
  spec
    .given([...locked, { type: 'AccountUnlocked', data: { userId: 'u1', reason: 'ok' } }])
    .when({ type: 'RecordLoginSucceeded', data: { userId: 'u1', method: 'password' } })
    .then([{ type: 'LoginSucceeded', data: { userId: 'u1', method: 'password' } }]);
});

test('failed logins for ids that name no account are never recorded one by one', () => {
  spec.given().when({ type: 'RecordLoginFailed', data: { userId: 'nobody', method: 'password', failureReason: 'bad-password' } }).thenThrows('NOT_FOUND', 'userId');
  const window = { windowStart: '2026-01-05T06:00:00.000Z', windowEnd: '2026-01-05T06:01:00.000Z', attempts: 12, distinctIds: 3 };
  spec.given().when({ type: 'RecordUnknownLogins', data: window }).then([{ type: 'UnknownUserLoginsFailed', data: window }]);
});
