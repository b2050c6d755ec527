import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@radledger/platform';

/** HTTP status of a typed error on the REST endpoints (GraphQL answers 200 with `errors`). */
export function httpStatusOf(error: DomainError): number {
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'STREAM_REVISION_CONFLICT':
      return 409;
    case 'ARTIFACT_TOO_LARGE':
    case 'IMAGE_TOO_LARGE':
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    default:
      return error.code.startsWith('STORE_') ? 503 : 400;
  }
}

/**
 * The one exception filter: typed domain errors are expected outcomes, not crashes. On
 * GraphQL they go back to Apollo (formatError gives `extensions.code`); on REST they become
 * `{ error: { code, message } }` with a matching status. Neither path logs a stack trace.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return error;
    const response = host.switchToHttp().getResponse<Response>();
    response.status(httpStatusOf(error)).json({ error: { code: error.code, message: error.message } });
    return undefined;
  }
}
