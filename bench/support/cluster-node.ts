// One process of bench/cluster.bench.ts's production shape, configured by RADLEDGER_* like a
// deployed one (PostgreSQL ledger and read models, one shared data directory for the keys):
//   setup     — migrates, registers trial CLUSTER with sites S1 and S2, 16 site operators and a
//               QA user, prints their tokens, exits;
//   api       — an API replica (RADLEDGER_MODE=api), prints its port;
//   projector — the projector (RADLEDGER_MODE=projector), prints when it runs.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Application } from '@radledger/application';
import { loadAppConfig } from '../../apps/api/src/config/app.config.js';
import { createApiApp } from '../../apps/api/src/create-app.js';
import { setGrants } from '../../apps/api/src/testing/api-test-harness.js';
import { APPLICATION } from '../../apps/api/src/ledger/ledger.tokens.js';
import { announce } from './bench-process.js';
import { CLUSTER_CLIENTS, CLUSTER_SITES, CLUSTER_TRIAL, CLUSTER_WARMUP_TRIAL } from './cluster-shape.js';


async function main(): Promise<void> {
  const mode = process.argv[2];
  const modeEnv = mode === 'projector' ? 'projector' : 'api';
  const app: INestApplication = await createApiApp(loadAppConfig({ ...process.env, RADLEDGER_MODE: modeEnv, RADLEDGER_DEMO: 'false' }));
  if (mode === 'setup') {
    const application = app.get<Application>(APPLICATION);
    const op = { actor: 'cluster-bench', role: 'admin', correlationId: 'cluster-setup', client: 'radledger-bench' };
    for (const trialId of [CLUSTER_TRIAL, CLUSTER_WARMUP_TRIAL]) {
      await application.runtime.commands.execute({ type: 'RegisterTrial', data: { trialId, title: 'Cluster bench', sponsor: 'Bench' } }, op);
      for (const siteId of CLUSTER_SITES) await application.runtime.commands.execute({ type: 'EnrollSite', data: { trialId, siteId, name: siteId } }, op);
    }
    const token = (userId: string) => application.tokens.issueSessionToken({ userId, printedName: userId }, new Date(), 3 * 3600);
    const operators: Array<{ siteId: string; token: string }> = [];
    for (let c = 0; c < CLUSTER_CLIENTS; c++) {
      const siteId = CLUSTER_SITES[c % CLUSTER_SITES.length]!;
      await setGrants(application, `cluster-op-${c}`, `Cluster operator ${c}`, [
        { role: 'site-operator', trialId: CLUSTER_TRIAL, siteId },
        { role: 'site-operator', trialId: CLUSTER_WARMUP_TRIAL, siteId },
      ]);
      operators.push({ siteId, token: await token(`cluster-op-${c}`) });
    }
    await setGrants(application, 'cluster-qa', 'Cluster QA', [{ role: 'qa', trialId: CLUSTER_TRIAL }]);
    announce({ operators, qa: await token('cluster-qa') });
    await app.close();
    return;
  }
  if (mode === 'api') {
    await app.listen(0, '127.0.0.1');
    announce({ port: (app.getHttpServer().address() as AddressInfo).port });
  } else if (mode === 'projector') {
    announce({ projector: true });
  } else {
    throw new Error(`cluster-node: mode must be setup, api or projector, got ${mode}`);
  }
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
