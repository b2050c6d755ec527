import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { PostgresEventStore, SqliteEventStore, type LedgerStore } from '@radledger/ledger';
import { PostgresReadModelStore } from './adapters/postgres-read-model.store.js';
import { SqliteReadModelStore } from './adapters/sqlite-read-model.store.js';
import { InMemoryReadModel } from './in-memory-read-model.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ReadModelStore } from './read-model-store.port.js';
import { auditTrailProjection } from './projections/audit-trail.projection.js';
import { readModelProjections } from './projections/index.js';
import { dumpReadModel } from './testing/dump-read-model.js';
import { appendInOrder } from './testing/record-events.js';
import { syntheticTrial, type StreamEvent, type SyntheticTrialOptions } from './testing/synthetic-trial.js';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

interface Backend {
  name: string;
  /** A fresh ledger and two read stores (live and rebuilt) on it; `cleanup` removes everything. */
  open(): Promise<{ ledger: LedgerStore; live: ReadModelStore; rebuilt: ReadModelStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'radledger-projections-'));
      const ledger = new SqliteEventStore({ path: join(dir, 'ledger.db') });
      const live = new SqliteReadModelStore(join(dir, 'live.db'));
      const rebuilt = new SqliteReadModelStore(join(dir, 'rebuilt.db'));
      return {
        ledger,
        live,
        rebuilt,
        async cleanup() {
          await live.close();
          await rebuilt.close();
          await ledger.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const suffix = randomBytes(5).toString('hex');
      const schemas = [`rl_pl_${suffix}`, `rl_pr_${suffix}`, `rl_pb_${suffix}`];
      const ledger = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema: schemas[0] });
      const live = new PostgresReadModelStore(`${POSTGRES_URL}?schema=${schemas[1]}`);
      const rebuilt = new PostgresReadModelStore(`${POSTGRES_URL}?schema=${schemas[2]}`);
      return {
        ledger,
        live,
        rebuilt,
        async cleanup() {
          await live.close();
          await rebuilt.close();
          await ledger.close();
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  },
];

const small: SyntheticTrialOptions = { trialId: 'T-INT', sites: 2, subjectsPerSite: 2, modalities: ['T1c', 'FLAIR'], trainingSubjects: 1, hashMismatchEvery: 2, deviationEvery: 3 };

for (const backend of backends) {
  describe(`ProjectionRunner on ${backend.name}`, () => {
    let env: Awaited<ReturnType<Backend['open']>>;
    before(async () => {
      env = await backend.open();
    });
    after(async () => env.cleanup());

    test('catch-up applies every event in batches and leaves each checkpoint at the last position', async () => {
      const count = await appendInOrder(env.ledger, syntheticTrial(small));
      const runner = new ProjectionRunner(env.ledger, env.live, readModelProjections, { batchSize: 17 });
      assert.equal(await runner.catchUp(), count);
      const lag = await runner.lag();
      assert.deepEqual(lag.map((l) => [l.projection, l.lastPosition, l.lag]), readModelProjections.map((p) => [p.name, count - 1, 0]));
      assert.equal(await runner.catchUp(), 0, 'nothing to do when caught up');
      // The SQL store holds exactly what the pure projections produce from the same events.
      const expected = InMemoryReadModel.given(readModelProjections, await env.ledger.readAll(0, count));
      const dump = await dumpReadModel(env.live, readModelProjections);
      for (const [table, rows] of Object.entries(dump)) assert.deepEqual(rows, expected.rows(table), table);
    });

    test('the live subscription applies new appends by itself; caughtUp also waits for them', async () => {
      const runner = new ProjectionRunner(env.ledger, env.live, readModelProjections, { batchSize: 50 });
      await runner.start();
      const extra = [...syntheticTrial({ ...small, trialId: 'T-LIVE', sites: 1, subjectsPerSite: 1 })];
      await appendInOrder(env.ledger, extra);
      const last = (await env.ledger.head()).size - 1;
      // No catch-up call: only the subscription can apply these.
      await runner.whenApplied(last);
      await runner.caughtUp();
      const lag = await runner.lag();
      assert.ok(lag.every((l) => l.lag === 0));
      const trial = await env.live.get<{ n: number }>('SELECT COUNT(*) AS n FROM rm_audit_entry WHERE trial_id = ?', ['T-LIVE']);
      assert.ok(Number(trial!.n) > 0);
      await runner.stop();
    });

    test('a failing batch commits nothing: rows and checkpoint stay where they were', async () => {
      // Same tables as the audit trail, but one event yields an operation on a table that does not exist.
      const broken: Projection = {
        ...auditTrailProjection,
        name: 'broken',
        evolve: (event) => (event.type === 'ModelLocked' ? [{ op: 'upsert', table: 'rm_not_a_table', row: { x: 1 } }] : auditTrailProjection.evolve(event)),
      };
      const runner = new ProjectionRunner(env.ledger, env.rebuilt, [broken], { batchSize: 100_000 });
      await assert.rejects(runner.catchUp(), /rm_not_a_table/);
      const checkpoints = await env.rebuilt.checkpoints();
      assert.equal(checkpoints.get('broken'), undefined, 'no checkpoint was written');
      const rows = await env.rebuilt.get<{ n: number }>('SELECT COUNT(*) AS n FROM rm_audit_entry');
      assert.equal(Number(rows!.n), 0, 'the entries before the failing event were rolled back with it');
      await env.rebuilt.drop([broken]);
    });

    test('rebuild drops and replays to the same state as the live model', async () => {
      const live = await dumpReadModel(env.live, readModelProjections);
      const runner = new ProjectionRunner(env.ledger, env.rebuilt, readModelProjections, { batchSize: 1000 });
      await runner.rebuild();
      assert.deepEqual(await dumpReadModel(env.rebuilt, readModelProjections), live);
    });

    test('a projection whose version changed is dropped and replayed; the others keep their checkpoints', async () => {
      const bumped = readModelProjections.map((p) => (p.name === 'monitoring' ? { ...p, version: p.version + 1 } : p));
      const before = await dumpReadModel(env.live, readModelProjections);
      const runner = new ProjectionRunner(env.ledger, env.live, bumped);
      await runner.init();
      const lagAfterMigrate = await runner.lag();
      assert.equal(lagAfterMigrate.find((l) => l.projection === 'monitoring')!.lastPosition, -1);
      assert.ok(lagAfterMigrate.filter((l) => l.projection !== 'monitoring').every((l) => l.lag === 0));
      const head = (await env.ledger.head()).size;
      assert.equal(await runner.catchUp(), head, 'monitoring replays from position 0');
      assert.deepEqual(await dumpReadModel(env.live, readModelProjections), before);
    });
  });
}

