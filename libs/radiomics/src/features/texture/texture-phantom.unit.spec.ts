/**
 * Every texture row of the IBSI digital-phantom reference table (libs/radiomics/testdata/ibsi-phantom, values and
 * tolerances from the IBSI manual, 03_Image_features.rst) reproduced, for every aggregation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureDefinition, FeatureValues } from '../../volume.js';
import {
  MATRIX_AGGREGATIONS,
  SLICE_AGGREGATIONS,
  computeGlcmFeatures,
  computeGldzmFeatures,
  computeGlrlmFeatures,
  computeGlszmFeatures,
  computeNgldmFeatures,
  computeNgtdmFeatures,
  glcmFeatureDefinitions,
  gldzmFeatureDefinitions,
  glrlmFeatureDefinitions,
  glszmFeatureDefinitions,
  ngldmFeatureDefinitions,
  ngtdmFeatureDefinitions,
} from './index.js';
import { loadIbsiPhantom, matchesReference, referenceRows } from './testing/ibsi-phantom.fixture.js';

const { roi, mask } = loadIbsiPhantom();

interface FamilyCase {
  family: string;
  compute: () => FeatureValues;
  definitions: FeatureDefinition[];
  aggregations: readonly string[];
  /** Rows the reference table lists for the family (features × aggregations). */
  expectedRows: number;
}

const families: FamilyCase[] = [
  { family: 'GLCM', compute: () => computeGlcmFeatures(roi), definitions: glcmFeatureDefinitions, aggregations: MATRIX_AGGREGATIONS, expectedRows: 150 },
  { family: 'GLRLM', compute: () => computeGlrlmFeatures(roi), definitions: glrlmFeatureDefinitions, aggregations: MATRIX_AGGREGATIONS, expectedRows: 96 },
  { family: 'GLSZM', compute: () => computeGlszmFeatures(roi), definitions: glszmFeatureDefinitions, aggregations: SLICE_AGGREGATIONS, expectedRows: 48 },
  {
    family: 'GLDZM',
    // IBSI 3.9: distance map from the morphological mask, here identical to the intensity mask.
    compute: () => computeGldzmFeatures(roi, { morphologicalMask: mask }),
    definitions: gldzmFeatureDefinitions,
    aggregations: SLICE_AGGREGATIONS,
    expectedRows: 48,
  },
  { family: 'NGTDM', compute: () => computeNgtdmFeatures(roi), definitions: ngtdmFeatureDefinitions, aggregations: SLICE_AGGREGATIONS, expectedRows: 15 },
  { family: 'NGLDM', compute: () => computeNgldmFeatures(roi), definitions: ngldmFeatureDefinitions, aggregations: SLICE_AGGREGATIONS, expectedRows: 51 },
];

describe('IBSI digital phantom: texture reference values', () => {
  for (const c of families) {
    it(`${c.family}: every reference row matches within its tolerance`, (t) => {
      const rows = referenceRows(c.family);
      assert.equal(rows.length, c.expectedRows, `reference rows for ${c.family}`);
      const values = c.compute();
      const misses: string[] = [];
      for (const row of rows) {
        const key = `${row.code}@${row.aggregationCode}`;
        const computed = values[key];
        if (!matchesReference(computed, row)) {
          misses.push(`${key} ${row.featureName}: expected ${row.valueText} (tol ${row.tolerance}), got ${computed}`);
        }
      }
      t.diagnostic(`${c.family}: ${rows.length - misses.length}/${rows.length} reference rows matched`);
      assert.deepEqual(misses, []);
    });

    it(`${c.family}: features and reference rows cover each other`, () => {
      const rows = referenceRows(c.family);
      const referenced = new Set(rows.map((r) => `${r.code}@${r.aggregationCode}`));
      const computed = Object.keys(c.compute()).sort();
      const expectedKeys = c.definitions.flatMap((d) => c.aggregations.map((a) => `${d.code}@${a}`)).sort();
      // Every feature × aggregation is computed by default …
      assert.deepEqual(computed, expectedKeys);
      // … has a reference value, and every reference row names a computed feature.
      assert.deepEqual([...referenced].sort(), expectedKeys);
    });
  }

  it('reference names agree with the feature definitions', () => {
    for (const c of families) {
      const names = new Map(c.definitions.map((d) => [d.code, d.name]));
      for (const row of referenceRows(c.family)) assert.equal(names.get(row.code), row.featureName, `${c.family} ${row.code}`);
    }
  });
});
