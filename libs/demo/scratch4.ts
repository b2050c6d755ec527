import { readFileSync } from 'node:fs';
import { OnnxPredictor } from '@radledger/inference';
const pred = new OnnxPredictor();
const idh = await pred.open(readFileSync('models/idh-logreg-v1.onnx'));
const a = ['Q4LE', 'ECT3', 'KE2A', 'ACUI@IAZD', 'QCFX', 'RNU0'];
const run = async (f: Record<string, number>) => (await idh.run({ name: 'features', data: Float32Array.from(a.map((k) => f[k]!)), dims: [1, 6] })).probability!.data[0]!;
const base = { Q4LE: 1.05, ECT3: 0.85, KE2A: 0.55, 'ACUI@IAZD': 6.5, QCFX: 0.6, RNU0: 42000 };
console.log('wild mean', await run(base));
console.log('mut mean', await run({ Q4LE: 0.55, ECT3: 0.54, KE2A: 0.15, 'ACUI@IAZD': 4.8, QCFX: 0.68, RNU0: 62000 }));
for (const k of a) { const f = { ...base } as Record<string, number>; f[k] = f[k]! * 1.5; console.log(k, 'x1.5', (await run(f)).toFixed(3)); }
