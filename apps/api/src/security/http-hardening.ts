import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app.config.js';
import { logger } from '../logging/logger.js';

class InvalidUtf8Error extends Error {
  readonly bodyErrorCode = 'BODY_INVALID_UTF8';
}

class TooDeepError extends Error {
  readonly bodyErrorCode = 'BODY_TOO_DEEP';
}

/**
 * Deepest JSON nesting accepted in a request body. The deepest command input is about ten
 * levels; recursive consumers further down (GraphQL JSON scalars, canonical JSON) would
 * otherwise overflow the stack on a body nested tens of thousands of levels deep.
 */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of JSON text, counted on the raw bytes (strings skipped) before anything parses it. */
export function exceedsJsonDepth(buf: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 8259 §8.1: JSON text exchanged between systems MUST be UTF-8; refuse malformed bytes instead of replacing them. */
function checkJsonBody(_req: unknown, _res: unknown, buf: Buffer): void {
  try {
    utf8.decode(buf);
  } catch {
    throw new InvalidUtf8Error('body: expected UTF-8 encoded JSON (RFC 8259 §8.1), found malformed bytes');
  }
  if (exceedsJsonDepth(buf, MAX_JSON_DEPTH)) throw new TooDeepError(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/** body-parser's error types → our stable codes and HTTP status. */
function bodyError(error: { type?: string; status?: number; bodyErrorCode?: string }): { status: number; code: string; message: string } {
  if (error.bodyErrorCode === 'BODY_INVALID_UTF8') return { status: 400, code: 'BODY_INVALID_UTF8', message: 'body: expected UTF-8 encoded JSON (RFC 8259 §8.1), found malformed bytes' };
  if (error.bodyErrorCode === 'BODY_TOO_DEEP') return { status: 400, code: 'BODY_TOO_DEEP', message: `body: JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  switch (error.type) {
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'body: request too large' };
    case 'entity.parse.failed':
      return { status: 400, code: 'BODY_INVALID_JSON', message: 'body: expected valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'BODY_UNSUPPORTED_ENCODING', message: 'body: expected UTF-8 JSON without an unsupported content encoding' };
    case 'request.aborted':
    case 'request.size.invalid':
      return { status: 400, code: 'BODY_INCOMPLETE', message: 'body: the request body was incomplete' };
    default:
      return { status: error.status && error.status >= 400 && error.status < 500 ? error.status : 400, code: 'BAD_REQUEST', message: 'request could not be read' };
  }
}

/**
 * HTTP-level hardening (issue 6 part 5), applied before any route: security headers
 * (helmet), CORS only for configured origins, a JSON body limit, strict UTF-8, and typed
 * answers (no stack traces, no HTML error pages) when a body cannot be read.
 */
export function applyHttpHardening(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // One strict CSP everywhere (script-src 'self'): the console and GraphiQL are served from
  // dist/console, nothing from a CDN (ADR 0015). CORS stays off unless origins are configured.
  app.use(helmet());
  if (config.security.corsOrigins.length > 0) {
    app.enableCors({ origin: config.security.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type'], credentials: false, maxAge: 600 });
  }
  // express.json directly: Nest's useBodyParser reserves `verify` for its rawBody option.
  app.use(express.json({ limit: config.security.maxJsonBytes, verify: checkJsonBody }));
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!error || res.headersSent) return next(error);
    const { status, code, message } = bodyError(error as never);
    logger.warn({ code, path: req.path, method: req.method }, 'request body refused');
    if (req.path === '/graphql') res.status(status).json({ errors: [{ message, extensions: { code } }] });
    else res.status(status).json({ error: { code, message } });
  });
}
