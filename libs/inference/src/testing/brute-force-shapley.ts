import { goesTrue, modelMargin, type ExplainableModel, type TreeEnsembleModel } from '../explanations/explainable-model.js';
import type { NodeCovers } from '../explanations/tree-shap.js';

/**
 * Shapley values by definition (Shapley 1953): φ_i = Σ_{S ⊆ F∖{i}} |S|! (M − |S| − 1)! / M! ·
 * (v(S ∪ {i}) − v(S)), enumerating all 2^M subsets. Test support for checking the fast algorithms.
 */
export function bruteForceShapley(featureCount: number, value: (subset: number) => number): Float64Array {
  const m = featureCount;
  const factorial = [1];
  for (let i = 1; i <= m; i++) factorial.push(factorial[i - 1]! * i);
  const v = new Float64Array(1 << m);
  for (let s = 0; s < 1 << m; s++) v[s] = value(s);
  const phi = new Float64Array(m);
  for (let s = 0; s < 1 << m; s++) {
    let size = 0;
    for (let b = s; b; b &= b - 1) size++;
    const weight = (factorial[size]! * factorial[m - size - 1]!) / factorial[m]!;
    for (let i = 0; i < m; i++) if (!(s & (1 << i))) phi[i]! += weight * (v[s | (1 << i)]! - v[s]!);
  }
  return phi;
}

/** Algorithm 1 of Lundberg et al. 2018 (EXPVALUE): E[f(x) | x_S] by the tree-path conditional expectation. */
export function treePathConditionalExpectation(model: TreeEnsembleModel, covers: NodeCovers, x: ArrayLike<number>, subset: number): number {
  let total = model.base;
  model.trees.forEach((tree, t) => {
    const c = covers[t]!;
    const g = (i: number): number => {
      if (tree.mode[i] === 'LEAF') return tree.value[i]!;
      if (subset & (1 << tree.feature[i]!)) return g(goesTrue(tree, i, x) ? tree.trueChild[i]! : tree.falseChild[i]!);
      const a = tree.trueChild[i]!;
      const b = tree.falseChild[i]!;
      return (g(a) * c[a]! + g(b) * c[b]!) / c[i]!;
    };
    total += g(0);
  });
  return total;
}

/** Interventional value of a model with features outside S set to the reference point: f(x_S, r_S̄). */
export function marginWithBaseline(model: ExplainableModel, x: ArrayLike<number>, baseline: ArrayLike<number>, subset: number): number {
  const mixed = Array.from({ length: model.featureCount }, (_, j) => (subset & (1 << j) ? x[j]! : baseline[j]!));
  return modelMargin(model, mixed);
}
