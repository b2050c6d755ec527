import { Inject, UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { CommandResult } from '@radledger/domain';
import type { Actor } from '../auth/actor.js';
import { isRole } from '../auth/actor.js';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators.js';
import { CommandResultModel } from '../commands/command-io.model.js';
import { CLIENT_NAME } from '../commands/client-name.js';
import { LoginThrottlerGuard } from '../security/login-throttler.guard.js';
import { ValidationError } from '@radledger/platform';
import { IdentityService, type AdminContext } from './identity.service.js';
import { IssueApiTokenInput, IssuedApiTokenModel, LoginResultModel, RegisterUserInput, RevokeApiTokenInput, RoleGrantInput, SetUserPasswordInput } from './identity.inputs.js';

function resultModel(result: CommandResult): CommandResultModel {
  return {
    streamId: result.streamId,
    nextExpectedRevision: result.nextExpectedRevision,
    events: result.events.map((e) => ({ eventId: e.eventId, type: e.type, streamId: e.streamId, globalPosition: e.globalPosition, hash: e.hash, recordedAt: e.meta.recordedAt })),
  };
}

const admin = (actor: Actor): AdminContext => ({ userId: actor.userId, role: 'admin', client: CLIENT_NAME });

function grantInput(input: RoleGrantInput) {
  if (!isRole(input.role)) throw new ValidationError('INVALID_ENUM', `role: expected one of site-operator, data-scientist, qa, regulatory, monitor, admin, got ${JSON.stringify(String(input.role).slice(0, 40))}`, { field: 'role' });
  return { userId: input.userId, role: input.role, trialId: input.trialId ?? undefined, siteId: input.siteId ?? undefined, reason: input.reason };
}

/** Logging in and user administration (issue 6 part 1); every change is a ledger event. */
@Resolver()
export class IdentityResolver {
  constructor(@Inject(IdentityService) private readonly identity: IdentityService) {}

  @Mutation(() => LoginResultModel, { description: 'Password login → a 15-minute session token. Rate-limited per client; 5 consecutive failures lock the account (21 CFR 11.300(d)).' })
  @Public()
  @UseGuards(LoginThrottlerGuard)
  async login(@Args('userId') userId: string, @Args('password') password: string): Promise<LoginResultModel> {
    const { token, expiresAt, user } = await this.identity.login(userId, password);
    return { token, expiresAt, actor: { userId: user.userId, printedName: user.printedName, grants: user.grants, authMethod: 'session' } };
  }

  @Mutation(() => CommandResultModel, { description: 'Register a user (admin); recorded as UserRegistered.' })
  @Roles('admin')
  async registerUser(@Args('input') input: RegisterUserInput, @CurrentActor() actor: Actor): Promise<CommandResultModel> {
    return resultModel(await this.identity.registerUser(admin(actor), { userId: input.userId, printedName: input.printedName, password: input.password ?? undefined }));
  }

  @Mutation(() => CommandResultModel, { description: 'Grant a role for a trial/site scope (admin); recorded with the reason.' })
  @Roles('admin')
  async grantRole(@Args('input') input: RoleGrantInput, @CurrentActor() actor: Actor): Promise<CommandResultModel> {
    return resultModel(await this.identity.grantRole(admin(actor), grantInput(input)));
  }

  @Mutation(() => CommandResultModel, { description: 'Revoke a role grant (admin); recorded with the reason.' })
  @Roles('admin')
  async revokeRole(@Args('input') input: RoleGrantInput, @CurrentActor() actor: Actor): Promise<CommandResultModel> {
    return resultModel(await this.identity.revokeRole(admin(actor), grantInput(input)));
  }

  @Mutation(() => Boolean, { description: "Set a user's password (admin reset)." })
  @Roles('admin')
  async setUserPassword(@Args('input') input: SetUserPasswordInput): Promise<boolean> {
    await this.identity.setPassword(input.userId, input.password);
    return true;
  }

  @Mutation(() => IssuedApiTokenModel, { description: 'Issue a scoped API token for a pipeline (admin); the token is shown once, only its hash is kept.' })
  @Roles('admin')
  async issueApiToken(@Args('input') input: IssueApiTokenInput, @CurrentActor() actor: Actor): Promise<IssuedApiTokenModel> {
    return this.identity.issueApiToken(admin(actor), { userId: input.userId, scopes: input.scopes, expiresAt: input.expiresAt });
  }

  @Mutation(() => CommandResultModel, { description: 'Revoke an API token (admin); it stops working at once.' })
  @Roles('admin')
  async revokeApiToken(@Args('input') input: RevokeApiTokenInput, @CurrentActor() actor: Actor): Promise<CommandResultModel> {
    return resultModel(await this.identity.revokeApiToken(admin(actor), { tokenId: input.tokenId, reason: input.reason }));
  }
}
