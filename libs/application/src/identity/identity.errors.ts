import { DomainError } from '@radledger/platform';

/** A password that does not meet the policy (length, common passwords, the account's own name). */
export class PasswordPolicyError extends DomainError {
  constructor(message: string, field = 'password') {
    super('PASSWORD_POLICY', message, { field });
  }
}

/** The password was set by an administrator: the person must choose their own before anything else (NIST SP 800-63B). */
export class PasswordChangeRequiredError extends DomainError {
  constructor() {
    super('PASSWORD_CHANGE_REQUIRED', 'password: this password was set by an administrator; choose your own with changePassword before signing in', { field: 'password' });
  }
}
