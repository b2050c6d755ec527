/** Options, refused inputs and degenerate ROIs of the texture families. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '@radledger/platform';
import type { DiscretisedRoi } from '../../volume.js';
import {
  NGTDM_MAX_COARSENESS,
  computeGlcmFeatures,
  computeGldzmFeatures,
  computeGlrlmFeatures,
  computeGlszmFeatures,
  computeNgldmFeatures,
  computeNgtdmFeatures,
  type MatrixAggregation,
  type SliceAggregation,
} from './index.js';
import { loadIbsiPhantom } from './testing/ibsi-phantom.fixture.js';

function roiOf(dims: [number, number, number], values: number[], nGreyLevels: number): DiscretisedRoi {
  return { dims, spacing: [1, 1, 1], levels: Int32Array.from(values), nGreyLevels };
}

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ValidationError && e.code === code);
}

describe('texture families: options', () => {
  const { roi } = loadIbsiPhantom();

  it('computes only the requested aggregations', () => {
    const glcm = computeGlcmFeatures(roi, { aggregations: ['IAZD'] });
    assert.equal(Object.keys(glcm).length, 25);
    assert.ok(Object.keys(glcm).every((k) => k.endsWith('@IAZD')));
    const szm = computeGlszmFeatures(roi, { aggregations: ['62GR'] });
    assert.ok(Object.keys(szm).every((k) => k.endsWith('@62GR')));
    // The same aggregation alone or among all gives the same numbers.
    assert.equal(glcm['GYBY@IAZD'], computeGlcmFeatures(roi)['GYBY@IAZD']);
  });

  it('refuses an unknown aggregation code or one of the other family group', () => {
    rejects(() => computeGlcmFeatures(roi, { aggregations: ['KOBO' as MatrixAggregation] }), 'TEXTURE_AGGREGATION_INVALID');
    rejects(() => computeNgtdmFeatures(roi, { aggregations: ['IAZD' as SliceAggregation] }), 'TEXTURE_AGGREGATION_INVALID');
  });

  it('refuses a distance below 1 or a negative or fractional coarseness', () => {
    rejects(() => computeGlcmFeatures(roi, { distance: 0 }), 'TEXTURE_OPTION_INVALID');
    rejects(() => computeNgtdmFeatures(roi, { distance: 1.5 }), 'TEXTURE_OPTION_INVALID');
    rejects(() => computeNgldmFeatures(roi, { alpha: -1 }), 'TEXTURE_OPTION_INVALID');
  });

  it('a larger distance and coarseness change the features', () => {
    assert.notEqual(computeGlcmFeatures(roi, { distance: 2 })['ACUI@IAZD'], computeGlcmFeatures(roi)['ACUI@IAZD']);
    assert.notEqual(computeNgldmFeatures(roi, { alpha: 1 })['SODN@KOBO'], computeNgldmFeatures(roi)['SODN@KOBO']);
  });
});

describe('texture families: refused inputs', () => {
  it('an empty ROI', () => {
    rejects(() => computeGlszmFeatures(roiOf([2, 2, 1], [0, 0, 0, 0], 3)), 'ROI_EMPTY');
  });

  it('a grey level outside 0..nGreyLevels', () => {
    rejects(() => computeGlrlmFeatures(roiOf([2, 1, 1], [1, 4], 3)), 'GREY_LEVEL_OUT_OF_RANGE');
    rejects(() => computeGlrlmFeatures(roiOf([2, 1, 1], [1, -1], 3)), 'GREY_LEVEL_OUT_OF_RANGE');
  });

  it('levels that do not fill the grid', () => {
    rejects(() => computeNgldmFeatures(roiOf([2, 2, 2], [1, 1, 1], 2)), 'ROI_SHAPE_MISMATCH');
  });

  it('a morphological mask that misses intensity-ROI voxels or has another size', () => {
    const roi = roiOf([3, 1, 1], [1, 2, 1], 2);
    rejects(() => computeGldzmFeatures(roi, { morphologicalMask: Uint8Array.of(1, 0, 1) }), 'MORPHOLOGICAL_MASK_MISMATCH');
    rejects(() => computeGldzmFeatures(roi, { morphologicalMask: Uint8Array.of(1, 1) }), 'ROI_SHAPE_MISMATCH');
  });
});

describe('texture families: degenerate ROIs', () => {
  it('a single voxel: no co-occurrence or neighbourhood, so those keys are absent rather than NaN', () => {
    const roi = roiOf([1, 1, 1], [2], 4);
    assert.deepEqual(computeGlcmFeatures(roi), {});
    assert.deepEqual(computeNgtdmFeatures(roi), {});
    const szm = computeGlszmFeatures(roi);
    assert.equal(szm['P30P@KOBO'], 1);
    assert.equal(szm['5QRC@8QNN'], 1);
    assert.equal(computeNgldmFeatures(roi)['SODN@KOBO'], 1);
    assert.equal(computeGldzmFeatures(roi)['0GBI@KOBO'], 1);
    assert.equal(computeGlrlmFeatures(roi)['9ZK5@IAZD'], 1);
  });

  it('a flat ROI: IBSI caps coarseness at 10^6; correlation and information correlation follow PyRadiomics', () => {
    const roi = roiOf([3, 3, 2], new Array(18).fill(3), 5);
    const ngt = computeNgtdmFeatures(roi);
    assert.equal(ngt['QCDE@KOBO'], NGTDM_MAX_COARSENESS);
    assert.equal(ngt['65HE@KOBO'], 0);
    assert.equal(ngt['NQ30@KOBO'], 0);
    assert.equal(ngt['1X9X@KOBO'], 0);
    const cm = computeGlcmFeatures(roi);
    assert.equal(cm['NI2N@IAZD'], 1);
    assert.equal(cm['R8DG@IAZD'], 0);
    assert.equal(cm['GYBY@IAZD'], 1);
    assert.ok(Object.values(cm).every(Number.isFinite));
  });

  it('features of a dense random ROI are all finite', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const values = Array.from({ length: 8 * 7 * 5 }, () => next() % 9);
    const roi = roiOf([8, 7, 5], values, 8);
    for (const f of [computeGlcmFeatures, computeGlrlmFeatures, computeGlszmFeatures, computeGldzmFeatures, computeNgtdmFeatures, computeNgldmFeatures]) {
      const out = (f as (r: DiscretisedRoi) => Record<string, number>)(roi);
      assert.ok(Object.keys(out).length > 0);
      for (const [k, v] of Object.entries(out)) assert.ok(Number.isFinite(v), `${k} = ${v}`);
    }
  });
});
