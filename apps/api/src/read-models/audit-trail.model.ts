import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('PayloadRedaction', { description: 'Who removed sealed free text from an event, when and why (ICH E6(R3)); the text reads [redacted].' })
export class PayloadRedactionModel {
  @Field(() => String, { description: 'The event whose payload was redacted (the subject key it used was destroyed).' }) targetEventId!: string;
  @Field(() => String, { description: 'The PayloadRedacted event.' }) redactionEventId!: string;
  @Field(() => String, { description: 'Why.' }) justification!: string;
  @Field(() => String) requestedBy!: string;
  @Field(() => String) requestedRole!: string;
  @Field(() => String) approvedBy!: string;
  @Field(() => String) approvedRole!: string;
  @Field(() => String, { description: 'When (server UTC).' }) redactedAt!: string;
}

@ObjectType('AuditEntry', { description: 'Who, what, when, why (21 CFR 11.10(e)), with before/after for edits.' })
export class AuditEntryModel {
  @Field(() => Int) globalPosition!: number;
  @Field(() => String) eventId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => String) eventHash!: string;
  @Field(() => String) streamId!: string;
  @Field(() => String, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => String, { nullable: true, description: 'Who: user id.' }) actor!: string | null;
  @Field(() => String, { nullable: true, description: 'Who: printed name, when registered.' }) actorName!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => String, { nullable: true }) onBehalfOf!: string | null;
  @Field(() => String, { nullable: true, description: 'Why.' }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'When (server UTC).' }) recordedAt!: string | null;
  @Field(() => String, { nullable: true }) client!: string | null;
  @Field(() => String, { description: 'What.' }) summary!: string;
  @Field(() => String, { nullable: true, description: 'State before an edit or correction, as JSON text.' }) beforeJson!: string | null;
  @Field(() => String, { nullable: true, description: 'State after, as JSON text.' }) afterJson!: string | null;
  @Field(() => PayloadRedactionModel, { nullable: true, description: 'Set when free text of this entry reads [redacted]: who redacted it, when and why.' })
  redaction!: PayloadRedactionModel | null;
}

@ObjectType('AuditEntryEdge')
export class AuditEntryEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEntryModel) node!: AuditEntryModel;
}

@ObjectType('AuditPageInfo')
export class PageInfoModel {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('AuditTrailConnection')
export class AuditTrailConnectionModel {
  @Field(() => [AuditEntryEdgeModel]) edges!: AuditEntryEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}
