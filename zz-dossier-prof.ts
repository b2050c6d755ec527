import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDossier } from '@radledger/dossier';
import { generateCheckpointSigner, SqliteEventStore } from '@radledger/ledger';
import { appendInOrder, syntheticTrial } from '@radledger/projections';
import { existsSync } from 'node:fs';
const dir = '/tmp/dzp-fixed'; const fresh = !existsSync(dir + '/l.db'); (await import('node:fs')).mkdirSync(dir, { recursive: true }); rmSync(dir + '/b', { recursive: true, force: true });
const store = new SqliteEventStore({ path: join(dir, 'l.db') });
function* take(it: Iterable<any>, n: number) { let i = 0; for (const e of it) { if (i++ >= n) return; yield e; } }
if (fresh) await appendInOrder(store, take(syntheticTrial({ trialId: 'BENCH', sites: 20, subjectsPerSite: 50, modalities: ['T1','T1c','T2','FLAIR'], editsPerSegmentation: 2, trainingSubjects: 5 }), 30000), 2000);
const orig = store.readStream.bind(store); let calls = 0, ms = 0, evs = 0; const kinds = new Map<string, number>();
(store as any).readStream = async (id: string) => { const t = performance.now(); const r = await orig(id); ms += performance.now() - t; calls++; evs += r.length; const k = id.split('-')[0]!; kinds.set(k, (kinds.get(k) ?? 0) + 1); return r; };
const t0 = performance.now();
let last = '';
const mem = () => `${(process.memoryUsage().rss / 2**20).toFixed(0)}MB heap ${(process.memoryUsage().heapUsed / 2**20).toFixed(0)}MB`;
await exportDossier({ store, signer: generateCheckpointSigner('x'), radledgerVersion: 'p' }, { trialId: 'BENCH', out: join(dir, 'b'), onProgress: (p) => { if (p.phase !== last) { console.log((performance.now()-t0).toFixed(0), 'ms start', p.phase, mem()); last = p.phase; } } });
console.log('readStream', calls, ms.toFixed(0), 'ms', evs, 'events', [...kinds]); console.log((performance.now()-t0).toFixed(0), 'ms done', mem(), 'maxRSS', process.resourceUsage().maxRSS/1024);
await store.close();
