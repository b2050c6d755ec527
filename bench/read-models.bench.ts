// Read side at scale: a synthetic multi-site trial (4 modalities × segmentation edits ×
// features × decisions) appended to a SQLite ledger, then
//  - projection catch-up rate (events/s, wall and per CPU-second) of every read model, into SQLite
//    and (when RADLEDGER_BENCH_PG answers) into PostgreSQL, in its own schema dropped afterwards;
//  - p50/p95 of `decision(id)`'s full-upstream lineage walk (and of the whole decision view);
//  - p50/p95 of a 100-row audit-trail page (trial filter, and trial+site filter).
// Size: RADLEDGER_BENCH_READ_EVENTS (default 200000; the full size is 1000000).
// PostgreSQL: RADLEDGER_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test); skipped when unreachable.
// Run: npm run bench -- read-models
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteEventStore } from '@radledger/ledger';
import {
  appendInOrder,
  AuditTrailQuery,
  DecisionQuery,
  encodeAuditCursor,
  lineageIds,
  LineageQuery,
  PostgresReadModelStore,
  ProjectionRunner,
  readModelProjections,
  SqliteReadModelStore,
  syntheticTrial,
  type StreamEvent,
} from '@radledger/projections';

const EVENTS = Number(process.env['RADLEDGER_BENCH_READ_EVENTS'] ?? 200_000);
const SITES = 20;
const MODALITIES = ['T1', 'T1c', 'T2', 'FLAIR'] as const;
const EDITS = 2;
/** Events per subject with these settings (enrol, 4 × (acquire, preprocess, segment, 2 edits, review, features), decide, sign). */
const EVENTS_PER_SUBJECT = 1 + MODALITIES.length * (5 + EDITS) + 2;
const SAMPLES = 300;
const PG_URL = process.env['RADLEDGER_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGETS = { lineageP95Ms: 10, auditP95Ms: 20, catchUpPerS: 20_000, postgresCatchUpPerS: 10_000 };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeIt(samples: number, work: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Rows per CPU-second of a plain prepared INSERT (text PK + 2 indexes) on this machine. */
function rawInsertRate(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, n INTEGER); CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  const n = 100_000;
  const before = process.cpuUsage();
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`${i}:0`, `activity:${i}`, `image:${i % 5000}`, i);
  })();
  const used = process.cpuUsage(before);
  db.close();
  return n / ((used.user + used.system) / 1e6);
}

function* take(events: Iterable<StreamEvent>, n: number): Generator<StreamEvent> {
  let i = 0;
  for (const event of events) {
    if (i++ >= n) return;
    yield event;
  }
}

