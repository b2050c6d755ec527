import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';

/**
 * The GraphQL context: an HTTP request as it came; a graphql-ws subscription (ADR 0015) as a
 * request whose Authorization header is the `authorization` connection parameter, so the guard
 * and the resolvers read credentials the same way for both transports.
 */
export function graphqlContext(arg: { req?: unknown; connectionParams?: Record<string, unknown>; extra?: { request?: { socket?: { remoteAddress?: string } } } }): { req: unknown } {
  if (arg.req) return { req: arg.req };
  const params = arg.connectionParams ?? {};
  const authorization = params['authorization'] ?? params['Authorization'];
  return {
    req: {
      headers: typeof authorization === 'string' ? { authorization } : {},
      ip: arg.extra?.request?.socket?.remoteAddress,
      transport: 'graphql-ws',
    },
  };
}

/**
 * graphql-ws answers with the same typed errors as HTTP (`extensions.code`, no internals): the
 * server's `onError` (a refused subscribe) and `onNext` (an error met while delivering) hooks.
 */
export function graphqlWsErrorHooks(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  const each = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  return {
    onError: (_ctx: unknown, _id: unknown, _payload: unknown, errors: readonly GraphQLError[]) => each(errors),
    onNext: (_ctx: unknown, _id: unknown, _payload: unknown, _args: unknown, result: ExecutionResult | FormattedExecutionResult) =>
      result.errors && result.errors.length > 0 && result.errors[0] instanceof GraphQLError ? { ...result, errors: each(result.errors as readonly GraphQLError[]) } : result,
  };
}
