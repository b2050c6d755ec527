/**
 * The shipped IBSI CT configurations A–E run end to end on a synthetic CT-like volume
 * (anisotropic 0.98 × 0.98 × 3 mm voxels, HU values): every requested family produces
 * finite values, the resampled grids follow IBSI 2.4, and the aggregation keys match the
 * configuration's slice mode. (The IBSI CT phantom itself is not vendored in testdata/.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRadiomicsSettings } from '../settings/radiomics-settings.js';
import type { Mask, Volume } from '../volume.js';
import { extractFeatures } from './extract-features.js';
import { prepareRoi } from './prepare-roi.js';

function syntheticCt(): { image: Volume; mask: Mask } {
  const [nx, ny, nz] = [40, 40, 12];
  const data = new Float64Array(nx * ny * nz);
  const m = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const r = ((x - 20) / 11) ** 2 + ((y - 19) / 9) ** 2 + ((z - 6) / 3.5) ** 2;
        data[i] = r <= 1 ? 40 + 30 * Math.sin(x + 2 * y + 3 * z) - (r < 0.1 ? 900 : 0) : -800 + ((x * 7 + y * 13 + z * 17) % 50);
        m[i] = r <= 1 ? 1 : 0;
      }
  const spacing = [0.98, 0.98, 3] as const;
  return { image: { dims: [nx, ny, nz], spacing, data }, mask: { dims: [nx, ny, nz], spacing, data: m } };
}

for (const config of ['A', 'B', 'C', 'D', 'E']) {
  test(`IBSI CT configuration ${config} runs end to end with finite features`, () => {
    const settings = parseRadiomicsSettings(
      JSON.parse(readFileSync(join(process.cwd(), 'settings', `ibsi-ct-config-${config}.json`), 'utf8')),
    );
    const { image, mask } = syntheticCt();
    const prepared = prepareRoi(image, mask, settings);
    if (settings.resampling.method === 'resample') {
      // IBSI 2.4: n_new = ceil(n·s/s_new); slice mode 2D keeps the slices.
      const expected = [Math.ceil((40 * 0.98) / 2), Math.ceil((40 * 0.98) / 2), config === 'B' ? 12 : Math.ceil((12 * 3) / 2)];
      assert.deepEqual([...prepared.image.dims], expected);
    }
    const result = extractFeatures(image, mask, settings);
    const keys = Object.keys(result.features);
    const aggregations = new Set(keys.filter((k) => k.includes('@')).map((k) => k.split('@')[1]));
    assert.deepEqual(
      [...aggregations].sort(),
      settings.sliceMode === '2D' ? ['62GR', '8QNN', 'BTW3', 'JJUI', 'SUJT', 'ZW7Z'] : ['IAZD', 'ITBB', 'KOBO'],
    );
    const notFinite = keys.filter((k) => !Number.isFinite(result.features[k]!));
    assert.deepEqual(notFinite, []);
    // Re-segmentation: no intensity-mask voxel below the range's lower bound.
    const lower = settings.reSegmentation.range?.[0];
    if (lower !== undefined && lower !== null) assert.ok(result.features['1GSF']! >= lower);
    // Morphology uses the morphological mask: the volume is unchanged by re-segmentation.
    assert.equal(result.features.YEKZ, prepared.morphologicalMask.data.reduce((s, v) => s + v, 0) * prepared.image.spacing.reduce((p, v) => p * v, 1));
  });
}
