import assert from 'node:assert/strict';
import { test } from 'node:test';
import { symmetricEigenvalueAt } from './symmetric-eigen-bisection.js';

test('eigenvalues of known symmetric matrices, in ascending order', () => {
  // Tridiagonal Toeplitz [2 1; 1 2 1; 1 2]: 2 − √2, 2, 2 + √2.
  const t = Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]);
  [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((want, k) => assert.ok(Math.abs(symmetricEigenvalueAt(t, 3, k) - want) < 1e-14));
  // A dense 4×4 built as Qᵀ diag(1, 0.25, 0.0625, 0) Q with a Householder Q = I − 2vvᵀ.
  const v = [0.5, -0.5, 0.5, 0.5];
  const q = (i: number, j: number) => (i === j ? 1 : 0) - 2 * v[i]! * v[j]!;
  const d = [1, 0.25, 0.0625, 0];
  const a = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) a[i * 4 + j] = a[i * 4 + j]! + q(k, i) * d[k]! * q(k, j);
  [0, 0.0625, 0.25, 1].forEach((want, k) => assert.ok(Math.abs(symmetricEigenvalueAt(a, 4, k) - want) < 1e-14, `λ${k}`));
});
