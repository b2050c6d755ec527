import { ValidationError } from '@radledger/platform';
import { goesTrue, type DecisionTree, type TreeEnsembleModel } from './explainable-model.js';

/**
 * Path-dependent TreeSHAP (Lundberg, Erion & Lee, "Consistent individualized feature attribution
 * for tree ensembles", 2018, Algorithm 2; Lundberg et al., Nat Mach Intell 2020): exact Shapley
 * values of the value function v(S) = E[f(x) | x_S] estimated by the tree-path conditional
 * expectation — at a split on a feature outside S, both children weighted by the share of the
 * reference data (the node "covers") that went each way. O(T · L · D²).
 */

/** Per tree, per node: how many reference rows pass through it. */
export type NodeCovers = Float64Array[];

/** Routes the reference rows (e.g. the training partition) through every tree and counts them per node. */
export function nodeCovers(model: TreeEnsembleModel, referenceRows: ReadonlyArray<ArrayLike<number>>): NodeCovers {
  if (referenceRows.length === 0) throw new ValidationError('REQUIRED', 'reference: expected at least one reference row for the node covers', { field: 'reference' });
  referenceRows.forEach((row, r) => {
    if (row.length !== model.featureCount) throw new ValidationError('FEATURES_INVALID', `reference[${r}]: expected ${model.featureCount} values, got ${row.length}`, { field: `reference[${r}]` });
  });
  return model.trees.map((tree, t) => {
    const covers = new Float64Array(tree.mode.length);
    for (const row of referenceRows) {
      let i = 0;
      covers[0]!++;
      while (tree.mode[i] !== 'LEAF') {
        i = goesTrue(tree, i, row) ? tree.trueChild[i]! : tree.falseChild[i]!;
        covers[i]!++;
      }
    }
    covers.forEach((c, i) => {
      if (c === 0) {
        throw new ValidationError('EXPLANATION_REFERENCE_INVALID', `reference: no reference row reaches tree ${t} node ${i}; the conditional expectation there is undefined (use the data the trees were grown on)`, {
          field: 'reference',
        });
      }
    });
    return covers;
  });
}

/** E[f] under the covers: Σ_leaves value · cover / root cover, plus the ensemble's base. */
export function expectedValue(model: TreeEnsembleModel, covers: NodeCovers): number {
  let e = model.base;
  model.trees.forEach((tree, t) => {
    const c = covers[t]!;
    for (let i = 0; i < tree.mode.length; i++) if (tree.mode[i] === 'LEAF') e += (tree.value[i]! * c[i]!) / c[0]!;
  });
  return e;
}

interface PathElement {
  feature: number;
  /** Fraction of "zero" paths (feature not in S: cover-weighted) and of "one" paths (feature in S: follows x). */
  zero: number;
  one: number;
  /** Permutation weight. */
  weight: number;
}

/** Algorithm 2 EXTEND: grows the path by one split, updating the permutation weights of every subset size. */
function extend(path: PathElement[], zero: number, one: number, feature: number): PathElement[] {
  const depth = path.length;
  const m = path.map((p) => ({ ...p }));
  m.push({ feature, zero, one, weight: depth === 0 ? 1 : 0 });
  for (let i = depth - 1; i >= 0; i--) {
    m[i + 1]!.weight += (one * m[i]!.weight * (i + 1)) / (depth + 1);
    m[i]!.weight = (zero * m[i]!.weight * (depth - i)) / (depth + 1);
  }
  return m;
}

/** Algorithm 2 UNWIND: undoes the EXTEND of element `index` (a feature met again deeper in the tree). */
function unwind(path: PathElement[], index: number): PathElement[] {
  const depth = path.length - 1;
  const { zero, one } = path[index]!;
  const m = path.map((p) => ({ ...p }));
  let next = m[depth]!.weight;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const previous = m[i]!.weight;
      m[i]!.weight = (next * (depth + 1)) / ((i + 1) * one);
      next = previous - (m[i]!.weight * zero * (depth - i)) / (depth + 1);
    } else {
      m[i]!.weight = (m[i]!.weight * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    m[i]!.feature = m[i + 1]!.feature;
    m[i]!.zero = m[i + 1]!.zero;
    m[i]!.one = m[i + 1]!.one;
  }
  m.pop();
  return m;
}

/** Σ of the permutation weights after unwinding element `index`, without building the unwound path. */
function unwoundSum(path: PathElement[], index: number): number {
  const depth = path.length - 1;
  const { zero, one } = path[index]!;
  let next = path[depth]!.weight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const w = (next * (depth + 1)) / ((i + 1) * one);
      total += w;
      next = path[i]!.weight - (w * zero * (depth - i)) / (depth + 1);
    } else {
      total += (path[i]!.weight * (depth + 1)) / (zero * (depth - i));
    }
  }
  return total;
}

function treeShapOne(tree: DecisionTree, covers: Float64Array, x: ArrayLike<number>, phi: Float64Array): void {
  const recurse = (node: number, path: PathElement[], zero: number, one: number, feature: number) => {
    const m = extend(path, zero, one, feature);
    if (tree.mode[node] === 'LEAF') {
      // Element 0 is the root's placeholder (feature −1): it carries no feature.
      for (let i = 1; i < m.length; i++) phi[m[i]!.feature]! += unwoundSum(m, i) * (m[i]!.one - m[i]!.zero) * tree.value[node]!;
      return;
    }
    const hot = goesTrue(tree, node, x) ? tree.trueChild[node]! : tree.falseChild[node]!;
    const cold = hot === tree.trueChild[node] ? tree.falseChild[node]! : tree.trueChild[node]!;
    const split = tree.feature[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    let rest = m;
    const k = m.findIndex((p, i) => i > 0 && p.feature === split);
    if (k > 0) {
      incomingZero = m[k]!.zero;
      incomingOne = m[k]!.one;
      rest = unwind(m, k);
    }
    recurse(hot, rest, (incomingZero * covers[hot]!) / covers[node]!, incomingOne, split);
    recurse(cold, rest, (incomingZero * covers[cold]!) / covers[node]!, 0, split);
  };
  recurse(0, [], 1, 1, -1);
}

/** φ_j for one feature row, summed over the trees; Σ φ_j = f(x) − E[f] in the model's margin space. */
export function treeShap(model: TreeEnsembleModel, covers: NodeCovers, x: ArrayLike<number>): Float64Array {
  if (covers.length !== model.trees.length) throw new ValidationError('EXPLANATION_REFERENCE_INVALID', `covers: expected ${model.trees.length} trees, got ${covers.length}`, { field: 'covers' });
  const phi = new Float64Array(model.featureCount);
  model.trees.forEach((tree, t) => treeShapOne(tree, covers[t]!, x, phi));
  return phi;
}
