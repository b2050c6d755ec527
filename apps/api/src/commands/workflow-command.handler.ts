import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandService, type CommandResult } from '@radledger/domain';
import { MetricsService } from '../metrics/metrics.service.js';
import { CommandAuthorizer } from './command-authorizer.js';
import type { CommandResultModel } from './command-io.model.js';
import { ExecuteWorkflow } from './execute-workflow.command.js';

/**
 * Thin entry point (HOUSE_STYLE): authorises the actor for the command's trial/site, then
 * hands the command to the domain CommandService (load → decide → append). Commands that
 * RadLedger computes itself (features, decisions) carry a `run` that does the work first.
 */
@CommandHandler(ExecuteWorkflow)
export class WorkflowCommandHandler implements ICommandHandler<ExecuteWorkflow, CommandResultModel> {
  constructor(
    @Inject(CommandService) private readonly commands: CommandService,
    @Inject(CommandAuthorizer) private readonly authorizer: CommandAuthorizer,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  async execute({ command, actor, allowedRoles, options, run }: ExecuteWorkflow): Promise<CommandResultModel> {
    const timer = this.metrics.commandDuration.startTimer({ command: command.type });
    try {
      const metadata = await this.authorizer.authorize(actor, allowedRoles, command, options);
      const result = run ? await run(metadata) : await this.commands.execute(command, metadata);
      this.count(result);
      timer({ outcome: 'ok' });
      return toResultModel(result);
    } catch (error) {
      timer({ outcome: (error as { code?: string }).code ?? 'error' });
      throw error;
    }
  }

  private count(result: CommandResult): void {
    if (result.replayed) return;
    for (const event of result.events) {
      this.metrics.appendedEvents.inc({ type: event.type });
      if (event.type === 'ModelDecisionMade') {
        const data = event.data as { modelId?: string; modelVersion?: string };
        this.metrics.decisions.inc({ model: data.modelId ?? '?', version: data.modelVersion ?? '?' });
      }
    }
  }
}

export function toResultModel(result: CommandResult): CommandResultModel {
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
}
