import { Module } from '@nestjs/common';
import { ReadOperationHandler, RunOperationHandler } from './operation.messages.js';
import { operationResolvers } from './operation.resolvers.js';

/** Every declared GraphQL operation (generated resolvers) and the CQRS handlers that hand them to the application gateway. */
@Module({
  providers: [RunOperationHandler, ReadOperationHandler, ...operationResolvers],
})
export class OperationsModule {}
