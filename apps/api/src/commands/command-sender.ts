import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult, WorkflowCommand } from '@radledger/domain';
import type { Actor, Role } from '../auth/actor.js';
import type { CommandOptionsInput, CommandResultModel } from './command-io.model.js';
import { ExecuteWorkflow } from './execute-workflow.command.js';

/** Puts a domain command on the CommandBus for the current actor. */
@Injectable()
export class CommandSender {
  constructor(@Inject(CommandBus) private readonly bus: CommandBus) {}

  send<T extends WorkflowCommand['type']>(
    type: T,
    data: Extract<WorkflowCommand, { type: T }>['data'],
    actor: Actor,
    allowedRoles: readonly Role[],
    options?: CommandOptionsInput | null,
  ): Promise<CommandResultModel> {
    const command = { type, data: plain(data) } as WorkflowCommand;
    return this.bus.execute(new ExecuteWorkflow(command, actor, allowedRoles, options ?? {}));
  }

  /**
   * For work RadLedger does itself before recording (computing features, running a locked
   * model): `scope` is the command-shaped data the actor is authorised against, `run` does the
   * work and records the command with the authorised metadata.
   */
  compute(
    type: WorkflowCommand['type'],
    scope: Record<string, unknown>,
    actor: Actor,
    allowedRoles: readonly Role[],
    options: CommandOptionsInput | null | undefined,
    run: (metadata: CommandMetadata) => Promise<CommandResult>,
  ): Promise<CommandResultModel> {
    const command = { type, data: plain(scope) } as WorkflowCommand;
    return this.bus.execute(new ExecuteWorkflow(command, actor, allowedRoles, options ?? {}, run));
  }
}

/** GraphQL input objects are class instances with null-prototype children: hand the domain plain JSON data. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
