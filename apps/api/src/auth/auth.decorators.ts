import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Caller } from '@radledger/application';
import type { RouteField } from '@radledger/domain';

export const ROUTE_KEY = 'radledger:route';

/**
 * Names the declared route a REST handler serves (libs/domain declarations): the guard finds its
 * access policy by this name, and a handler without one is refused (fail closed).
 */
export const DeclaredRoute = (field: RouteField) => SetMetadata(ROUTE_KEY, field);

export function requestOf(context: ExecutionContext): { headers: Record<string, string | string[] | undefined>; caller?: Caller; ip?: string; params?: Record<string, string> } {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: never }>().req;
  }
  return context.switchToHttp().getRequest();
}

/** The authenticated caller of this request (REST handlers; GraphQL resolvers pass it to the gateway). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller | undefined => requestOf(context).caller);
