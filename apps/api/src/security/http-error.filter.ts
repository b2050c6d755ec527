import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * Nest's own HTTP exceptions on REST routes (unknown route, wrong method) answered in the
 * same `{ error: { code, message } }` shape as DomainErrors, so every refusal is typed.
 * GraphQL errors go back to Apollo's formatError unchanged.
 */
@Catch(HttpException)
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return error;
    const status = error.getStatus();
    const response = host.switchToHttp().getResponse<Response>();
    // 5xx HttpExceptions are deliberate answers with their own body (e.g. Terminus readiness details): keep them.
    if (status >= 500) return void response.status(status).json(error.getResponse());
    const code = CODES[status] ?? `HTTP_${status}`;
    response.status(status).json({ error: { code, message: error.message } });
    return undefined;
  }
}
