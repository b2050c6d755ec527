import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

/** Options every mutation takes: idempotent retries and optimistic concurrency. */
@InputType()
export class CommandOptionsInput {
  @Field(() => String, { nullable: true, description: 'Client id of this command; a retry with the same id is answered without appending twice.' })
  commandId?: string;

  @Field(() => Int, { nullable: true, description: 'The revision the client last saw of the target stream; a stale value fails with STREAM_REVISION_CONFLICT.' })
  expectedRevision?: number;

  @Field(() => String, { nullable: true, description: 'Why (required for edits and corrections; recorded in the audit trail).' })
  reason?: string;
}

@ObjectType('RecordedEventRef')
export class RecordedEventRefModel {
  @Field() eventId!: string;
  @Field() type!: string;
  @Field() streamId!: string;
  @Field(() => String, { description: 'Global position in the ledger (decimal string: 64-bit).' }) globalPosition!: string;
  @Field() hash!: string;
  @Field() recordedAt!: string;
}

@ObjectType('CommandResult')
export class CommandResultModel {
  @Field() streamId!: string;
  @Field(() => Int) nextExpectedRevision!: number;
  @Field(() => [RecordedEventRefModel]) events!: RecordedEventRefModel[];
}
