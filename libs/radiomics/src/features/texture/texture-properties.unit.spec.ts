/**
 * Universal properties of the texture matrices and features on random small ROIs, checked
 * against brute-force counts written independently of the implementation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DiscretisedRoi, FeatureValues } from '../../volume.js';
import {
  type CountMatrix,
  type TextureDimension,
  computeGlcmFeatures,
  computeGldzmFeatures,
  computeGlrlmFeatures,
  computeGlszmFeatures,
  computeNgldmFeatures,
  computeNgtdmFeatures,
  glcmMatrices,
  glrlmMatrices,
  glszmMatrices,
  mergeGlcmMatrices,
  ngldmMatrices,
  ngtdmMatrices,
} from './index.js';
import { borderDistanceMap } from './gldzm.features.js';
import { padRoi } from './texture-grid.js';

const roiArbitrary: fc.Arbitrary<DiscretisedRoi> = fc
  .record({
    nx: fc.integer({ min: 1, max: 6 }),
    ny: fc.integer({ min: 1, max: 6 }),
    nz: fc.integer({ min: 1, max: 4 }),
    ng: fc.integer({ min: 1, max: 5 }),
  })
  .chain(({ nx, ny, nz, ng }) =>
    fc.array(fc.integer({ min: 0, max: ng }), { minLength: nx * ny * nz, maxLength: nx * ny * nz }).map((values) => {
      if (!values.some((v) => v > 0)) values[0] = 1;
      return { dims: [nx, ny, nz] as const, spacing: [1, 1, 1] as const, levels: Int32Array.from(values), nGreyLevels: ng };
    }),
  );

const dimensionArbitrary = fc.constantFrom<TextureDimension>('2D', '3D');

interface Voxel {
  x: number;
  y: number;
  z: number;
  level: number;
}

function roiVoxels(roi: DiscretisedRoi): Voxel[] {
  const [nx, ny, nz] = roi.dims;
  const out: Voxel[] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const level = roi.levels[x + nx * (y + ny * z)];
        if (level > 0) out.push({ x, y, z, level });
      }
  return out;
}

/** Unordered ROI voxel pairs at Chebyshev distance 1 (in 2D: within one slice). */
function neighbourPairs(roi: DiscretisedRoi, dimension: TextureDimension): [Voxel, Voxel][] {
  const vs = roiVoxels(roi);
  const pairs: [Voxel, Voxel][] = [];
  for (let a = 0; a < vs.length; a++) {
    for (let b = a + 1; b < vs.length; b++) {
      const p = vs[a];
      const q = vs[b];
      if (dimension === '2D' && p.z !== q.z) continue;
      if (Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y), Math.abs(p.z - q.z)) === 1) pairs.push([p, q]);
    }
  }
  return pairs;
}

function levelCounts(voxels: readonly Voxel[], ng: number): number[] {
  const out = new Array<number>(ng).fill(0);
  for (const v of voxels) out[v.level - 1]++;
  return out;
}

/** Σ_j weight(j) · m_ij for every grey level i. */
function weightedRowSums(m: CountMatrix, weight: (j: number) => number): number[] {
  const nc = m.columns.length;
  return Array.from({ length: m.nGreyLevels }, (_, i) => {
    let s = 0;
    for (let c = 0; c < nc; c++) s += weight(m.columns[c]) * m.counts[i * nc + c];
    return s;
  });
}

function allFeatures(roi: DiscretisedRoi): FeatureValues {
  return {
    ...computeGlcmFeatures(roi),
    ...computeGlrlmFeatures(roi),
    ...computeGlszmFeatures(roi),
    ...computeGldzmFeatures(roi),
    ...computeNgtdmFeatures(roi),
    ...computeNgldmFeatures(roi),
  };
}

type Transform = 'flipX' | 'flipY' | 'flipZ' | 'transposeXY';

