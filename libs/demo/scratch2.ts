import { readFileSync } from 'node:fs';
import { generateSyntheticSubject } from './src/synthetic/synthetic-brain.js';
import { preprocessVolume } from './src/synthetic/demo-preprocessing.js';
import { computeFamily, prepareRoi, parseRadiomicsSettings, FAMILY_ORDER } from '@radledger/radiomics';
const settings = parseRadiomicsSettings(JSON.parse(readFileSync('libs/demo/settings/mri-glioma-demo.json', 'utf8')));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const ph of ['wildtype-like', 'mutant-like', 'wildtype-like'] as const) {
const s = generateSyntheticSubject({ seed: 42, subjectId: 'GRA-BER-001', scanner: { fieldStrengthT: 3, vendor: 'Siemens' }, phenotype: ph });
const pre = preprocessVolume(s.t1c, s.dims);
let c = cpu();
const roi = prepareRoi({ dims: s.dims, spacing: s.spacing, data: Float64Array.from(pre) }, { dims: s.dims, spacing: s.spacing, data: s.wholeTumour }, settings);
const out: string[] = [`roi ${(cpu() - c).toFixed(0)}`];
for (const f of FAMILY_ORDER) { c = cpu(); computeFamily(f, roi, settings); out.push(`${f} ${(cpu() - c).toFixed(0)}`); }
console.log(out.join(', '));
}
