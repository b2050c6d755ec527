/**
 * The grey level × count matrices of GLRLM (run length), GLSZM (zone size), GLDZM (zone
 * distance) and NGLDM (dependence count), IBSI 3.7–3.9 and 3.11. Only the columns that hold
 * a count are stored: zone sizes can reach the ROI voxel count, so a dense N_g × N_z matrix
 * of a large ROI would be mostly zeros.
 */

export interface CountMatrix {
  nGreyLevels: number;
  /** Value of the second index per stored column (run length, size, distance, dependence), ascending. */
  columns: Float64Array;
  /** counts[(i - 1) * columns.length + c] = count of grey level i with second index columns[c]. */
  counts: Float64Array;
  /** N_v: voxels behind the matrix; summed when matrices are merged (IBSI 3.7 aggregation). */
  nVoxels: number;
}

/** One matrix of a family aggregated per slice (IBSI 3.8, 3.9, 3.11): 2D per slice, or 3D. */
export interface SliceCountMatrix {
  /** Original-grid slice index for 2D matrices; undefined for 3D. */
  slice?: number;
  matrix: CountMatrix;
}

/** The count of grey level `i` (1-based) at second-index value `j`, 0 if absent. */
export function countAt(m: CountMatrix, i: number, j: number): number {
  const c = binarySearch(m.columns, j);
  return c < 0 ? 0 : m.counts[(i - 1) * m.columns.length + c];
}

function binarySearch(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Compresses a dense accumulator `dense[(i - 1) * maxJ + (j - 1)]` (j = 1..maxJ) to its
 * non-empty columns.
 */
export function countMatrixFromDense(nGreyLevels: number, maxJ: number, dense: Float64Array, nVoxels: number): CountMatrix {
  const used: number[] = [];
  for (let j = 0; j < maxJ; j++) {
    for (let i = 0; i < nGreyLevels; i++) {
      if (dense[i * maxJ + j] !== 0) {
        used.push(j);
        break;
      }
    }
  }
  const nc = used.length;
  const counts = new Float64Array(nGreyLevels * nc);
  for (let c = 0; c < nc; c++) {
    const j = used[c];
    for (let i = 0; i < nGreyLevels; i++) counts[i * nc + c] = dense[i * maxJ + j];
  }
  return { nGreyLevels, columns: Float64Array.from(used, (j) => j + 1), counts, nVoxels };
}

/**
 * Builds a matrix from one entry per counted object (zone): grey level `levels[k]` with
 * second index `js[k]`.
 */
export function countMatrixFromEntries(
  nGreyLevels: number,
  levels: Int32Array,
  js: Int32Array,
  n: number,
  nVoxels: number,
): CountMatrix {
  // Sort by composite key j * N_g + (i - 1); exact in float64 for any realistic ROI.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = js[k] * nGreyLevels + (levels[k] - 1);
  keys.sort();
  const columns: number[] = [];
  for (let k = 0; k < n; k++) {
    const j = Math.floor(keys[k] / nGreyLevels);
    if (columns.length === 0 || columns[columns.length - 1] !== j) columns.push(j);
  }
  const nc = columns.length;
  const counts = new Float64Array(nGreyLevels * nc);
  for (let k = 0, c = -1, prevJ = -1; k < n; k++) {
    const j = Math.floor(keys[k] / nGreyLevels);
    const i = keys[k] - j * nGreyLevels;
    if (j !== prevJ) {
      c++;
      prevJ = j;
    }
    counts[i * nc + c] += 1;
  }
  return { nGreyLevels, columns: Float64Array.from(columns), counts, nVoxels };
}

/** Element-wise sum of matrices, N_v summed too (IBSI 3.7–3.11 merging). */
export function mergeCountMatrices(matrices: readonly CountMatrix[]): CountMatrix {
  if (matrices.length === 0) throw new RangeError('mergeCountMatrices needs at least one matrix');
  const ng = matrices[0].nGreyLevels;
  const columnSet = new Set<number>();
  for (const m of matrices) for (const j of m.columns) columnSet.add(j);
  const columns = Float64Array.from([...columnSet].sort((a, b) => a - b));
  const nc = columns.length;
  const index = new Map<number, number>();
  columns.forEach((j, c) => index.set(j, c));
  const counts = new Float64Array(ng * nc);
  let nVoxels = 0;
  for (const m of matrices) {
    nVoxels += m.nVoxels;
    const mc = m.columns.length;
    for (let c = 0; c < mc; c++) {
      const target = index.get(m.columns[c])!;
      for (let i = 0; i < ng; i++) counts[i * nc + target] += m.counts[i * mc + c];
    }
  }
  return { nGreyLevels: ng, columns, counts, nVoxels };
}

/** Total count N_s. */
export function totalCount(m: CountMatrix): number {
  let s = 0;
  for (let k = 0; k < m.counts.length; k++) s += m.counts[k];
  return s;
}

/** Marginal sums: per grey level (r_i.) and per column (r_.j). */
export function marginals(m: CountMatrix): { perLevel: Float64Array; perColumn: Float64Array } {
  const ng = m.nGreyLevels;
  const nc = m.columns.length;
  const perLevel = new Float64Array(ng);
  const perColumn = new Float64Array(nc);
  for (let i = 0; i < ng; i++) {
    for (let c = 0; c < nc; c++) {
      const v = m.counts[i * nc + c];
      perLevel[i] += v;
      perColumn[c] += v;
    }
  }
  return { perLevel, perColumn };
}
