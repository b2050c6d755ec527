import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { logger as apiLogger } from './logger.js';

interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
/** A client-chosen correlation id is kept only when it is a plain token (no log injection). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const CORRELATION_HEADER = 'x-correlation-id';

/** The correlation id of the request being served, if any (recorded as `meta.correlationId`). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/**
 * One correlation id per request (taken from `x-correlation-id` or generated), echoed in the
 * response, attached to every log line of the request and to the events it appends.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers[CORRELATION_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  const correlationId = given && CORRELATION_ID.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, correlationId);
  (req as Request & { id?: string }).id = correlationId;
  storage.run({ correlationId }, () => next());
}

/**
 * One structured access-log line per request, written when the response is finished: the
 * correlation id, method, path (never the query string: it may carry a token or an id), status
 * and duration. Nothing is serialised unless the line's level is enabled (the API's default
 * level answers 2xx at info; 4xx are warn, 5xx error).
 */
export function accessLog(logger: Logger = apiLogger) {
  return function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const url = req.originalUrl ?? req.url;
      const query = url.indexOf('?');
      logger[level](
        {
          reqId: (req as Request & { id?: string }).id,
          method: req.method,
          path: query < 0 ? url : url.slice(0, query),
          statusCode: status,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request completed',
      );
    });
    next();
  };
}
