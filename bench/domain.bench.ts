// Write-path cost: the pure decider alone, CommandService.execute on SQLite (load stream +
// facts + decide + schema validation + append), and raw store.append of equivalent events
// in the same run. Bounded: a few thousand commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock, NotFoundError, uuidV7IdGenerator } from '@radledger/platform';
import { SqliteEventStore } from '@radledger/ledger';
import { CommandService, createEventValidator, subjectDecider, trialDecider, fold, type CommandMetadata, type TrialEvent } from '@radledger/domain';

const N = 1000;

function perSecond(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000)}/s`;
}

export async function run(): Promise<void> {
  const history: TrialEvent[] = [
    { type: 'TrialRegistered', data: { trialId: 'T', title: 't', sponsor: 's', phase: null, blinded: false } },
    { type: 'SiteEnrolled', data: { trialId: 'T', siteId: 'A', name: 'A' } },
  ];
  const facts = { trial: fold(trialDecider, history) };
  const fresh = subjectDecider.initialState();
  let t = performance.now();
  for (let i = 0; i < 50_000; i++) {
    subjectDecider.decide({ type: 'EnrollSubject', data: { trialId: 'T', siteId: 'A', subjectId: `T-A-${i}` } }, fresh, { actor: 'a', role: 'r', now: new Date(0), facts });
  }
  const decideMs = performance.now() - t;
  console.log(`decide(EnrollSubject) incl. PHI check: ${perSecond(50_000, decideMs)} (${((decideMs / 50_000) * 1000).toFixed(2)} µs each)`);

  const dir = mkdtempSync(join(tmpdir(), 'radledger-domain-bench-'));
  try {
    const validator = createEventValidator();
    const store = new SqliteEventStore({ path: join(dir, 'svc.db'), validator });
    const svc = new CommandService({ store, clock: new FixedClock(new Date('2026-03-01T00:00:00Z')), ids: uuidV7IdGenerator, masks: { loadMask: async (s) => { throw new NotFoundError(s); } }, validator });
    const m: CommandMetadata = { actor: 'bench', role: 'site-operator', correlationId: 'bench', client: 'bench' };
    await svc.execute({ type: 'RegisterTrial', data: { trialId: 'T', title: 't', sponsor: 's' } }, m);
    await svc.execute({ type: 'EnrollSite', data: { trialId: 'T', siteId: 'A', name: 'A' } }, m);
    // Images in their own streams: each command reads the trial stream for facts and appends to a new stream.
    // Each image its own bytes: the same bytes for another subject are refused (issue 15).
    await Promise.all(Array.from({ length: 20 }, (_, i) => svc.execute({ type: 'EnrollSubject', data: { trialId: 'T', siteId: 'A', subjectId: `T-A-${i}` } }, m)));
    const acquire = (i: number) => svc.execute({
      type: 'AcquireImage',
      data: { imageId: `I${i}`, trialId: 'T', siteId: 'A', subjectId: `T-A-${i % 20}`, modality: 'T1', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 500, teMs: 10, sliceThicknessMm: 1, artifactSha256: i.toString(16).padStart(64, 'a') },
    }, m);
    t = performance.now();
    for (let i = 0; i < N; i++) await acquire(i);
    const seqMs = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: N }, (_, i) => acquire(N + i)));
    const parMs = performance.now() - t;
    await store.close();

    const raw = new SqliteEventStore({ path: join(dir, 'raw.db'), validator });
    const event = (i: number) => ({
      eventId: uuidV7IdGenerator.newId(),
      type: 'SiteEnrolled',
      schemaVersion: 1,
      data: { trialId: 'T', siteId: `S${i}`, name: 'x' },
      meta: { actor: 'bench', role: 'r', correlationId: 'c', causationId: 'c', recordedAt: '2026-03-01T00:00:00.000Z', client: 'bench' },
    });
    t = performance.now();
    for (let i = 0; i < N; i++) await raw.append(`raw-${i}`, 'no-stream', [event(i)]);
    const rawSeqMs = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: N }, (_, i) => raw.append(`rawp-${i}`, 'no-stream', [event(i)])));
    const rawParMs = performance.now() - t;
    await raw.close();

    console.log(`AcquireImage via CommandService, sequential: ${perSecond(N, seqMs)}; raw append sequential: ${perSecond(N, rawSeqMs)}; ratio ${(seqMs / rawSeqMs).toFixed(2)}x`);
    console.log(`AcquireImage via CommandService, ${N} concurrent: ${perSecond(N, parMs)}; raw append concurrent: ${perSecond(N, rawParMs)}; ratio ${(parMs / rawParMs).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
