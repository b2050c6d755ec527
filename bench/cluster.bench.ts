// The production shape as separate processes on loopback (issue 13): PostgreSQL (ledger and
// read models in a fresh schema), 2 API replicas (RADLEDGER_MODE=api) and 1 projector; 16
// clients enrol subjects in ONE trial without an expectedRevision, alternating replicas, with
// a ledgerStatus read after every 4th write. Every 10th enrolment is then looked for through
// the OTHER replica's audit trail until it shows (read-your-writes lag). Bounded by count and
// time. Prints writes/s, conflicts and other refusals, the lag's p50/p95, the median latency
// of the ~50th vs the ~5,000th enrolment, acknowledged events missing from the ledger, and
// verify.
// Run: npm run bench -- cluster   (RADLEDGER_CLUSTER_ENROLMENTS, default 5200; RADLEDGER_CLUSTER_SECONDS, default 150;
// RADLEDGER_CLUSTER_WARMUP, default 2000 enrolments in another trial before the clock starts)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBenchProcess, stopBenchProcess, type BenchProcess } from './support/bench-process.js';
import { CLUSTER_TRIAL, CLUSTER_WARMUP_TRIAL } from './support/cluster-shape.js';

const POSTGRES = process.env['RADLEDGER_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENROLMENTS = Number(process.env['RADLEDGER_CLUSTER_ENROLMENTS'] ?? 5200);
/** Enrolments in another trial before the clock starts: JIT, connection pools and caches warm, none of it in the measured trial. */
const WARMUP = Number(process.env['RADLEDGER_CLUSTER_WARMUP'] ?? 2000);
const SECONDS = Number(process.env['RADLEDGER_CLUSTER_SECONDS'] ?? 150);
const NODE = 'bench/support/cluster-node.ts';
/** 2 in the production shape; 1 shows what the second replica costs (appends planned on a head the other moved). */
const REPLICAS = Number(process.env['RADLEDGER_CLUSTER_REPLICAS'] ?? 2);

interface GraphqlAnswer {
  data?: Record<string, unknown>;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function gql(port: number, token: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GraphqlAnswer;
}

// Documents with variables, as GraphQL clients send them (the server parses and validates each
// document once, then serves it from its cache).
const ENROL = 'mutation ($input: EnrollSubjectInput!) { enrollSubject(input: $input) { events { eventId } } }';
const PROBE = 'query ($trialId: String!, $subjectId: String!) { auditTrail(first: 1, filter: { trialId: $trialId, subjectId: $subjectId, types: ["SubjectEnrolled"] }) { edges { node { eventId } } } }';

const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const median = (xs: number[]) => pct(sortNum(xs), 50);

export async function run(): Promise<void> {
  const schema = `rl_cluster_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'radledger-cluster-'));
  const url = `${POSTGRES}?schema=${schema}`;
  const env = { RADLEDGER_STORE: url, RADLEDGER_READ_STORE: url, RADLEDGER_DATA_DIR: dataDir };
  const processes: BenchProcess<unknown>[] = [];
  try {
    const setup = await startBenchProcess<{ operators: Array<{ siteId: string; token: string }>; qa: string }>(NODE, ['setup'], env);
    await new Promise((resolve) => setup.child.once('exit', resolve));
    const { operators, qa } = setup.ready;
    processes.push(await startBenchProcess(NODE, ['projector'], env));
    const replicas: BenchProcess<{ port: number }>[] = [];
    for (let r = 0; r < REPLICAS; r++) replicas.push(await startBenchProcess<{ port: number }>(NODE, ['api'], env));
    processes.push(...replicas);
    const ports = replicas.map((r) => r.ready.port);
    if (ports.length === 1) ports.push(ports[0]!);
    console.log(`PostgreSQL schema ${schema}; ${REPLICAS} API replica(s) on ports ${ports.join(', ')}, 1 projector; ${operators.length} clients; up to ${ENROLMENTS} enrolments or ${SECONDS} s`);

    // Warm-up, outside the clock and in another trial, through both replicas.
    let warm = 0;
    await Promise.all(
      operators.map(async ({ siteId, token }, client) => {
        for (let k = 0; ; k++) {
          const n = warm++;
          if (n >= WARMUP) return;
          const res = await gql(ports[(client + k) % 2]!, token, ENROL, { input: { trialId: CLUSTER_WARMUP_TRIAL, siteId, subjectId: `W-${siteId}-${String(n).padStart(6, '0')}` } });
          if (res.errors) throw new Error(`warm-up enrolment refused: ${JSON.stringify(res.errors)}`);
          if (k % 4 === 3) await gql(ports[k % 2]!, token, '{ ledgerStatus { size } }');
        }
      }),
    );
    if (WARMUP > 0) console.log(`warm-up: ${WARMUP} enrolments in ${CLUSTER_WARMUP_TRIAL} (not counted)`);
    // A fresh schema has no planner statistics until autovacuum's first analyze: give the tables
    // theirs now, as a database in service has, so early plans are not those of empty tables.
    const analyze = new pg.Client({ connectionString: POSTGRES });
    await analyze.connect();
    try {
      const { rows: tables } = await analyze.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [schema]);
      for (const { name } of tables) await analyze.query(`ANALYZE "${schema}"."${name}"`);
    } finally {
      await analyze.end();
    }

    const acknowledged: string[] = [];
    /** Latency of each acknowledged enrolment, in the order they were acknowledged. */
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    const lags: number[] = [];
    const probes: Promise<void>[] = [];
    let reads = 0;
    let next = 0;
    const started = performance.now();
    const deadline = started + SECONDS * 1000;

    const probe = async (port: number, subjectId: string, ackAt: number) => {
      while (performance.now() < ackAt + 30_000) {
        const res = await gql(port, qa, PROBE, { trialId: CLUSTER_TRIAL, subjectId });
        const edges = (res.data?.['auditTrail'] as { edges: unknown[] } | undefined)?.edges ?? [];
        if (edges.length > 0) return void lags.push(performance.now() - ackAt);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      lags.push(Infinity);
    };

    await Promise.all(
      operators.map(async ({ siteId, token }, client) => {
        for (let k = 0; ; k++) {
          const n = next++;
          if (n >= ENROLMENTS || performance.now() > deadline) return;
          const replica = (client + k) % 2;
          const subjectId = `C-${siteId}-${String(n).padStart(6, '0')}`;
          const t0 = performance.now();
          const res = await gql(ports[replica]!, token, ENROL, { input: { trialId: CLUSTER_TRIAL, siteId, subjectId } });
          const t1 = performance.now();
          const code = res.errors ? (res.errors[0]?.extensions?.code ?? 'ERROR') : 'OK';
          outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          if (code === 'OK') {
            latencies.push(t1 - t0);
            for (const e of (res.data!['enrollSubject'] as { events: Array<{ eventId: string }> }).events) acknowledged.push(e.eventId);
            if (n % 10 === 0) probes.push(probe(ports[1 - replica]!, subjectId, t1));
          }
          if (k % 4 === 3) {
            await gql(ports[k % 2]!, token, '{ ledgerStatus { size } }');
            reads++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(probes);

    const db = new pg.Client({ connectionString: POSTGRES });
    await db.connect();
    let missing = 0;
    try {
      const found = await db.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".events WHERE event_id = ANY($1::text[])`, [acknowledged]);
      missing = acknowledged.length - found.rowCount!;
    } finally {
      await db.end();
    }
    const verify = await gql(ports[0]!, qa, '{ verifyLedger { ok size } }');

    const ok = outcomes.get('OK') ?? 0;
    const conflicts = outcomes.get('STREAM_REVISION_CONFLICT') ?? 0;
    const sortedLag = sortNum(lags);
    console.log(`writes: ${ok} acknowledged in ${seconds.toFixed(1)} s = ${(ok / seconds).toFixed(0)} writes/s (target ≥ 500: ${ok / seconds >= 500 ? 'met' : 'MISSED'}); reads: ${reads}`);
    console.log(`outcomes: ${[...outcomes].map(([c, n]) => `${c} ${n}`).join(', ')}; conflicts without an expectedRevision: ${conflicts} (target 0: ${conflicts === 0 ? 'met' : 'MISSED'})`);
    console.log(`read-your-writes through the other replica: ${lags.length} probes, p50 ${pct(sortedLag, 50).toFixed(0)} ms, p95 ${pct(sortedLag, 95).toFixed(0)} ms (target < 1000 ms: ${pct(sortedLag, 95) < 1000 ? 'met' : 'MISSED'})`);
    if (latencies.length >= 5025) {
      const early = median(latencies.slice(25, 75));
      const late = median(latencies.slice(4975, 5025));
      console.log(`enrolment latency, median of the ~50th: ${early.toFixed(1)} ms, of the ~5,000th: ${late.toFixed(1)} ms (${(late / early).toFixed(2)}×; target within ±20%: ${Math.abs(late / early - 1) <= 0.2 ? 'met' : late < early ? 'MISSED, on the fast side: no growth' : 'MISSED'})`);
    } else {
      const q = Math.floor(latencies.length / 10);
      console.log(`enrolment latency, median of the first tenth: ${median(latencies.slice(0, q)).toFixed(1)} ms, of the last tenth: ${median(latencies.slice(-q)).toFixed(1)} ms (fewer than 5,025 enrolments acknowledged)`);
    }
    const tenth = Math.max(1, Math.floor(latencies.length / 10));
    console.log(`enrolment latency by tenth of the run (median, ms): ${Array.from({ length: 10 }, (_, i) => median(latencies.slice(i * tenth, (i + 1) * tenth)).toFixed(0)).join(', ')}`);
    console.log(`missing acknowledged events: ${missing} of ${acknowledged.length}; verify: ${verify.errors ? `error ${verify.errors[0]?.message}` : JSON.stringify(verify.data?.['verifyLedger'])}`);
  } finally {
    for (const p of processes) await stopBenchProcess(p);
    rmSync(dataDir, { recursive: true, force: true });
    const db = new pg.Client({ connectionString: POSTGRES });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  }
}
