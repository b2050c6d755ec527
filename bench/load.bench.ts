// Bounded local load test of the API (issue 6 "Must show"): concurrent GraphQL mutations and
// queries against 127.0.0.1 for a fixed time, then every acknowledged event must be in the
// ledger and the whole ledger must verify. Prints requests/s and latency percentiles.
// Run: npm run bench -- load   (RADLEDGER_LOAD_SECONDS, default 60; RADLEDGER_LOAD_CONCURRENCY, default 16)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { LedgerService, type EventStore } from '@radledger/ledger';
import { loadAppConfig } from '../apps/api/src/config/app.config.js';
import { createApiApp } from '../apps/api/src/create-app.js';
import { setGrants } from '../apps/api/src/testing/api-test-harness.js';
import { APPLICATION } from '../apps/api/src/ledger/ledger.tokens.js';
import type { Application } from '@radledger/application';
import { EVENT_STORE } from '../apps/api/src/ledger/ledger.tokens.js';

const SECONDS = Number(process.env['RADLEDGER_LOAD_SECONDS'] ?? 60);
const CONCURRENCY = Number(process.env['RADLEDGER_LOAD_CONCURRENCY'] ?? 16);

interface Sample {
  kind: 'mutation' | 'query';
  ms: number;
  outcome: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-load-'));
  const config = loadAppConfig({ RADLEDGER_DATA_DIR: dir, RADLEDGER_STORE: `sqlite:${join(dir, 'ledger.db')}`, RADLEDGER_DEMO: 'false', NODE_ENV: 'production', RADLEDGER_MODE: process.env['RADLEDGER_MODE'] ?? 'all' });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  try {
    const application = app.get<Application>(APPLICATION);
    const tokens = application.tokens;
    await setGrants(application, 'load-admin', 'Load Admin', [{ role: 'admin' }]);
    const admin = await tokens.issueSessionToken({ userId: 'load-admin', printedName: 'Load Admin' });
    const gql = async (token: string, query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as { data?: Record<string, { events?: Array<{ eventId: string }> }>; errors?: Array<{ extensions?: { code?: string } }> };
    };

    // Each worker writes to its own trial (one stream per trial), as sites of different trials would.
    const operators: string[] = [];
    for (let w = 0; w < CONCURRENCY; w++) {
      const trialId = `LOAD-${w}`;
      for (const [q, v] of [
        ['mutation($i: RegisterTrialInput!) { registerTrial(input: $i) { streamId } }', { i: { trialId, title: `Load trial ${w}`, sponsor: 'Bench' } }],
        ['mutation($i: EnrollSiteInput!) { enrollSite(input: $i) { streamId } }', { i: { trialId, siteId: 'S1', name: 'Site 1' } }],
      ] as const) {
        const r = await gql(admin, q, v);
        if (r.errors) throw new Error(`setup failed: ${JSON.stringify(r.errors)}`);
      }
      await setGrants(application, `load-op-${w}`, `Operator ${w}`, [{ role: 'site-operator', trialId, siteId: 'S1' }]);
      operators.push(await tokens.issueSessionToken({ userId: `load-op-${w}`, printedName: `Operator ${w}` }));
    }

    const acknowledged = new Set<string>();
    const samples: Sample[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      operators.map(async (token, w) => {
        for (let i = 0; Date.now() < deadline; i++) {
          const mutation = i % 2 === 0;
          const t0 = performance.now();
          const r = mutation
            ? await gql(token, 'mutation($i: EnrollSubjectInput!) { enrollSubject(input: $i) { events { eventId } } }', { i: { trialId: `LOAD-${w}`, siteId: 'S1', subjectId: `L${w}-S${i}` } })
            : await gql(token, i % 4 === 1 ? '{ me { userId grants { role trialId siteId } } }' : '{ ledgerStatus { size rootHash } }');
          const ms = performance.now() - t0;
          const outcome = r.errors ? (r.errors[0]?.extensions?.code ?? 'ERROR') : 'ok';
          samples.push({ kind: mutation ? 'mutation' : 'query', ms, outcome });
          if (mutation && !r.errors) for (const e of r.data!.enrollSubject!.events ?? []) acknowledged.add(e.eventId);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;

    const store = app.get<EventStore>(EVENT_STORE);
    const present = new Set<string>();
    for (let from = 0; ; from += 5000) {
      const page = await store.readAll(from, 5000);
      for (const e of page) present.add(e.eventId);
      if (page.length < 5000) break;
    }
    const missing = [...acknowledged].filter((id) => !present.has(id));
    const verifyStart = performance.now();
    const report = await app.get(LedgerService).verifyLedger();
    const verifyMs = performance.now() - verifyStart;

    const line = (label: string, xs: Sample[]) => {
      const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
      const ok = xs.filter((s) => s.outcome === 'ok').length;
      return `${label.padEnd(10)} ${String(xs.length).padStart(7)} requests  ${(xs.length / elapsed).toFixed(1).padStart(8)} req/s  ok ${ok}  p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms  p99 ${percentile(ms, 99).toFixed(1)} ms`;
    };
    const failures: Record<string, number> = {};
    for (const s of samples) if (s.outcome !== 'ok') failures[s.outcome] = (failures[s.outcome] ?? 0) + 1;
    console.log(`load: ${CONCURRENCY} concurrent clients for ${elapsed.toFixed(1)} s against ${url} (SQLite, in-process server)`);
    console.log(line('all', samples));
    console.log(line('mutations', samples.filter((s) => s.kind === 'mutation')));
    console.log(line('queries', samples.filter((s) => s.kind === 'query')));
    console.log(`refusals: ${JSON.stringify(failures)}`);
    console.log(`acknowledged events: ${acknowledged.size}, present in the ledger: ${acknowledged.size - missing.length}, missing: ${missing.length}`);
    console.log(`ledger verify: OK, ${report.size} events, root ${report.rootHash.slice(0, 16)}…, ${(report.size / (verifyMs / 1000)).toFixed(0)} events/s`);
    if (missing.length > 0) throw new Error(`${missing.length} acknowledged events are missing from the ledger`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
