import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LedgerService } from './ledger.service.js';
import { openEventStore } from './ledger-store.factory.js';
import { postgresBackend, sqliteBackend, type TestBackend } from './testing/ledger-backends.js';
import { newTestEvent } from './testing/ledger-fixtures.js';

const WORKER = fileURLToPath(new URL('./testing/append-worker.ts', import.meta.url));

interface Writer {
  child: ChildProcess;
  acked: string[];
  /** Resolves when at least `n` events are acknowledged. */
  ackedAtLeast(n: number): Promise<void>;
  exit: Promise<number | null>;
}

function startWriter(url: string, id: string, appends: number | 'forever', maxBatch: number): Writer {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', WORKER, url, id, String(appends), String(maxBatch)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: string[] = [];
  const waiters: Array<{ n: number; resolve(): void }> = [];
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!; // a line cut by kill -9 was never a complete acknowledgement
    for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
    for (const w of waiters.splice(0)) (acked.length >= w.n ? w.resolve() : waiters.push(w));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`writer ${id} failed: ${stderr}\n`);
      for (const w of waiters.splice(0)) w.resolve();
      resolve(code);
    }),
  );
  return {
    child,
    acked,
    exit,
    ackedAtLeast: (n) => (acked.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

/** Every acknowledged event is present, the chain verifies, and stream revisions have no holes. */
async function assertIntact(url: string, acked: string[]): Promise<number> {
  const store = await openEventStore(url);
  try {
    const report = await new LedgerService(store).verifyLedger();
    const ids = new Set<string>();
    for (let from = 0; ; ) {
      const page = await store.readAll(from, 5000);
      if (page.length === 0) break;
      for (const event of page) ids.add(event.eventId);
      from += page.length;
    }
    assert.equal(ids.size, report.size);
    const missing = acked.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], `${missing.length} acknowledged events are missing`);
    const shared = await store.readStream('shared');
    assert.deepEqual(shared.map((e) => e.streamRevision), shared.map((_, i) => String(i)));
    return report.size;
  } finally {
    await store.close();
  }
}

function concurrencySuite(backend: TestBackend): void {
  describe(`concurrent writer processes: ${backend.name}`, () => {
    it('two processes appending to one ledger never fork the chain nor lose an acknowledged event', async () => {
      const env = await backend.create();
      try {
        const writers = ['a', 'b', 'c'].slice(0, backend === sqliteBackend ? 2 : 3).map((id) => startWriter(env.url, id, 60, 8));
        // A third writer in this process competes through its own connection.
        const local = Array.from({ length: 20 }, (_, n) => env.store.append('shared', 'any', [{ ...newEvent(n) }]));
        const localIds = (await Promise.all(local)).flatMap((r) => r.events.map((e) => e.eventId));
        const codes = await Promise.all(writers.map((w) => w.exit));
        assert.deepEqual(codes, writers.map(() => 0));
        const acked = [...writers.flatMap((w) => w.acked), ...localIds];
        const size = await assertIntact(env.url, acked);
        assert.equal(size, acked.length);
      } finally {
        await env.dispose();
      }
    });

    it('kill -9 of a writer mid-batch leaves a ledger that verifies and holds every acknowledged event', async () => {
      const env = await backend.create();
      try {
        const victim = startWriter(env.url, 'victim', 'forever', 100);
        const survivor = startWriter(env.url, 'survivor', 40, 20);
        await victim.ackedAtLeast(400);
        victim.child.kill('SIGKILL');
        assert.equal(await victim.exit, null);
        assert.equal(await survivor.exit, 0);
        const acked = [...victim.acked, ...survivor.acked];
        const size = await assertIntact(env.url, acked);
        assert.ok(size >= acked.length);
        // The ledger stays writable after the crash.
        const store = await openEventStore(env.url);
        try {
          await store.append('after-crash', 'no-stream', [newEvent(0)]);
        } finally {
          await store.close();
        }
        await assertIntact(env.url, acked);
      } finally {
        await env.dispose();
      }
    });
  });
}

function newEvent(n: number) {
  return newTestEvent({ data: { local: n } });
}

concurrencySuite(sqliteBackend);
concurrencySuite(postgresBackend);
