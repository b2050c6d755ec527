import { Module } from '@nestjs/common';
import { CommandSender } from './command-sender.js';
import { CommandAuthorizer } from './command-authorizer.js';
import { ComputeResolver } from './compute.resolver.js';
import { WorkflowCommandHandler } from './workflow-command.handler.js';
import { WorkflowResolver } from './workflow.resolver.js';
import { SignaturesResolver } from './signatures.resolver.js';
import { RedactionResolver } from './redaction.resolver.js';
import { SignerVerification } from '../auth/signer-verification.js';

/** The write side over GraphQL: one mutation per domain command, through the CommandBus. */
@Module({
  providers: [CommandSender, CommandAuthorizer, ComputeResolver, WorkflowCommandHandler, WorkflowResolver, SignaturesResolver, RedactionResolver, SignerVerification],
  exports: [CommandSender, CommandAuthorizer, SignerVerification],
})
export class CommandsModule {}
