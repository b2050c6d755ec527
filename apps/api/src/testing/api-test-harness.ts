import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadAppConfig, type AppConfig } from '../config/app.config.js';
import { createApiApp } from '../create-app.js';
import { grantKey, type RoleGrant } from '@radledger/domain';
import type { Application } from '@radledger/application';
import { APPLICATION } from '../ledger/ledger.tokens.js';

export type TestBackend = 'sqlite' | 'postgres';
export const POSTGRES_TEST_URL = process.env.RADLEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApi {
  app: NestExpressApplication;
  config: AppConfig;
  dataDir: string;
  /**
   * A session token for a test user who holds exactly these grants in the ledger (registered
   * and granted by the console operator first, since grants are read from the ledger per request).
   */
  tokenFor(userId: string, grants: RoleGrant[], printedName?: string): Promise<string>;
  application: Application;
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
  const application = app.get<Application>(APPLICATION);
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataDir,
    application,
    async tokenFor(userId, grants, printedName = `Test ${userId}`) {
      await setGrants(application, userId, printedName, grants);
      return application.tokens.issueSessionToken({ userId, printedName });
    },
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

const OPERATOR = { actor: 'test-operator', role: 'admin', correlationId: 'test-setup', client: 'radledger-test' };

/** Registers the user if needed and makes their grants exactly `grants` (as a console operator would). */
export async function setGrants(application: Application, userId: string, printedName: string, grants: RoleGrant[]): Promise<void> {
  const commands = application.runtime.commands;
  const existing = await application.identity.user(userId);
  if (!existing) await commands.execute({ type: 'RegisterUser', data: { userId, printedName } }, OPERATOR);
  const held = new Map((existing?.grants ?? []).map((g) => [grantKey(g), g]));
  const wanted = new Map(grants.map((g) => [grantKey(g), g]));
  for (const [key, g] of wanted) if (!held.has(key)) await commands.execute({ type: 'GrantRole', data: { userId, ...g, reason: 'test set-up' } }, OPERATOR);
  for (const [key, g] of held) if (!wanted.has(key)) await commands.execute({ type: 'RevokeRole', data: { userId, ...g, reason: 'test set-up' } }, OPERATOR);
}
