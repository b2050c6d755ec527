import { Inject, Injectable } from '@nestjs/common';
import { CommandService } from '@radledger/domain';
import type { Actor } from './actor.js';
import { primaryRole } from './actor.js';
import { CLIENT_NAME } from '../commands/client-name.js';
import { logger } from '../logging/logger.js';

/**
 * Records an `AccessDenied` event when an authenticated caller is refused (issue 6 part 2;
 * ICH E6(R3) 4.2.2: user access is part of the audit trail). The event names the user, the
 * operation and a reason code, never a credential or the request's input. Unauthenticated
 * requests are logged, not recorded: anyone could otherwise fill the ledger.
 */
@Injectable()
export class AccessDenialRecorder {
  constructor(@Inject(CommandService) private readonly commands: CommandService) {}

  async record(actor: Actor, operation: string, reasonCode: 'ROLE_MISSING' | 'SCOPE_MISSING' | string): Promise<void> {
    try {
      await this.commands.execute(
        { type: 'RecordAccessDenied', data: { userId: actor.userId, operation: operation.slice(0, 200), reasonCode } },
        { actor: actor.userId, role: primaryRole(actor), correlationId: globalThis.crypto.randomUUID(), client: CLIENT_NAME },
      );
    } catch (error) {
      // The denial itself still stands; a user id the ledger cannot name (e.g. an odd OIDC subject) is logged instead.
      logger.warn({ userId: actor.userId, operation, reasonCode, code: (error as { code?: string }).code }, 'access denial not recorded in the ledger');
    }
  }
}
