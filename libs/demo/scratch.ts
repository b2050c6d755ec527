import { readFileSync } from 'node:fs';
import { generateSyntheticSubject, diceCoefficient } from './src/synthetic/synthetic-brain.js';
import { correctBiasField, zScore } from './src/synthetic/demo-preprocessing.js';
import { extractFeatures, parseRadiomicsSettings } from '@radledger/radiomics';
import { OnnxPredictor } from '@radledger/inference';
const settings = parseRadiomicsSettings(JSON.parse(readFileSync('libs/demo/settings/mri-glioma-demo.json', 'utf8')));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const pred = new OnnxPredictor();
const idh = await pred.open(readFileSync('models/idh-logreg-v1.onnx'));
const mgmt = await pred.open(readFileSync('models/mgmt-trees-v1.onnx'));
const c0 = cpu();
for (const site of ['BER', 'BOS', 'TYO']) for (let i = 1; i <= 4; i++) {
  const sid = `GRA-${site}-00${i}`;
  const s = generateSyntheticSubject({ seed: 20261125, subjectId: sid, scanner: { fieldStrengthT: i % 2 ? 3 : 1.5, vendor: 'GE' }, phenotype: (i + site.length + (site === 'BOS' ? 1 : 0)) % 2 ? 'mutant-like' : 'wildtype-like' });
  const pre = zScore(correctBiasField(s.t1c, s.dims));
  const f = extractFeatures({ dims: s.dims, spacing: s.spacing, data: Float64Array.from(pre) }, { dims: s.dims, spacing: s.spacing, data: s.wholeTumour }, settings).features;
  const a = ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'QCFX', 'RNU0'];
  const b = ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'TU9B@IAZD', 'QCFX', 'RNU0'];
  const p1 = await idh.run({ name: 'features', data: Float32Array.from(a.map((k) => f[k]!)), dims: [1, 6] });
  const p2 = await mgmt.run({ name: 'features', data: Float32Array.from(b.map((k) => f[k]!)), dims: [1, 7] });
  console.log(sid, s.phenotype.padEnd(13), 'dice', diceCoefficient(s.wholeTumour, s.automaticWholeTumour).toFixed(3), b.map((k) => `${k}=${f[k]!.toPrecision(3)}`).join(' '), 'idh', p1.probability!.data[0]!.toFixed(3), 'mgmt', p2.probabilities!.data[1]!.toFixed(3));
}
console.log('cpu', cpu() - c0);
