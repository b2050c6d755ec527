import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Role } from './actor.js';
import { holdsRole } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY, requestOf } from './auth.decorators.js';
import { AuthenticationError, AuthorizationError } from './auth.errors.js';
import { TokenService } from './token.service.js';
import { AccessDenialRecorder } from './access-denial.recorder.js';

/**
 * Every query, mutation and REST call needs a valid bearer token unless marked @Public
 * (21 CFR 11.10(d): limiting system access to authorised individuals).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(AccessDenialRecorder) private readonly denials: AccessDenialRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = requestOf(context);
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const match = value?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new AuthenticationError('missing credentials: send Authorization: Bearer <token>');
    const actor = await this.tokens.verify(match[1]);
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !holdsRole(actor, roles)) {
      await this.denials.record(actor, operationName(context), 'ROLE_MISSING');
      throw new AuthorizationError(`role required: one of ${roles.join(', ')}`, { required: roles });
    }
    return true;
  }
}

/** The GraphQL field or the REST handler the caller was refused. */
function operationName(context: ExecutionContext): string {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getInfo<{ fieldName: string }>().fieldName;
  return `${context.getClass().name}.${context.getHandler().name}`;
}
