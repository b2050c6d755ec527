import { DomainError } from '@radledger/platform';

/** 21 CFR 11.300(d): the account is locked after repeated failed attempts; an admin must act. */
export class AccountLockedError extends DomainError {
  constructor(userId: string) {
    super('ACCOUNT_LOCKED', `userId: account ${userId} is locked after repeated failed logins; ask an administrator`, { field: 'userId' });
  }
}

/** A password that does not meet the policy (length limits). */
export class PasswordPolicyError extends DomainError {
  constructor(message: string) {
    super('PASSWORD_POLICY', message, { field: 'password' });
  }
}
