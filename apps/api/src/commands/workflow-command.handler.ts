import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '@radledger/ledger';
import { CommandService } from '@radledger/domain';
import { holdsRole, type Actor, type Role } from '../auth/actor.js';
import type { CommandScope } from './command-scope.js';
import { AuthorizationError } from '../auth/auth.errors.js';
import { AccessDenialRecorder } from '../auth/access-denial.recorder.js';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { resolveCommandScope } from './command-scope.js';
import type { CommandResultModel } from './command-io.model.js';
import { ExecuteWorkflow } from './execute-workflow.command.js';
import { CLIENT_NAME } from './client-name.js';

/**
 * Thin entry point (HOUSE_STYLE): checks the actor's scope for the command's trial/site,
 * then hands the command to the domain CommandService (load → decide → append).
 */
@CommandHandler(ExecuteWorkflow)
export class WorkflowCommandHandler implements ICommandHandler<ExecuteWorkflow, CommandResultModel> {
  constructor(
    @Inject(CommandService) private readonly commands: CommandService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AccessDenialRecorder) private readonly denials: AccessDenialRecorder,
  ) {}

  async execute({ command, actor, allowedRoles, options, correlationId }: ExecuteWorkflow): Promise<CommandResultModel> {
    const timer = this.metrics.commandDuration.startTimer({ command: command.type });
    try {
      const scope = await resolveCommandScope(this.store, command);
      const role = roleFor(actor, allowedRoles, scope);
      if (!role) {
        await this.denials.record(actor, command.type, 'SCOPE_MISSING');
        throw new AuthorizationError(
          `${command.type}: needs one of ${allowedRoles.join(', ')} for ${scope.siteId ? `site ${scope.siteId}` : `trial ${scope.trialId ?? '(any)'}`}`,
          { command: command.type, ...scope },
        );
      }
      const result = await this.commands.execute(command, {
        actor: actor.userId,
        role,
        reason: options.reason ?? undefined,
        correlationId: correlationId ?? options.commandId ?? cryptoRandomId(),
        commandId: options.commandId ?? undefined,
        expectedRevision: options.expectedRevision ?? undefined,
        client: CLIENT_NAME,
      });
      for (const event of result.events) {
        if (!result.replayed) this.metrics.appendedEvents.inc({ type: event.type });
        if (event.type === 'ModelDecisionMade' && !result.replayed) {
          const data = event.data as { modelId?: string; modelVersion?: string };
          this.metrics.decisions.inc({ model: data.modelId ?? '?', version: data.modelVersion ?? '?' });
        }
      }
      timer({ outcome: 'ok' });
      return {
        streamId: result.streamId,
        nextExpectedRevision: result.nextExpectedRevision,
        events: result.events.map((e) => ({
          eventId: e.eventId,
          type: e.type,
          streamId: e.streamId,
          globalPosition: e.globalPosition,
          hash: e.hash,
          recordedAt: e.meta.recordedAt,
        })),
      };
    } catch (error) {
      timer({ outcome: (error as { code?: string }).code ?? 'error' });
      throw error;
    }
  }
}

/** The first allowed role the actor holds for this scope (recorded as `meta.role`). */
function roleFor(actor: Actor, allowed: readonly Role[], scope: CommandScope): Role | undefined {
  return allowed.find((role) => holdsRole(actor, [role], scope));
}

function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID();
}
