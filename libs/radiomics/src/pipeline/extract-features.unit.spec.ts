import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultRadiomicsSettings } from '../settings/radiomics-settings.js';
import type { Mask, Volume } from '../volume.js';
import { extractFeatures } from './extract-features.js';

const N = 20;

/** A 4×4×4 random ROI with random integer intensities, placed at (ox, oy, oz) in a zero background. */
function place(bits: number[], values: number[], [ox, oy, oz]: [number, number, number]): { image: Volume; mask: Mask } {
  const data = new Float64Array(N * N * N);
  const m = new Uint8Array(N * N * N);
  for (let z = 0; z < 4; z++)
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) {
        const k = x + 4 * (y + 4 * z);
        const i = x + ox + N * (y + oy + N * (z + oz));
        data[i] = values[k]!;
        m[i] = bits[k]!;
      }
  const spacing = [1, 1.5, 2] as const;
  return { image: { dims: [N, N, N], spacing, data }, mask: { dims: [N, N, N], spacing, data: m } };
}

test('features are deterministic and invariant to translating the ROI (property)', () => {
  const settings = { ...defaultRadiomicsSettings(), discretisation: { textureAndHistogram: { method: 'fixed-bin-number' as const, bins: 8 }, intensityVolumeHistogram: { method: 'fixed-bin-number' as const, bins: 16 } } };
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 64, maxLength: 64 }).filter((b) => b.filter((v) => v).length >= 3),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 64, maxLength: 64 }),
      fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })),
      (bits, values, [dx, dy, dz]) => {
        const a = place(bits, values, [8, 8, 8]);
        const b = place(bits, values, [8 + dx, 8 + dy, 8 + dz]);
        const ra = extractFeatures(a.image, a.mask, settings);
        const again = extractFeatures(a.image, a.mask, settings);
        assert.equal(JSON.stringify(again.features), JSON.stringify(ra.features));
        const rb = extractFeatures(b.image, b.mask, settings);
        assert.deepEqual(Object.keys(rb.features), Object.keys(ra.features));
        for (const [key, va] of Object.entries(ra.features)) {
          const vb = rb.features[key]!;
          if (Number.isNaN(va)) assert.ok(Number.isNaN(vb), key);
          else assert.ok(Math.abs(va - vb) <= 1e-9 * Math.max(1, Math.abs(va)), `${key}: ${va} vs ${vb}`);
        }
      },
    ),
    { numRuns: 6 },
  );
});
