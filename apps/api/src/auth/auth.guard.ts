import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { operationsByField } from '@radledger/domain';
import { AuthenticationError, type Application } from '@radledger/application';
import { APPLICATION } from '../ledger/ledger.tokens.js';
import { ROUTE_KEY, requestOf } from './auth.decorators.js';
import { SUBSCRIPTION_ACCESS } from '../alerts/monitor-alerts.resolver.js';

/**
 * Authentication only: every GraphQL field and REST route is a declared operation; unless its
 * access policy is public, the bearer credential must name a caller, whose current grants the
 * application then checks against the declaration (21 CFR 11.10(d)). An operation without a
 * declaration is refused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APPLICATION) private readonly app: Application,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const field =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getInfo<{ fieldName: string }>().fieldName
        : this.reflector.get<string | undefined>(ROUTE_KEY, context.getHandler());
    // A subscription is authorised as the declared query it watches (ADR 0015).
    const declared = field && field in SUBSCRIPTION_ACCESS ? SUBSCRIPTION_ACCESS[field as keyof typeof SUBSCRIPTION_ACCESS] : field;
    const declaration = declared ? operationsByField.get(declared) : undefined;
    if (!declaration) throw new AuthenticationError('this operation is not declared; refused');
    const request = requestOf(context);
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const match = value?.match(/^Bearer\s+(\S+)$/i);
    if (declaration.access.scope.kind === 'public') {
      if (match?.[1]) request.caller = await this.app.authenticate(match[1]).catch(() => undefined);
      return true;
    }
    if (!match?.[1]) throw new AuthenticationError('missing credentials: send Authorization: Bearer <token>');
    request.caller = await this.app.authenticate(match[1]);
    return true;
  }
}
