import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';

@ObjectType('RoleGrant')
export class RoleGrantModel {
  @Field() role!: string;
  @Field(() => String, { nullable: true }) trialId?: string;
  @Field(() => String, { nullable: true }) siteId?: string;
}

@ObjectType('Actor')
export class ActorModel {
  @Field() userId!: string;
  @Field() printedName!: string;
  @Field(() => [RoleGrantModel]) grants!: RoleGrantModel[];
  @Field() authMethod!: string;
}

@Resolver(() => ActorModel)
export class SessionResolver {
  /** Who the current credentials belong to. */
  @Query(() => ActorModel)
  me(@CurrentActor() actor: Actor): ActorModel {
    return { userId: actor.userId, printedName: actor.printedName, grants: actor.grants, authMethod: actor.authMethod };
  }
}
