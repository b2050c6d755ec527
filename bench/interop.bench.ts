// Interoperability exports of a whole trial: a synthetic multi-site trial appended to a SQLite
// ledger, read models caught up, then for each format the time to collect the records (lineage
// scope graph + audit trail), prove the activities (RFC 9162, one tree) and render the document,
// with its size. One subject's BIDS-Prov is timed too.
// Size: RADLEDGER_BENCH_INTEROP_SUBJECTS (default 200 subjects over 10 sites).
// Run: npm run bench -- interop
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@radledger/ledger';
import { appendInOrder, ProjectionRunner, readModelProjections, SqliteReadModelStore, syntheticTrial } from '@radledger/projections';
import { collectInteropRecords, proveActivities, renderInterop, type InteropFormat } from '@radledger/interop';

const SUBJECTS = Number(process.env['RADLEDGER_BENCH_INTEROP_SUBJECTS'] ?? 200);
const SITES = 10;
const TRIAL = 'TRIAL-BENCH-IOP';

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-bench-interop-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db') });
  const readModels = new SqliteReadModelStore(join(dir, 'ledger.db'));
  try {
    const events = await appendInOrder(store, syntheticTrial({ trialId: TRIAL, sites: SITES, subjectsPerSite: Math.ceil(SUBJECTS / SITES), modalities: ['T1c', 'FLAIR'], editsPerSegmentation: 1, trainingSubjects: 10 }), 500);
    await new ProjectionRunner(store, readModels, readModelProjections).rebuild();
    console.log(`trial: ${events} events, ${SITES} sites, ${Math.ceil(SUBJECTS / SITES) * SITES} subjects`);
    const time = async (label: string, format: InteropFormat, scope: { trialId: string; subjectId?: string }) => {
      const t0 = performance.now();
      const records = await collectInteropRecords(readModels, scope);
      const t1 = performance.now();
      const proofs = await proveActivities(store, records);
      const t2 = performance.now();
      const doc = renderInterop(format, { ...records, proofs, generatedAt: new Date().toISOString(), software: { name: 'RadLedger', version: 'bench' } });
      const t3 = performance.now();
      const bytes = doc.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
      console.log(
        `${label.padEnd(22)} collect ${(t1 - t0).toFixed(0).padStart(6)} ms  prove ${(t2 - t1).toFixed(0).padStart(6)} ms (${Object.keys(proofs).length} proofs)  render ${(t3 - t2).toFixed(0).padStart(6)} ms  total ${(t3 - t0).toFixed(0).padStart(6)} ms  ${(bytes / 1e6).toFixed(2)} MB  ${JSON.stringify(doc.counts)}`,
      );
    };
    await time('openlineage (trial)', 'OPENLINEAGE', { trialId: TRIAL });
    await time('fhir (trial)', 'FHIR', { trialId: TRIAL });
    await time('bids-prov (subject)', 'BIDS_PROV', { trialId: TRIAL, subjectId: 'SUBJ-000002' });
  } finally {
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
