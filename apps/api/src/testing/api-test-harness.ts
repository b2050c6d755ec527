import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadAppConfig, type AppConfig } from '../config/app.config.js';
import { createApiApp } from '../create-app.js';
import { TokenService } from '../auth/token.service.js';
import type { RoleGrant } from '../auth/actor.js';

export type TestBackend = 'sqlite' | 'postgres';
export const POSTGRES_TEST_URL = process.env.RADLEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApi {
  app: NestExpressApplication;
  config: AppConfig;
  dataDir: string;
  /** A session token for a test user with these grants. */
  tokenFor(userId: string, grants: RoleGrant[], printedName?: string): Promise<string>;
  /** POST /graphql with a bearer token; answers the parsed body. */
  graphql<T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<{ status: number; data?: T; errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }> }>;
  close(): Promise<void>;
}

/** A real API on a temp SQLite file or a fresh PostgreSQL schema, served over real HTTP by supertest. */
export async function startTestApi(backend: TestBackend = 'sqlite', env: Record<string, string> = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'radledger-e2e-'));
  const schema = `rl_e2e_${randomBytes(6).toString('hex')}`;
  const store = backend === 'sqlite' ? `sqlite:${join(dataDir, 'ledger.db')}` : `${POSTGRES_TEST_URL}?schema=${schema}`;
  const config = loadAppConfig({ RADLEDGER_DATA_DIR: dataDir, RADLEDGER_STORE: store, RADLEDGER_DEMO: 'false', NODE_ENV: 'test', ...env });
  const app = await createApiApp(config);
  const tokens = new TokenService({ secretPath: config.authSecretPath });
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataDir,
    tokenFor: (userId, grants, printedName = `Test ${userId}`) => tokens.issueSessionToken({ userId, printedName, grants }),
    async graphql(token, query, variables) {
      const req = request(server).post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${token}`);
      const res = await req.send({ query, variables });
      return { status: res.status, data: res.body?.data ?? undefined, errors: res.body?.errors };
    },
    async close() {
      await app.close();
      if (backend === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
