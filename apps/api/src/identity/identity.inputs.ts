import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ActorModel } from '../session/session.resolver.js';

@InputType()
export class RegisterUserInput {
  @Field() userId!: string;
  @Field({ description: '21 CFR 11.50(a)(1): the name shown on this user\'s signatures.' }) printedName!: string;
  @Field(() => String, { nullable: true, description: 'Initial password (8–256 characters); stored only as a scrypt hash.' }) password?: string;
}

@InputType()
export class RoleGrantInput {
  @Field() userId!: string;
  @Field({ description: 'site-operator, data-scientist, qa, regulatory, monitor or admin.' }) role!: string;
  @Field(() => String, { nullable: true }) trialId?: string;
  @Field(() => String, { nullable: true, description: 'A site-scoped grant also names its trial.' }) siteId?: string;
  @Field({ description: 'Why the grant changes (recorded).' }) reason!: string;
}

@InputType()
export class SetUserPasswordInput {
  @Field() userId!: string;
  @Field() password!: string;
}

@InputType()
export class IssueApiTokenInput {
  @Field() userId!: string;
  @Field(() => [String], { description: 'Grants the token may use: role, role:trialId or role:trialId:siteId (each must be held by the user).' }) scopes!: string[];
  @Field({ description: 'UTC ISO 8601 expiry, e.g. 2027-01-01T00:00:00Z.' }) expiresAt!: string;
}

@InputType()
export class RevokeApiTokenInput {
  @Field() tokenId!: string;
  @Field() reason!: string;
}

@ObjectType('LoginResult')
export class LoginResultModel {
  @Field({ description: 'Session token (JWT, HS256) for Authorization: Bearer; valid 15 minutes.' }) token!: string;
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
