import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@radledger/ledger';
import type { CommandMetadata, WorkflowCommand } from '@radledger/domain';
import { holdsRole, type Actor, type Role } from '../auth/actor.js';
import { AuthorizationError } from '../auth/auth.errors.js';
import { AccessDenialRecorder } from '../auth/access-denial.recorder.js';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { resolveCommandScope, type CommandScope } from './command-scope.js';
import type { CommandOptionsInput } from './command-io.model.js';
import { CLIENT_NAME } from './client-name.js';
import { currentCorrelationId } from '../logging/request-context.js';

/**
 * One place that decides whether an actor may send a command (role, and for scoped roles the
 * command's trial and site: 21 CFR 11.10(d), (g)) and builds the event metadata that makes
 * the result attributable.
 */
@Injectable()
export class CommandAuthorizer {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AccessDenialRecorder) private readonly denials: AccessDenialRecorder,
  ) {}

  async authorize(
    actor: Actor,
    allowedRoles: readonly Role[],
    command: Pick<WorkflowCommand, 'type'> & { data: unknown },
    options: CommandOptionsInput = {},
  ): Promise<CommandMetadata> {
    const scope = await resolveCommandScope(this.store, command as WorkflowCommand);
    const role = roleFor(actor, allowedRoles, scope);
    if (!role) {
      await this.denials.record(actor, command.type, 'SCOPE_MISSING');
      throw new AuthorizationError(
        `${command.type}: needs one of ${allowedRoles.join(', ')} for ${scope.siteId ? `site ${scope.siteId}` : `trial ${scope.trialId ?? '(any)'}`}`,
        { command: command.type, ...scope },
      );
    }
    return {
      actor: actor.userId,
      role,
      reason: options.reason ?? undefined,
      correlationId: currentCorrelationId() ?? options.commandId ?? globalThis.crypto.randomUUID(),
      commandId: options.commandId ?? undefined,
      expectedRevision: options.expectedRevision ?? undefined,
      client: CLIENT_NAME,
    };
  }
}

/** The first allowed role the actor holds for this scope (recorded as `meta.role`). */
function roleFor(actor: Actor, allowed: readonly Role[], scope: CommandScope): Role | undefined {
  return allowed.find((role) => holdsRole(actor, [role], scope));
}
