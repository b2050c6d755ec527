import { generateSyntheticSubject } from './src/synthetic/synthetic-brain.js';
import { correctBiasField, zScore } from './src/synthetic/demo-preprocessing.js';
import { computeFamily, prepareRoi, defaultRadiomicsSettings, FAMILY_ORDER } from '@radledger/radiomics';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let c = cpu();
const s = generateSyntheticSubject({ seed: 42, subjectId: 'GRA-BER-001', scanner: { fieldStrengthT: 3, vendor: 'Siemens' } });
console.log('gen cpu', cpu() - c); c = cpu();
const pre = zScore(correctBiasField(s.t1c, s.dims));
console.log('pre cpu', cpu() - c); c = cpu();
const settings = defaultRadiomicsSettings();
settings.texture.aggregation = ['3D-merged'];
const roi = prepareRoi({ dims: s.dims, spacing: s.spacing, data: Float64Array.from(pre) }, { dims: s.dims, spacing: s.spacing, data: s.wholeTumour }, settings);
console.log('roi cpu', cpu() - c);
for (const f of FAMILY_ORDER) { c = cpu(); computeFamily(f, roi, settings); console.log(f, (cpu() - c).toFixed(0)); }
