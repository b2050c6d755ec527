// API request throughput against a baseline measured in the same run with the same load
// generator (autocannon, 16 connections): a bare Nest + Apollo app answering a constant query,
// then RadLedger's API (SQLite, production settings) answering `ledgerStatus { size }` and the
// `enrollSubject` mutation (a new pseudonym per request). Server and load generator run in
// separate processes. Prints requests/s, p50/p99 latency and each ratio to the baseline.
// Run: npm run bench -- api   (RADLEDGER_API_BENCH_SECONDS, default 10; RADLEDGER_API_BENCH_CONNECTIONS, default 16)
import autocannon from 'autocannon';
import { startBenchProcess, stopBenchProcess } from './support/bench-process.js';

const SECONDS = Number(process.env['RADLEDGER_API_BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['RADLEDGER_API_BENCH_CONNECTIONS'] ?? 16);
const SERVER = 'bench/support/api-bench-server.ts';

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Answers with a GraphQL `errors` array (HTTP 200 all the same). */
  graphqlErrors: number;
}

async function load(port: number, body: (i: number) => string, token?: string): Promise<Measured> {
  let i = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const warmup = await autocannon({ url: `http://127.0.0.1:${port}/graphql`, connections: CONNECTIONS, duration: 2, requests: [{ method: 'POST', headers, setupRequest: (r) => ({ ...r, body: body(i++) }) }] });
  void warmup;
  let graphqlErrors = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'POST', headers, setupRequest: (r) => ({ ...r, body: body(i++) }), onResponse: (_status, text) => void (text.includes('"errors"') && graphqlErrors++) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, graphqlErrors };
}

function line(name: string, m: Measured, baseline?: Measured, target?: number): void {
  const ratio = baseline ? m.rps / baseline.rps : undefined;
  const verdict = ratio !== undefined && target !== undefined ? (ratio >= target ? ` (target ≥ ${target}×: met)` : ` (target ≥ ${target}×: MISSED)`) : '';
  console.log(
    `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${String(m.p50).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms` +
      `${m.non2xx || m.errors || m.graphqlErrors ? `  non-2xx ${m.non2xx} errors ${m.errors} GraphQL errors ${m.graphqlErrors}` : ''}${ratio !== undefined ? `  ${ratio.toFixed(2)}× baseline${verdict}` : ''}`,
  );
}

export async function run(): Promise<void> {
  console.log(`autocannon, ${CONNECTIONS} connections, ${SECONDS} s per case (after 2 s of warm-up)`);
  const bare = await startBenchProcess<{ port: number }>(SERVER, ['bare']);
  let baseline: Measured;
  try {
    baseline = await load(bare.ready.port, () => '{"query":"{ ping }"}');
  } finally {
    await stopBenchProcess(bare);
  }
  line('baseline: bare Nest + Apollo { ping }', baseline);

  const api = await startBenchProcess<{ port: number; admin: string; operator: string }>(SERVER, ['api']);
  try {
    const status = await load(api.ready.port, () => '{"query":"{ ledgerStatus { size } }"}', api.ready.admin);
    line('ledgerStatus { size }', status, baseline, 0.5);
    const run = Date.now().toString(36);
    const enrol = await load(
      api.ready.port,
      // One document with variables, as GraphQL clients send it (parsed and validated once, then cached by the server).
      (i) => JSON.stringify({ query: 'mutation ($input: EnrollSubjectInput!) { enrollSubject(input: $input) { streamId } }', variables: { input: { trialId: 'BENCH', siteId: 'S1', subjectId: `B-${run}-${i}` } } }),
      api.ready.operator,
    );
    line('enrollSubject (a write)', enrol, baseline, 0.25);
    const p99 = Math.max(status.p99, enrol.p99);
    console.log(`p99 at ${CONNECTIONS} clients: ${p99} ms (target < 50 ms: ${p99 < 50 ? 'met' : 'MISSED'})`);
  } finally {
    await stopBenchProcess(api);
  }
}
