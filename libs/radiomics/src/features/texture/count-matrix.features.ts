/**
 * The 16 features IBSI defines alike for every grey level × count matrix: run length
 * (GLRLM, IBSI 3.7.1–3.7.16), zone size (GLSZM, IBSI 3.8.1–3.8.16), zone distance (GLDZM,
 * IBSI 3.9.1–3.9.16) and dependence count (NGLDM, IBSI 3.11.1–3.11.16). Each family's
 * formulas are the same in x_ij (r_ij, s_ij, d_ij), N_s (runs, zones, neighbourhoods) and
 * N_v; only the names and IBSI codes differ, and those stay in the family's
 * `<family>FeatureDefinitions`, listed in the order of this vector:
 *
 * | k  | feature                         | GLRLM | GLSZM | GLDZM | NGLDM |
 * | -- | ------------------------------- | ----- | ----- | ----- | ----- |
 * | 0  | short/small/low emphasis        | 22OV  | 5QRC  | 0GBI  | SODN  |
 * | 1  | long/large/high emphasis        | W4KF  | 48P8  | MB4I  | IMOQ  |
 * | 2  | low grey level emphasis         | V3SW  | XMSY  | S1RA  | TL9H  |
 * | 3  | high grey level emphasis        | G3QZ  | 5GN9  | K26C  | OAE7  |
 * | 4  | short … low grey level          | HTZT  | 5RAI  | RUVG  | EQ3F  |
 * | 5  | short … high grey level         | GD3A  | HW1V  | DKNJ  | JA6D  |
 * | 6  | long … low grey level           | IVPO  | YH51  | A7WM  | NBZI  |
 * | 7  | long … high grey level          | 3KUM  | J17V  | KLTH  | 9QMG  |
 * | 8  | grey level non-uniformity       | R5YN  | JNSA  | VFT7  | FP8K  |
 * | 9  | normalised grey level non-unif. | OVBL  | Y1RO  | 7HP3  | 5SPA  |
 * | 10 | run/zone/count non-uniformity   | W92Y  | 4JP3  | V294  | Z87G  |
 * | 11 | normalised of 10                | IC23  | VB3A  | IATH  | OKJI  |
 * | 12 | percentage N_s / N_v            | 9ZK5  | P30P  | VIWW  | 6XV8  |
 * | 13 | grey level variance             | 8CE5  | BYLV  | QK93  | 1PFV  |
 * | 14 | run/zone/count variance         | SXLW  | 3NSA  | 7WT1  | DNX2  |
 * | 15 | run/zone/count entropy          | HJ9O  | GU8N  | GBDU  | FCBV  |
 *
 * Sub-sections below are those of GLRLM (IBSI 3.7.k); the other families number them alike.
 */
import { type CountMatrix, marginals, totalCount } from './count-matrix.js';
import { entropyOfCounts } from './texture-grid.js';

/** Length of the vector `countMatrixFeatureVector` writes. */
export const COUNT_MATRIX_FEATURE_COUNT = 16;

/**
 * The 16 shared features of one (possibly merged) count matrix, in the order of the table
 * above, written to out[0..15] (a new array unless `out` is given; a longer `out` lets a
 * family append its own features, as NGLDM does with its energy).
 */
export function countMatrixFeatureVector(
  m: CountMatrix,
  out: Float64Array = new Float64Array(COUNT_MATRIX_FEATURE_COUNT),
): Float64Array {
  const ng = m.nGreyLevels;
  const nc = m.columns.length;
  const ns = totalCount(m); // N_s: runs, zones or neighbourhoods
  const { perLevel, perColumn } = marginals(m); // x_i., x_.j
  let shortE = 0, longE = 0, lowGreyE = 0, highGreyE = 0;
  let shortLowE = 0, shortHighE = 0, longLowE = 0, longHighE = 0;
  let glnu = 0, countNu = 0, sumI = 0, sumJ = 0;
  for (let c = 0; c < nc; c++) {
    const j = m.columns[c];
    const x = perColumn[c];
    // IBSI 3.7.1: F = (1/N_s) Σ_j x_.j / j²
    shortE += x / (j * j);
    // IBSI 3.7.2: F = (1/N_s) Σ_j j² x_.j
    longE += j * j * x;
    // IBSI 3.7.11: F = (1/N_s) Σ_j x_.j²
    countNu += x * x;
    sumJ += j * x;
  }
  for (let i = 1; i <= ng; i++) {
    const x = perLevel[i - 1];
    // IBSI 3.7.3: F = (1/N_s) Σ_i x_i. / i²
    lowGreyE += x / (i * i);
    // IBSI 3.7.4: F = (1/N_s) Σ_i i² x_i.
    highGreyE += i * i * x;
    // IBSI 3.7.9: F = (1/N_s) Σ_i x_i.²
    glnu += x * x;
    sumI += i * x;
    for (let c = 0; c < nc; c++) {
      const xij = m.counts[(i - 1) * nc + c];
      if (xij === 0) continue;
      const j = m.columns[c];
      // IBSI 3.7.5: F = (1/N_s) Σ x_ij / (i² j²)
      shortLowE += xij / (i * i * j * j);
      // IBSI 3.7.6: F = (1/N_s) Σ i² x_ij / j²
      shortHighE += (i * i * xij) / (j * j);
      // IBSI 3.7.7: F = (1/N_s) Σ j² x_ij / i²
      longLowE += (j * j * xij) / (i * i);
      // IBSI 3.7.8: F = (1/N_s) Σ i² j² x_ij
      longHighE += i * i * j * j * xij;
    }
  }
  // Means from integer count sums, so a single-valued index gives an exact 0 variance.
  const muI = sumI / ns;
  const muJ = sumJ / ns;
  let varI = 0, varJ = 0;
  for (let i = 1; i <= ng; i++) {
    for (let c = 0; c < nc; c++) {
      const xij = m.counts[(i - 1) * nc + c];
      if (xij === 0) continue;
      varI += (i - muI) ** 2 * xij;
      varJ += (m.columns[c] - muJ) ** 2 * xij;
    }
  }
  out[0] = shortE / ns;
  out[1] = longE / ns;
  out[2] = lowGreyE / ns;
  out[3] = highGreyE / ns;
  out[4] = shortLowE / ns;
  out[5] = shortHighE / ns;
  out[6] = longLowE / ns;
  out[7] = longHighE / ns;
  out[8] = glnu / ns;
  // IBSI 3.7.10: F = (1/N_s²) Σ_i x_i.²
  out[9] = glnu / (ns * ns);
  out[10] = countNu / ns;
  // IBSI 3.7.12: F = (1/N_s²) Σ_j x_.j²
  out[11] = countNu / (ns * ns);
  // IBSI 3.7.13: F = N_s / N_v, N_v summed over merged matrices
  out[12] = ns / m.nVoxels;
  // IBSI 3.7.14: F = Σ (i - μ)² p_ij, p_ij = x_ij / N_s, μ = Σ i p_ij
  out[13] = varI / ns;
  // IBSI 3.7.15: F = Σ (j - μ)² p_ij, μ = Σ j p_ij
  out[14] = varJ / ns;
  // IBSI 3.7.16: F = -Σ p_ij log2 p_ij
  out[15] = entropyOfCounts(m.counts, ns);
  return out;
}
