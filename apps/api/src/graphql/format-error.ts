import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@radledger/platform';

export interface ErrorLog {
  error(obj: object, msg: string): void;
}

/**
 * One mapping from thrown errors to GraphQL errors: DomainErrors keep their stable code and
 * message (which names the field); anything unexpected becomes INTERNAL_SERVER_ERROR with no
 * stack trace or internals sent to the client (the log keeps them).
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown, log?: ErrorLog): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...safeDetails(original.details) },
    };
  }
  const code = formatted.extensions?.['code'];
  const httpStatus = (original as { status?: number; getStatus?: () => number })?.getStatus?.();
  if (httpStatus === 413) {
    return { message: 'request too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } };
  }
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    // Apollo's own client errors (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, ...).
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  log?.error({ err: original }, 'unexpected error in GraphQL operation');
  if (process.env.RADLEDGER_DEBUG_ERRORS) console.error(original);
  return { message: 'internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

function safeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined || /secret|password|token/i.test(key)) continue;
    out[key] = value;
  }
  return out;
}