function transformRoi(roi: DiscretisedRoi, t: Transform): DiscretisedRoi {
  const [nx, ny, nz] = roi.dims;
  const dims = t === 'transposeXY' ? ([ny, nx, nz] as const) : roi.dims;
  const levels = new Int32Array(roi.levels.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const g = roi.levels[x + nx * (y + ny * z)];
        let [X, Y, Z] = [x, y, z];
        if (t === 'flipX') X = nx - 1 - x;
        if (t === 'flipY') Y = ny - 1 - y;
        if (t === 'flipZ') Z = nz - 1 - z;
        if (t === 'transposeXY') [X, Y] = [y, x];
        levels[X + dims[0] * (Y + dims[1] * Z)] = g;
      }
  return { ...roi, dims, levels };
}

function embed(roi: DiscretisedRoi, [ox, oy, oz]: [number, number, number]): DiscretisedRoi {
  const [nx, ny, nz] = roi.dims;
  const dims = [nx + ox + 2, ny + oy + 1, nz + oz + 3] as const;
  const levels = new Int32Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) levels[x + ox + dims[0] * (y + oy + dims[1] * (z + oz))] = roi.levels[x + nx * (y + ny * z)];
  return { ...roi, dims, levels };
}

function assertFeaturesClose(actual: FeatureValues, expected: FeatureValues): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [key, e] of Object.entries(expected)) {
    const a = actual[key];
    assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${key}: ${a} vs ${e}`);
  }
}

describe('texture matrices: counting invariants', () => {
  it('the merged symmetric GLCM counts every neighbour pair twice (once per order)', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const ng = roi.nGreyLevels;
        const merged = mergeGlcmMatrices(ng, glcmMatrices(roi, { dimension }).matrices);
        const expected = new Float64Array(ng * ng);
        for (const [p, q] of neighbourPairs(roi, dimension)) {
          expected[(p.level - 1) * ng + (q.level - 1)] += 1;
          expected[(q.level - 1) * ng + (p.level - 1)] += 1;
        }
        assert.deepEqual(merged, expected);
      }),
      { numRuns: 150 },
    );
  });

  it('the non-symmetric GLCM plus its transpose is the symmetric GLCM', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const ng = roi.nGreyLevels;
        const sym = glcmMatrices(roi, { dimension }).matrices;
        const one = glcmMatrices(roi, { dimension, symmetric: false }).matrices;
        sym.forEach((m, k) => {
          for (let i = 0; i < ng; i++)
            for (let j = 0; j < ng; j++) assert.equal(m.counts[i * ng + j], one[k].counts[i * ng + j] + one[k].counts[j * ng + i]);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('every voxel lies in exactly one run per direction: Σ_j j r_ij = n_i', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const voxels = roiVoxels(roi);
        for (const { slice, matrix } of glrlmMatrices(roi, { dimension })) {
          const inScope = slice === undefined ? voxels : voxels.filter((v) => v.z === slice);
          assert.deepEqual(weightedRowSums(matrix, (j) => j), levelCounts(inScope, roi.nGreyLevels));
          assert.equal(matrix.nVoxels, inScope.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('zones partition the ROI: Σ_j j s_ij = n_i, and linked voxels share a zone', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const voxels = roiVoxels(roi);
        const matrices = glszmMatrices(roi, { dimension });
        let zones = 0;
        for (const { slice, matrix } of matrices) {
          const inScope = slice === undefined ? voxels : voxels.filter((v) => v.z === slice);
          assert.deepEqual(weightedRowSums(matrix, (j) => j), levelCounts(inScope, roi.nGreyLevels));
          zones += weightedRowSums(matrix, () => 1).reduce((a, b) => a + b, 0);
        }
        // Zone count by brute-force union of same-level neighbour pairs.
        const parent = voxels.map((_, k) => k);
        const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
        const index = new Map(voxels.map((v, k) => [`${v.x},${v.y},${v.z}`, k]));
        for (const [p, q] of neighbourPairs(roi, dimension)) {
          if (p.level === q.level) parent[find(index.get(`${p.x},${p.y},${p.z}`)!)] = find(index.get(`${q.x},${q.y},${q.z}`)!);
        }
        assert.equal(zones, voxels.filter((_, k) => find(k) === k).length);
      }),
      { numRuns: 150 },
    );
  });

  it('NGLDM: one neighbourhood per voxel, and Σ (j - 1) s_ij counts dependent pairs twice', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, fc.integer({ min: 0, max: 4 }), (roi, dimension, alpha) => {
        const voxels = roiVoxels(roi);
        let dependentEnds = 0;
        let neighbourhoods = 0;
        for (const { matrix } of ngldmMatrices(roi, { dimension, alpha })) {
          dependentEnds += weightedRowSums(matrix, (j) => j - 1).reduce((a, b) => a + b, 0);
          neighbourhoods += weightedRowSums(matrix, () => 1).reduce((a, b) => a + b, 0);
        }
        const dependentPairs = neighbourPairs(roi, dimension).filter(([p, q]) => Math.abs(p.level - q.level) <= alpha).length;
        assert.equal(neighbourhoods, voxels.length);
        assert.equal(dependentEnds, 2 * dependentPairs);
      }),
      { numRuns: 150 },
    );
  });

  it('NGTDM: n_i counts the voxels of level i that have at least one ROI neighbour', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const withNeighbour = new Set<Voxel>();
        for (const [p, q] of neighbourPairs(roi, dimension)) {
          withNeighbour.add(p);
          withNeighbour.add(q);
        }
        const counted = levelCounts([...withNeighbour], roi.nGreyLevels);
        const total = new Array<number>(roi.nGreyLevels).fill(0);
        for (const m of ngtdmMatrices(roi, { dimension })) m.n.forEach((n, i) => (total[i] += n));
        assert.deepEqual(total, counted);
      }),
      { numRuns: 150 },
    );
  });

  it('GLDZM distance map equals the IBSI iterative erosion (6-connected in 3D, 4-connected in 2D)', () => {
    fc.assert(
      fc.property(roiArbitrary, dimensionArbitrary, (roi, dimension) => {
        const grid = padRoi(roi, 1);
        const fast = borderDistanceMap(grid, dimension);
        // IBSI 3.9: erode the mask, add 1 to every voxel still in it, repeat until empty.
        const steps = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], ...(dimension === '3D' ? [[0, 0, 1], [0, 0, -1]] : [])];
        let current = Uint8Array.from(grid.levels, (g) => (g > 0 ? 1 : 0));
        const slow = new Int32Array(current.length);
        while (current.some((c) => c === 1)) {
          const next = new Uint8Array(current.length);
          for (let v = 0; v < current.length; v++) {
            if (current[v] === 0) continue;
            slow[v]++;
            const z = Math.floor(v / (grid.nx * grid.ny));
            const y = Math.floor(v / grid.nx) % grid.ny;
            const x = v % grid.nx;
            next[v] = steps.every(([dx, dy, dz]) => {
              const [X, Y, Z] = [x + dx, y + dy, z + dz];
              const inGrid = X >= 0 && Y >= 0 && Z >= 0 && X < grid.nx && Y < grid.ny && Z < grid.nz;
              return inGrid && current[X + grid.nx * (Y + grid.ny * Z)] === 1;
            })
              ? 1
              : 0;
          }
          current = next;
        }
        assert.deepEqual(fast, slow);
      }),
      { numRuns: 150 },
    );
  });
});

describe('texture features: geometric invariances', () => {
  it('every family and aggregation is unchanged by flipping an axis or swapping x and y', () => {
    fc.assert(
      fc.property(roiArbitrary, fc.constantFrom<Transform>('flipX', 'flipY', 'flipZ', 'transposeXY'), (roi, t) => {
        assertFeaturesClose(allFeatures(transformRoi(roi, t)), allFeatures(roi));
      }),
      { numRuns: 60 },
    );
  });

  it('features do not depend on where the ROI sits in the image grid', () => {
    fc.assert(
      fc.property(
        roiArbitrary,
        fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
        (roi, offset) => {
          assert.deepEqual(allFeatures(embed(roi, offset)), allFeatures(roi));
        },
      ),
      { numRuns: 60 },
    );
  });
});
