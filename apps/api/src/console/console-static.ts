import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../config/app.config.js';

/** Where `npm run build` (scripts/build-console.mjs, Vite) writes the web console and GraphiQL. */
export const CONSOLE_DIST = join(process.cwd(), 'dist', 'console');

/**
 * The web console at `/` (ADR 0015) and, in development, GraphiQL at `/graphiql`: static files
 * built into dist/console, nothing loaded from another host. Pages carry no data and need no
 * credentials; every answer they show comes from /graphql under the caller's access policy.
 */
export function serveConsole(app: NestExpressApplication, config: AppConfig, dir = CONSOLE_DIST): void {
  const page = (name: string) => (_req: Request, res: Response) => {
    const file = join(dir, name);
    if (!existsSync(file)) {
      res.status(503).type('text/plain').send('The web console is not built: run `npm run build` (or `npm start`), then reload.\n');
      return;
    }
    // The page names hashed asset files: always ask for the current one.
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(file);
  };
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false, redirect: false }),
  );
  const router = express.Router();
  router.get(['/', '/index.html'], page('index.html'));
  if (config.development) {
    router.get('/graphiql', page('graphiql.html'));
    // A browser opening /graphql in development lands on GraphiQL (the API serves no CDN sandbox).
    router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query['query']) res.redirect(302, '/graphiql');
      else next();
    });
  }
  app.use(router);
}
