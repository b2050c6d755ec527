import { Command as CqrsCommand } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult, WorkflowCommand } from '@radledger/domain';
import type { Actor, Role } from '../auth/actor.js';
import type { CommandOptionsInput, CommandResultModel } from './command-io.model.js';

/** The message on the @nestjs/cqrs CommandBus: a domain command plus who sent it and how. */
export class ExecuteWorkflow extends CqrsCommand<CommandResultModel> {
  constructor(
    readonly command: WorkflowCommand,
    readonly actor: Actor,
    /** Roles allowed to send this command; the one matching the command's trial/site is recorded. */
    readonly allowedRoles: readonly Role[],
    readonly options: CommandOptionsInput = {},
    /**
     * For commands whose facts RadLedger computes itself (features, model decisions): does the
     * work and records the command, once the actor is authorised.
     */
    readonly run?: (metadata: CommandMetadata) => Promise<CommandResult>,
  ) {
    super();
  }
}