/** Splits a trial into chunks: the live model applies them as they arrive (catch-up between appends). */
function chunks<T>(items: T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map((c) => Math.min(items.length, c)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const point of [...points, items.length]) {
    if (point > from) out.push(items.slice(from, point));
    from = Math.max(from, point);
  }
  return out;
}

describe('property: a rebuilt read model equals the live one built incrementally (SQLite)', () => {
  test('for any trial shape, append interleaving and batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sites: fc.integer({ min: 1, max: 3 }),
          subjectsPerSite: fc.integer({ min: 1, max: 3 }),
          edits: fc.integer({ min: 0, max: 2 }),
          training: fc.integer({ min: 0, max: 2 }),
          mismatch: fc.integer({ min: 1, max: 4 }),
          cuts: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }),
          liveBatch: fc.integer({ min: 1, max: 64 }),
          rebuildBatch: fc.integer({ min: 1, max: 500 }),
        }),
        async (shape) => {
          const env = await backends[0]!.open();
          try {
            const events: StreamEvent[] = [
              ...syntheticTrial({
                trialId: 'T-PROP',
                sites: shape.sites,
                subjectsPerSite: shape.subjectsPerSite,
                modalities: ['T1c', 'FLAIR'],
                editsPerSegmentation: shape.edits,
                trainingSubjects: shape.training,
                hashMismatchEvery: shape.mismatch,
                deviationEvery: 3,
                editAfterReviewEvery: 2,
              }),
            ];
            const live = new ProjectionRunner(env.ledger, env.live, readModelProjections, { batchSize: shape.liveBatch });
            for (const chunk of chunks(events, shape.cuts)) {
              await appendInOrder(env.ledger, chunk);
              await live.catchUp();
            }
            const rebuilt = new ProjectionRunner(env.ledger, env.rebuilt, readModelProjections, { batchSize: shape.rebuildBatch });
            await rebuilt.rebuild();
            const expected = await dumpReadModel(env.live, readModelProjections);
            assert.deepEqual(await dumpReadModel(env.rebuilt, readModelProjections), expected);
            // And both equal the pure model: the SQL and in-memory semantics of the row operations agree.
            const pure = InMemoryReadModel.given(readModelProjections, await env.ledger.readAll(0, events.length));
            for (const [table, rows] of Object.entries(expected)) assert.deepEqual(rows, pure.rows(table), table);
          } finally {
            await env.cleanup();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
