/**
 * Radiomics benchmark (issue 5 part 6): a BraTS-size image (240×240×155, 1 mm, float32
 * values) with a ~100 cm³ tumour mask generated here; every family, 3D merged texture
 * aggregation. Prints time, voxels/s and memory per family, then the whole extraction.
 * Targets: whole set < 5 s on one core, peak RSS < 1 GB.
 */
import { performance } from 'node:perf_hooks';
import {
  ALL_FEATURE_FAMILIES,
  computeFamily,
  defaultRadiomicsSettings,
  extractFeatures,
  prepareRoi,
  type Mask,
  type RadiomicsSettings,
  type Volume,
} from '@radledger/radiomics';

function brainWithTumour(): { image: Volume; mask: Mask; roiVoxels: number } {
  const [nx, ny, nz] = [240, 240, 155];
  const n = nx * ny * nz;
  const values = new Float32Array(n);
  const mask = new Uint8Array(n);
  let seed = 20260101;
  const noise = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  let roiVoxels = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const brain = ((x - 120) / 80) ** 2 + ((y - 120) / 100) ** 2 + ((z - 77) / 65) ** 2 <= 1;
        // Lobulated tumour: an ellipsoid (semi-axes 30, 27, 25 mm ≈ 85 cm³) plus a lobe.
        const core = ((x - 140) / 30) ** 2 + ((y - 100) / 27) ** 2 + ((z - 80) / 25) ** 2;
        const lobe = ((x - 165) / 14) ** 2 + ((y - 110) / 14) ** 2 + ((z - 85) / 12) ** 2;
        const inTumour = core <= 1 || lobe <= 1;
        if (inTumour) {
          mask[i] = 1;
          roiVoxels++;
        }
        const base = brain ? 400 + 80 * Math.sin(x / 9) * Math.cos(y / 11) : 0;
        const tumour = inTumour ? 350 + 150 * Math.exp(-core) - 120 * (core < 0.15 ? 1 : 0) : 0;
        values[i] = base + tumour + 25 * noise();
      }
    }
  }
  return {
    image: { dims: [nx, ny, nz], spacing: [1, 1, 1], data: Float64Array.from(values) },
    mask: { dims: [nx, ny, nz], spacing: [1, 1, 1], data: mask },
    roiVoxels,
  };
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export async function run(): Promise<void> {
  const { image, mask, roiVoxels } = brainWithTumour();
  const settings: RadiomicsSettings = {
    ...defaultRadiomicsSettings(),
    texture: { ...defaultRadiomicsSettings().texture, aggregation: ['3D-merged'] },
  };
  console.log(`radiomics bench: ${image.dims.join('×')} voxels at 1 mm, ROI ${roiVoxels} voxels = ${(roiVoxels / 1000).toFixed(1)} cm³, FBN 32, 3D merged`);
  const rows: string[] = [];
  const measure = (label: string, fn: () => unknown): number => {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const out = fn();
    const ms = performance.now() - t0;
    const after = process.memoryUsage().rss;
    const peak = process.resourceUsage().maxRSS * 1024;
    const values = (out as { features?: object } | undefined)?.features ?? out;
    const n = label === 'preprocessing' ? 0 : Object.keys(values as object).length;
    rows.push(
      `${label.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms  ${((roiVoxels / ms) * 1000 / 1e6).toFixed(2).padStart(7)} M ROI voxels/s  ` +
        `rss ${mb(before)} → ${mb(after)}, peak ${mb(peak)}${n ? `, ${n} features` : ''}`,
    );
    return ms;
  };
  // Cold first (the number a one-shot CLI run sees), then the per-family breakdown.
  const total = measure('extractFeatures, end to end', () => extractFeatures(image, mask, settings));
  let prepared: ReturnType<typeof prepareRoi> | undefined;
  let sum = measure('preprocessing', () => (prepared = prepareRoi(image, mask, settings)));
  for (const family of ALL_FEATURE_FAMILIES) sum += measure(family, () => computeFamily(family, prepared!, settings));
  rows.push(`${'sum of steps (second pass)'.padEnd(28)} ${sum.toFixed(1).padStart(8)} ms`);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(rows.join('\n'));
  console.log(
    `end to end (cold) ${(total / 1000).toFixed(2)} s (target < 5 s: ${total < 5000 ? 'met' : 'MISSED'}, ratio ${(total / 5000).toFixed(2)}), ` +
      `peak RSS ${mb(peak)} (target < 1 GB: ${peak < 2 ** 30 ? 'met' : 'MISSED'}, ratio ${(peak / 2 ** 30).toFixed(2)})`,
  );
}

if (process.argv[1]?.endsWith('radiomics.bench.ts')) await run();
