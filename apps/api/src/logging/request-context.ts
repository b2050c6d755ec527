import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from './logger.js';

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

/** Structured access log (pino) with the correlation id; headers are redacted by the logger. */
export const requestLogger = pinoHttp({
  logger,
  genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
  customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  serializers: {
    req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
    res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  },
});
