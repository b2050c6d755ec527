import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Application, Caller, OperationOptions } from '@radledger/application';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/** A declared mutation on the @nestjs/cqrs CommandBus: the operation, its input, who calls, how. */
export class RunOperation extends Command<unknown> {
  constructor(
    readonly field: string,
    readonly input: unknown,
    readonly caller: Caller | undefined,
    readonly options: OperationOptions,
  ) {
    super();
  }
}

/** A declared query on the QueryBus. */
export class ReadOperation extends Query<unknown> {
  constructor(
    readonly field: string,
    readonly input: unknown,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}

/** Thin entry (HOUSE_STYLE): the application's one gateway validates, authorises and runs. */
@CommandHandler(RunOperation)
export class RunOperationHandler implements ICommandHandler<RunOperation, unknown> {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  execute({ field, input, caller, options }: RunOperation): Promise<unknown> {
    return this.app.gateway.mutate(field, input, caller, options);
  }
}

@QueryHandler(ReadOperation)
export class ReadOperationHandler implements IQueryHandler<ReadOperation, unknown> {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  execute({ field, input, caller }: ReadOperation): Promise<unknown> {
    return this.app.gateway.query(field, input, caller);
  }
}
