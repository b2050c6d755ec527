import { Inject } from '@nestjs/common';
import { Args, Field, InputType, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { SignerVerification } from '../auth/signer-verification.js';
import { CommandOptionsInput, CommandResultModel } from './command-io.model.js';
import { CommandSender } from './command-sender.js';

@InputType()
export class SignRecordInput {
  @Field({ description: 'The recorded event being signed.' }) eventId!: string;
  @Field(() => String, { nullable: true, description: "The event's stream, when known." }) streamId?: string;
  @Field({ description: 'authored, reviewed, approved or responsible (21 CFR 11.50(a)(3)).' }) meaning!: string;
}

@InputType()
export class SignerCredentialsInput {
  @Field(() => String, { nullable: true, description: "The signer's password, re-entered (21 CFR 11.200(a)(1)); not needed with a session token issued within the last 5 minutes." })
  password?: string;
}

/** E-signatures: only the signer's own, freshly verified credentials sign (21 CFR 11.100, 11.200). */
@Resolver()
export class SignaturesResolver {
  constructor(
    @Inject(CommandSender) private readonly sender: CommandSender,
    @Inject(SignerVerification) private readonly signers: SignerVerification,
  ) {}

  @Mutation(() => CommandResultModel, { description: "Sign a recorded event; the signature binds the event's hash (21 CFR 11.70)." })
  async signRecord(
    @Args('input') input: SignRecordInput,
    @Args('credentials', { type: () => SignerCredentialsInput, nullable: true }) credentials: SignerCredentialsInput | null,
    @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null,
    @CurrentActor() actor: Actor,
  ) {
    await this.signers.verify(actor, credentials?.password ?? undefined);
    return this.sender.send(
      'SignRecord',
      { eventId: input.eventId, ...(input.streamId ? { streamId: input.streamId } : {}), meaning: input.meaning as never, printedName: actor.printedName },
      actor,
      ['site-operator', 'data-scientist', 'qa', 'regulatory', 'monitor', 'admin'],
      options,
    );
  }
}