/** Deterministic pseudo-random sequence (no Math.random: runs are comparable). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The same catch-up into a PostgresReadModelStore in a schema of its own (dropped afterwards); skipped when PostgreSQL does not answer. */
async function benchPostgresCatchUp(ledger: SqliteEventStore): Promise<void> {
  const schema = `rm_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    console.log(`PostgreSQL catch-up: skipped (${(error as Error).message})`);
    return;
  }
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  const store = new PostgresReadModelStore(url.toString());
  try {
    const runner = new ProjectionRunner(ledger, store, readModelProjections, { batchSize: 5000 });
    await runner.init();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const applied = await runner.catchUp();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const rate = applied / seconds;
    console.log(
      `PostgreSQL catch-up (3 projections, 5000 events/transaction): ${applied} events in ${seconds.toFixed(2)} s = ${Math.round(rate)} events/s wall ` +
        `(${Math.round(applied / ((cpu.user + cpu.system) / 1e6))} events per client CPU-second); target ≥ ${TARGETS.postgresCatchUpPerS}/s (ratio ${(rate / TARGETS.postgresCatchUpPerS).toFixed(2)})`,
    );
  } finally {
    await store.close();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-read-bench-'));
  const ledger = new SqliteEventStore({ path: join(dir, 'ledger.db') });
  const readStore = new SqliteReadModelStore(join(dir, 'read-models.db'));
  try {
    const subjectsPerSite = Math.ceil(EVENTS / EVENTS_PER_SUBJECT / SITES);
    let started = performance.now();
    const appended = await appendInOrder(
      ledger,
      take(
        syntheticTrial({
          trialId: 'BENCH',
          sites: SITES,
          subjectsPerSite,
          modalities: MODALITIES,
          editsPerSegmentation: EDITS,
          trainingSubjects: 5,
          hashMismatchEvery: 500,
          deviationEvery: 200,
          editAfterReviewEvery: 50,
          stepMs: 2_000,
        }),
        EVENTS,
      ),
      2000,
    );
    console.log(`ledger: ${appended} events (${SITES} sites, ≤${subjectsPerSite * SITES} subjects, ${MODALITIES.length} modalities, ${EDITS} edits per mask) appended in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const runner = new ProjectionRunner(ledger, readStore, readModelProjections, { batchSize: 5000 });
    await runner.init();
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    const applied = await runner.catchUp();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const rate = applied / seconds;
    console.log(
      `catch-up (3 projections, 5000 events/transaction): ${applied} events in ${seconds.toFixed(2)} s = ${Math.round(rate)} events/s wall, ` +
        `${Math.round(applied / cpuSeconds)} events per CPU-second; target ≥ ${TARGETS.catchUpPerS}/s (ratio ${(rate / TARGETS.catchUpPerS).toFixed(2)})`,
    );

    // Calibration on this machine, now: plain prepared INSERTs into an indexed table in one transaction.
    const rows = await readStore.all<{ n: number }>('SELECT COUNT(*) AS n FROM rm_lineage_edge');
    const edgeRows = Number(rows[0]!.n);
    const auditRows = Number((await readStore.all<{ n: number }>('SELECT COUNT(*) AS n FROM rm_audit_entry'))[0]!.n);
    const nodeRows = Number((await readStore.all<{ n: number }>('SELECT COUNT(*) AS n FROM rm_lineage_node'))[0]!.n);
    console.log(`read-model rows written: ${edgeRows} lineage edges, ${nodeRows} lineage nodes, ${auditRows} audit entries (${((edgeRows + nodeRows + auditRows) / applied).toFixed(1)} rows per event in these tables)`);
    const raw = rawInsertRate(join(dir, 'calibration.db'));
    console.log(`calibration: raw indexed INSERT ${Math.round(raw)} rows per CPU-second; catch-up costs ${(raw / (applied / cpuSeconds)).toFixed(1)} raw inserts per event`);

    const decisions = await readStore.all<{ decision_id: string }>('SELECT decision_id FROM rm_decision ORDER BY decision_id');
    const random = lcg(42);
    const pick = () => decisions[Math.floor(random() * decisions.length)]!.decision_id;
    const lineage = new LineageQuery(readStore);
    const decisionQuery = new DecisionQuery(readStore);
    const sample = await lineage.lineage({ id: lineageIds.decision(pick()), direction: 'UPSTREAM', maxDepth: 50 });
    console.log(`decision upstream lineage: ${sample.nodes.length} nodes, ${sample.edges.length} edges, complete=${sample.complete} (incl. the model's training data lineage)`);
    for (let i = 0; i < 20; i++) await lineage.lineage({ id: lineageIds.decision(pick()), direction: 'UPSTREAM', maxDepth: 50 });
    const walk = await timeIt(SAMPLES, () => lineage.lineage({ id: lineageIds.decision(pick()), direction: 'UPSTREAM', maxDepth: 50 }));
    console.log(`lineage(decision, UPSTREAM, maxDepth 50): p50 ${walk.p50.toFixed(2)} ms, p95 ${walk.p95.toFixed(2)} ms; target p95 < ${TARGETS.lineageP95Ms} ms (ratio ${(walk.p95 / TARGETS.lineageP95Ms).toFixed(2)})`);
    const view = await timeIt(SAMPLES, () => decisionQuery.decision(pick()));
    console.log(`decision(id) full view (lineage + model check + people + signatures): p50 ${view.p50.toFixed(2)} ms, p95 ${view.p95.toFixed(2)} ms`);

    const audit = new AuditTrailQuery(readStore);
    const head = (await ledger.head()).size;
    const cursors = Array.from({ length: SAMPLES }, () => encodeAuditCursor(Math.floor(random() * head * 0.95)));
    const trialPage = await timeIt(SAMPLES, (i) => audit.page({ trialId: 'BENCH' }, 100, cursors[i]));
    console.log(`auditTrail(trialId, first 100, after random): p50 ${trialPage.p50.toFixed(2)} ms, p95 ${trialPage.p95.toFixed(2)} ms; target p95 < ${TARGETS.auditP95Ms} ms (ratio ${(trialPage.p95 / TARGETS.auditP95Ms).toFixed(2)})`);
    const sitePage = await timeIt(SAMPLES, (i) => audit.page({ trialId: 'BENCH', siteId: `SITE-${1 + (i % SITES)}` }, 100, cursors[i]));
    console.log(`auditTrail(trialId+siteId, first 100, after random): p50 ${sitePage.p50.toFixed(2)} ms, p95 ${sitePage.p95.toFixed(2)} ms`);
    const editPage = await timeIt(SAMPLES, (i) => audit.page({ types: ['SegmentationEdited'], siteId: `SITE-${1 + (i % SITES)}` }, 100, cursors[i]));
    console.log(`auditTrail(types+siteId, first 100, after random): p50 ${editPage.p50.toFixed(2)} ms, p95 ${editPage.p95.toFixed(2)} ms`);

    await benchPostgresCatchUp(ledger);
  } finally {
    await readStore.close();
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
