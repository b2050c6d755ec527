import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDemoRuntime, loadDemoTrial } from './src/index.js';
const dir = mkdtempSync(join(tmpdir(), 'demo-'));
const c0 = process.cpuUsage();
const rt = await openDemoRuntime({ storeUrl: `sqlite:${join(dir, 'l.db')}`, dataDir: dir, log: console.log });
const exec = rt.commandService.execute.bind(rt.commandService);
// SCRATCH ONLY: the domain refuses '@' in feature codes at the moment.
rt.commandService = { execute: (c: any, m: any) => {
  if (c.type === 'ComputeFeatures') c = { ...c, data: { ...c.data, features: Object.fromEntries(Object.entries(c.data.features).map(([k, v]) => [k.replace('@', ':'), v])) } };
  if (c.type === 'RegisterModel') c = { ...c, data: { ...c.data, featureCodes: c.data.featureCodes.map((k: string) => k.replace('@', ':')) } };
  return exec(c, m);
} };
try {
  const s = await loadDemoTrial(rt);
  console.log(JSON.stringify(s, null, 1));
  const again = await loadDemoTrial(rt);
  console.log(again);
} finally { await rt.close(); }
const c = process.cpuUsage(c0); console.log('cpu ms', (c.user + c.system) / 1000);
rmSync(dir, { recursive: true });
