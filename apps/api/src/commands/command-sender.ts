import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { WorkflowCommand } from '@radledger/domain';
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
}

/** GraphQL input objects are class instances with null-prototype children: hand the domain plain JSON data. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
