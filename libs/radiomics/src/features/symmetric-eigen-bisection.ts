/**
 * The k-th smallest eigenvalue (0-based) of a dense symmetric n×n matrix (row-major):
 * Householder reduction to tridiagonal form, then bisection on the Sturm sequence count.
 * Bisection gives each eigenvalue to about ε·‖A‖ whatever the spectrum, and needs no
 * eigenvectors. The input is not modified.
 */
export function symmetricEigenvalueAt(matrix: Float64Array, n: number, k: number): number {
  const { diagonal, offDiagonal } = tridiagonalise(matrix, n);
  let lo = Infinity;
  let hi = -Infinity;
  // Gershgorin bounds of the tridiagonal matrix.
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(offDiagonal[i - 1]!) : 0) + (i < n - 1 ? Math.abs(offDiagonal[i]!) : 0);
    lo = Math.min(lo, diagonal[i]! - r);
    hi = Math.max(hi, diagonal[i]! + r);
  }
  for (let iter = 0; iter < 200; iter++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countBelow(diagonal, offDiagonal, mid) >= k + 1) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** Number of eigenvalues of the tridiagonal matrix below x (Sturm sequence, LDLᵀ pivots). */
function countBelow(d: Float64Array, e: Float64Array, x: number): number {
  let count = 0;
  let q = d[0]! - x;
  if (q < 0) count++;
  for (let i = 1; i < d.length; i++) {
    if (q === 0) q = Number.EPSILON * (Math.abs(e[i - 1]!) + Number.MIN_VALUE);
    q = d[i]! - x - (e[i - 1]! * e[i - 1]!) / q;
    if (q < 0) count++;
  }
  return count;
}

/** Householder similarity transforms H A H, H = I − 2vvᵀ, column by column. */
function tridiagonalise(matrix: Float64Array, n: number): { diagonal: Float64Array; offDiagonal: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += a[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const x0 = a[(k + 1) * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    let vnorm = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k]! - (i === k + 1 ? alpha : 0);
      vnorm += v[i]! ** 2;
    }
    vnorm = Math.sqrt(vnorm);
    if (vnorm === 0) continue;
    for (let i = k + 1; i < n; i++) v[i] = v[i]! / vnorm;
    // p = A v, K = vᵀp, w = p − K v, A ← A − 2(v wᵀ + w vᵀ) on the trailing block.
    let kk = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j]! * v[j]!;
      p[i] = s;
      kk += v[i]! * s;
    }
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - kk * v[i]!;
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - 2 * (v[i]! * p[j]! + p[i]! * v[j]!);
    }
    a[(k + 1) * n + k] = alpha;
    a[k * n + k + 1] = alpha;
    for (let i = k + 2; i < n; i++) {
      a[i * n + k] = 0;
      a[k * n + i] = 0;
    }
  }
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(Math.max(0, n - 1));
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i]!;
  for (let i = 0; i < n - 1; i++) offDiagonal[i] = a[(i + 1) * n + i]!;
  return { diagonal, offDiagonal };
}
