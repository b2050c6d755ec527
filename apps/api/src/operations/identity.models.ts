import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('RoleGrant')
export class RoleGrantModel {
  @Field() role!: string;
  @Field(() => String, { nullable: true }) trialId?: string;
  @Field(() => String, { nullable: true }) siteId?: string;
}

@ObjectType('Actor', { description: 'Who the current credentials belong to, with the grants that hold now.' })
export class ActorModel {
  @Field() userId!: string;
  @Field() printedName!: string;
  @Field(() => [RoleGrantModel]) grants!: RoleGrantModel[];
  @Field() authMethod!: string;
}

@ObjectType('LoginResult')
export class LoginResultModel {
  @Field({ description: 'Session token (JWT, HS256) for Authorization: Bearer; valid 15 minutes. Grants are checked at every request, not carried in it.' })
  token!: string;
  @Field() expiresAt!: string;
  @Field(() => ActorModel) actor!: ActorModel;
}

@ObjectType('IssuedApiToken')
export class IssuedApiTokenModel {
  @Field() tokenId!: string;
  @Field({ description: 'Shown once: only its sha256 is stored. Send as Authorization: Bearer rlt_…' }) token!: string;
  @Field(() => [String]) scopes!: string[];
  @Field() expiresAt!: string;
}
