// Trains the demo models on a seeded synthetic cohort and writes them, with their catalogue,
// into models/ (or the directory given as the first argument). Deterministic: a second run
// writes byte-identical files. Usage: npm run train-demo-models [-- <out-dir>]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildDemoModels } from '../libs/inference/src/demo-models/build-demo-models.js';

const outDir = resolve(process.argv[2] ?? 'models');
const build = await buildDemoModels();
await mkdir(outDir, { recursive: true });
for (const [name, bytes] of build.files) await writeFile(join(outDir, name), bytes);
for (const m of build.models) {
  const { value, ci95 } = m.performance;
  process.stdout.write(
    `${m.file}  sha256 ${m.sha256}  threshold ${m.threshold}  test AUC ${value.toFixed(3)} ` +
      `(95% CI ${ci95.lower.toFixed(3)}–${ci95.upper.toFixed(3)}, n=${m.performance.subjects})\n`,
  );
}
process.stdout.write(`wrote ${build.files.size} files to ${outDir}\n`);
