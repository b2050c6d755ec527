import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor, Role } from './actor.js';

export const PUBLIC_KEY = 'radledger:public';
export const ROLES_KEY = 'radledger:roles';

/** Reachable without credentials (login, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the operation (scope checks by trial/site happen in the handler). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export function requestOf(context: ExecutionContext): { headers: Record<string, string | string[] | undefined>; actor?: Actor; ip?: string } {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: never }>().req;
  }
  return context.switchToHttp().getRequest();
}

/** The authenticated actor of this request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) throw new Error('CurrentActor used on a public operation');
  return actor;
});
