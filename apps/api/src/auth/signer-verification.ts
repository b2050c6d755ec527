import { Injectable } from '@nestjs/common';
import type { Actor } from './actor.js';
import { AuthenticationError } from './auth.errors.js';

/** 21 CFR 11.200(a)(1): a signing needs credentials verified within this window. */
export const SIGNING_FRESHNESS_MS = 5 * 60 * 1000;

/** Checks a password for a user; provided by the identity store (Part 11 issue). */
export interface PasswordCheck {
  check(userId: string, password: string): Promise<boolean>;
}

/**
 * Decides whether the current credentials may sign: a re-entered password, or a session
 * token issued within the last five minutes. API tokens (machines) never sign.
 */
@Injectable()
export class SignerVerification {
  private passwords?: PasswordCheck;
  private now: () => number = () => Date.now();

  usePasswordCheck(check: PasswordCheck): void {
    this.passwords = check;
  }

  async verify(actor: Actor, password?: string): Promise<void> {
    if (actor.authMethod === 'api-token') {
      throw new AuthenticationError('signing needs a person: API tokens cannot sign records');
    }
    if (password !== undefined) {
      if (!this.passwords || !(await this.passwords.check(actor.userId, password))) {
        throw new AuthenticationError('credentials.password: the password is not correct for the signer');
      }
      return;
    }
    if (this.now() - actor.issuedAt.getTime() > SIGNING_FRESHNESS_MS) {
      throw new AuthenticationError('credentials.password: re-enter your password to sign (the session token is older than 5 minutes)');
    }
  }
}
