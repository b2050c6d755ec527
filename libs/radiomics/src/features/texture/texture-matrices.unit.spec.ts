/**
 * The 3D texture matrices of the IBSI digital phantom against the manual's tables
 * (libs/radiomics/testdata/ibsi-phantom/digital_phantom_texture_matrices_3d.csv; only the merged GLCM/GLRLM tables,
 * per the README, since the per-direction captions are garbled).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  type CountMatrix,
  countAt,
  gldzmMatrices,
  glcmMatrices,
  glrlmMatrices,
  glszmMatrices,
  mergeCountMatrices,
  mergeGlcmMatrices,
  ngldmMatrices,
  ngtdmMatrices,
} from './index.js';
import { IBSI_DIR, loadIbsiPhantom, readCsv } from './testing/ibsi-phantom.fixture.js';

const { roi, mask } = loadIbsiPhantom();
const ng = roi.nGreyLevels;
const table = readCsv(join(IBSI_DIR, 'digital_phantom_texture_matrices_3d.csv'));

/** (i, second index, count) triples of one reference table. */
function referenceEntries(matrixName: string): [number, number, number][] {
  const rows = table.filter((r) => r.matrix === matrixName);
  assert.ok(rows.length > 0, `reference table "${matrixName}" is present`);
  return rows.map((r) => [Number(r.col1), Number(r.col2), Number(r.col3)]);
}

function nonZeroEntries(m: CountMatrix): number {
  let n = 0;
  for (const c of m.counts) if (c !== 0) n++;
  return n;
}

/** The table's entries all match and the matrix holds no other non-zero entry. */
function assertCountMatrix(m: CountMatrix, entries: [number, number, number][]): void {
  for (const [i, j, n] of entries) assert.equal(countAt(m, i, j), n, `count at (${i}, ${j})`);
  assert.equal(nonZeroEntries(m), entries.length, 'no entries beyond the reference table');
}

describe('IBSI digital phantom: 3D texture matrices', () => {
  it('GLCM, 3D merged over the 13 directions, δ = 1, symmetric', () => {
    const set = glcmMatrices(roi, { dimension: '3D' });
    assert.equal(set.matrices.length, 13);
    const merged = mergeGlcmMatrices(ng, set.matrices);
    const entries = referenceEntries('Grey level co-occurrence matrix (3D, merged)');
    for (const [i, j, n] of entries) assert.equal(merged[(i - 1) * ng + (j - 1)], n, `M(${i}, ${j})`);
    assert.equal(merged.filter((c) => c !== 0).length, entries.length);
  });

  it('GLRLM, 3D merged over the 13 directions', () => {
    const runs = glrlmMatrices(roi, { dimension: '3D' });
    assert.equal(runs.length, 13);
    const merged = mergeCountMatrices(runs.map((r) => r.matrix));
    assertCountMatrix(merged, referenceEntries('Grey level run length matrix (3D, merged)'));
    assert.equal(merged.nVoxels, 13 * 74, 'N_v summed over the merged directions');
  });

  it('GLSZM, 3D (26-connected zones)', () => {
    const [only] = glszmMatrices(roi, { dimension: '3D' });
    assertCountMatrix(only.matrix, referenceEntries('Grey level size zone matrix (3D)'));
  });

  it('GLDZM, 3D (distance from the morphological mask)', () => {
    const [only] = gldzmMatrices(roi, { dimension: '3D', morphologicalMask: mask });
    assertCountMatrix(only.matrix, referenceEntries('Grey level distance zone matrix (3D)'));
  });

  it('NGTDM, 3D, δ = 1: n_i exactly and s_i to the table\'s 6 decimals', () => {
    const [m] = ngtdmMatrices(roi, { dimension: '3D' });
    const entries = referenceEntries('Neighbourhood grey tone difference matrix (3D)');
    for (const [i, s, n] of entries) {
      assert.equal(m.n[i - 1], n, `n_${i}`);
      assert.ok(Math.abs(m.s[i - 1] - s) <= 5e-7, `s_${i}: expected ${s}, got ${m.s[i - 1]}`);
    }
    const listed = new Set(entries.map(([i]) => i));
    for (let i = 1; i <= ng; i++) if (!listed.has(i)) assert.equal(m.n[i - 1], 0, `n_${i} absent from the table`);
  });

  it('NGLDM, 3D, δ = 1, α = 0', () => {
    const [only] = ngldmMatrices(roi, { dimension: '3D' });
    assertCountMatrix(only.matrix, referenceEntries('Neighbouring grey level dependence matrix (3D)'));
    assert.equal(only.matrix.nVoxels, 74);
  });
});
