import { Inject } from '@nestjs/common';
import { Args, Field, InputType, Mutation, Resolver } from '@nestjs/graphql';
import { REDACTION_ROLES } from '@radledger/domain';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { CommandOptionsInput, CommandResultModel } from './command-io.model.js';
import { CommandSender } from './command-sender.js';

@InputType()
export class RedactPayloadInput {
  @Field({ description: 'The recorded event whose free text (reasons, comments) let PHI slip in.' }) eventId!: string;
  @Field(() => String, { nullable: true, description: "The event's stream, when known." }) streamId?: string;
  @Field({ description: 'Why the audit trail must change (ICH E6(R3)); recorded in clear and PHI-scanned.' }) justification!: string;
}

/**
 * ICH E6(R3) redaction of PHI that slipped into free text, by two people: the first call
 * (regulatory or admin) records `RedactionRequested`; the second, by another person holding
 * the other role, records `PayloadRedacted` and destroys the subject key sealing the text.
 */
@Resolver()
export class RedactionResolver {
  constructor(@Inject(CommandSender) private readonly sender: CommandSender) {}

  @Mutation(() => CommandResultModel, {
    description: 'Request (first person) or approve (second person, other role) the redaction of an event payload; the result names RedactionRequested or PayloadRedacted.',
  })
  redactPayload(
    @Args('input') input: RedactPayloadInput,
    @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null,
    @CurrentActor() actor: Actor,
  ) {
    return this.sender.send(
      'RedactPayload',
      { eventId: input.eventId, ...(input.streamId ? { streamId: input.streamId } : {}), justification: input.justification },
      actor,
      REDACTION_ROLES,
      options,
    );
  }
}
