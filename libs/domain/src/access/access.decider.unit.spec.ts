import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deciderSpec } from '../testing/decider-spec.js';
import { accessDecider, MAX_CONSECUTIVE_LOGIN_FAILURES } from './access.decider.js';
import type { AccessEvent } from './access.events.js';

const spec = deciderSpec(accessDecider);
const user: AccessEvent = { type: 'UserRegistered', data: { userId: 'u1', printedName: 'Ann Operator' } };
const fail = (n: number): AccessEvent => ({ type: 'LoginFailed', data: { userId: 'u1', method: 'password', failureReason: 'bad-password', consecutiveFailures: n } });

test('users and roles are ledger events with a reason', () => {
  spec.given().when({ type: 'RegisterUser', data: { userId: 'u1', printedName: 'Ann Operator' } }).then([user]);
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

test('API tokens: hashed, future expiry, revocable once', () => {
  const issue = { userId: 'u1', tokenId: 't1', tokenSha256: 'a'.repeat(64), scopes: ['write:imaging'], expiresAt: '2027-01-01T00:00:00.000Z' };
  spec.given([user]).when({ type: 'IssueApiToken', data: issue }).then([{ type: 'ApiTokenIssued', data: issue }]);
  spec.given([user]).when({ type: 'IssueApiToken', data: { ...issue, expiresAt: '2020-01-01T00:00:00Z' } }).thenThrows('INVALID_TIME', 'expiresAt');
  const issued: AccessEvent = { type: 'ApiTokenIssued', data: issue };
  spec.given([user, issued]).when({ type: 'RevokeApiToken', data: { userId: 'u1', tokenId: 't1', reason: 'Pipeline retired' } }).thenEvents((e) => assert.equal(e[0]!.type, 'ApiTokenRevoked'));
  spec.given([user, issued, { type: 'ApiTokenRevoked', data: { userId: 'u1', tokenId: 't1', reason: 'r' } }]).when({ type: 'RevokeApiToken', data: { userId: 'u1', tokenId: 't1', reason: 'again' } }).thenThrows('TOKEN_ALREADY_REVOKED');
  spec.given([user]).when({ type: 'RecordAccessDenied', data: { userId: 'u1', operation: 'LockModel', reasonCode: 'ROLE_MISSING' } }).then([{ type: 'AccessDenied', data: { userId: 'u1', operation: 'LockModel', reasonCode: 'ROLE_MISSING' } }]);
});
