import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { pino } from 'pino';
import { accessLog } from './request-context.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  return { lines, logger: pino({ level }, sink) };
}

function serve(middleware: ReturnType<typeof accessLog>, url: string, statusCode: number): void {
  const res = Object.assign(new EventEmitter(), { statusCode }) as unknown as Response;
  const req = { method: 'GET', url, originalUrl: url, id: 'corr-1' } as unknown as Request;
  let called = false;
  middleware(req, res, (() => (called = true)) as NextFunction);
  assert.ok(called, 'the request goes on');
  (res as unknown as EventEmitter).emit('finish');
}

test('one line per finished request, without the query string, at a level set by the status', async () => {
  const { lines, logger } = capture('info');
  const log = accessLog(logger);
  serve(log, '/artifacts/abc?token=rlt_secret&subjectId=X', 200);
  serve(log, '/graphql', 403);
  serve(log, '/graphql', 503);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(lines.map((l) => [l['level'], l['path'], l['statusCode'], l['reqId']]), [
    [30, '/artifacts/abc', 200, 'corr-1'],
    [40, '/graphql', 403, 'corr-1'],
    [50, '/graphql', 503, 'corr-1'],
  ]);
  assert.ok(!JSON.stringify(lines).includes('rlt_secret'));
});

test('at warn level a 2xx request writes nothing', async () => {
  const { lines, logger } = capture('warn');
  serve(accessLog(logger), '/graphql', 200);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines.length, 0);
});
