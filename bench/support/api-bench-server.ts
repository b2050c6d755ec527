// A server for bench/api.bench.ts, in its own process:
//   bare — a bare Nest + Apollo app answering a constant query (the baseline);
//   api  — RadLedger's API on a fresh SQLite ledger (production settings, no demo), with a
//          trial BENCH, site S1, and a global admin and a site operator whose tokens it prints.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Application } from '@radledger/application';
import { loadAppConfig } from '../../apps/api/src/config/app.config.js';
import { createApiApp } from '../../apps/api/src/create-app.js';
import { setGrants } from '../../apps/api/src/testing/api-test-harness.js';
import { APPLICATION } from '../../apps/api/src/ledger/ledger.tokens.js';
import { announce } from './bench-process.js';

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: '/graphql',
      typeDefs: 'type Query { ping: Int! }',
      resolvers: { Query: { ping: () => 1 } },
      playground: false,
      graphiql: false,
    }),
  ],
})
class BareModule {}

async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  let app: INestApplication;
  if (mode === 'bare') {
    app = await NestFactory.create(BareModule, { logger: ['error'] });
    announce({ port: await listen(app) });
  } else if (mode === 'api') {
    const dir = mkdtempSync(join(tmpdir(), 'radledger-api-bench-'));
    const config = loadAppConfig({ ...process.env, RADLEDGER_DATA_DIR: dir, RADLEDGER_STORE: process.env['RADLEDGER_API_BENCH_STORE'] ?? `sqlite:${join(dir, 'ledger.db')}`, RADLEDGER_DEMO: 'false', NODE_ENV: 'production' });
    app = await createApiApp(config);
    const port = await listen(app);
    const application = app.get<Application>(APPLICATION);
    const op = { actor: 'bench', role: 'admin', correlationId: 'bench', client: 'radledger-bench' };
    await application.runtime.commands.execute({ type: 'RegisterTrial', data: { trialId: 'BENCH', title: 'API bench', sponsor: 'Bench' } }, op);
    await application.runtime.commands.execute({ type: 'EnrollSite', data: { trialId: 'BENCH', siteId: 'S1', name: 'Site 1' } }, op);
    await setGrants(application, 'bench-admin', 'Bench Admin', [{ role: 'admin' }]);
    await setGrants(application, 'bench-operator', 'Bench Operator', [{ role: 'site-operator', trialId: 'BENCH', siteId: 'S1' }]);
    const token = (userId: string, printedName: string) => application.tokens.issueSessionToken({ userId, printedName }, new Date(), 3600);
    announce({ port, admin: await token('bench-admin', 'Bench Admin'), operator: await token('bench-operator', 'Bench Operator') });
  } else {
    throw new Error(`api-bench-server: mode must be bare or api, got ${mode}`);
  }
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
