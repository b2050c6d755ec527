import { sigmoid } from './logistic-regression.trainer.js';

/** A binary regression tree: `x[feature] <= threshold` goes to `left`. */
export type TreeNode =
  | { kind: 'branch'; feature: number; threshold: number; left: TreeNode; right: TreeNode }
  | { kind: 'leaf'; value: number };

export interface GradientBoostingTraining {
  trees: number;
  depth: number;
  learningRate: number;
  /** Fewest training subjects a leaf may hold. */
  minLeaf: number;
  /** L2 penalty on leaf values (Newton step denominator). */
  lambda: number;
}

export interface BoostedTrees {
  /** Log-odds every subject starts from (training prevalence). */
  baseLogOdds: number;
  trees: TreeNode[];
}

/**
 * Gradient-boosted trees for log-loss with Newton leaf values (gradient p - y, hessian
 * p(1 - p)), exhaustive split search per node. Features are rounded to float32 first and
 * thresholds are float32 values, so the ONNX TreeEnsemble (which compares float32) routes
 * every training subject exactly as training did.
 */
export function trainGradientBoosting(
  rows: readonly number[][],
  labels: readonly boolean[],
  training: GradientBoostingTraining,
): BoostedTrees {
  const x = rows.map((r) => r.map((v) => Math.fround(v)));
  const y = labels.map((l) => (l ? 1 : 0));
  const prevalence = y.reduce((s: number, v) => s + v, 0) / y.length;
  const baseLogOdds = Math.log(prevalence / (1 - prevalence));
  const margin = new Array<number>(x.length).fill(baseLogOdds);
  const trees: TreeNode[] = [];
  for (let t = 0; t < training.trees; t += 1) {
    const grad = margin.map((m, i) => sigmoid(m) - (y[i] as number));
    const hess = margin.map((m) => {
      const p = sigmoid(m);
      return p * (1 - p);
    });
    const tree = growTree(x, grad, hess, x.map((_, i) => i), training.depth, training);
    trees.push(tree);
    for (let i = 0; i < x.length; i += 1) margin[i] = (margin[i] as number) + evaluateTree(tree, x[i] as number[]);
  }
  return { baseLogOdds, trees };
}

/** Margin (log-odds) of `row` under the first `treeCount` trees. */
export function boostedMargin(model: BoostedTrees, row: readonly number[], treeCount = model.trees.length): number {
  const x = row.map((v) => Math.fround(v));
  let margin = model.baseLogOdds;
  for (let t = 0; t < treeCount; t += 1) margin += evaluateTree(model.trees[t] as TreeNode, x);
  return margin;
}

export function evaluateTree(node: TreeNode, x: readonly number[]): number {
  let current = node;
  while (current.kind === 'branch') current = (x[current.feature] as number) <= current.threshold ? current.left : current.right;
  return current.value;
}

function growTree(
  x: readonly number[][],
  grad: readonly number[],
  hess: readonly number[],
  members: number[],
  depth: number,
  training: GradientBoostingTraining,
): TreeNode {
  const g = members.reduce((s, i) => s + (grad[i] as number), 0);
  const h = members.reduce((s, i) => s + (hess[i] as number), 0);
  const leaf: TreeNode = { kind: 'leaf', value: Math.fround((-training.learningRate * g) / (h + training.lambda)) };
  if (depth === 0 || members.length < 2 * training.minLeaf) return leaf;
  const parentScore = (g * g) / (h + training.lambda);
  let best: { gain: number; feature: number; threshold: number } | undefined;
  const width = (x[0] as number[]).length;
  for (let feature = 0; feature < width; feature += 1) {
    const sorted = [...members].sort((a, b) => ((x[a] as number[])[feature] as number) - ((x[b] as number[])[feature] as number));
    let gl = 0;
    let hl = 0;
    for (let k = 0; k < sorted.length - 1; k += 1) {
      const i = sorted[k] as number;
      gl += grad[i] as number;
      hl += hess[i] as number;
      const here = (x[i] as number[])[feature] as number;
      const next = (x[sorted[k + 1] as number] as number[])[feature] as number;
      if (here === next || k + 1 < training.minLeaf || sorted.length - k - 1 < training.minLeaf) continue;
      const gain = (gl * gl) / (hl + training.lambda) + ((g - gl) * (g - gl)) / (h - hl + training.lambda) - parentScore;
      if (!best || gain > best.gain) {
        let threshold = Math.fround((here + next) / 2);
        if (threshold >= next) threshold = here;
        best = { gain, feature, threshold };
      }
    }
  }
  if (!best || best.gain <= 0) return leaf;
  const { feature, threshold } = best;
  const left = members.filter((i) => ((x[i] as number[])[feature] as number) <= threshold);
  const right = members.filter((i) => ((x[i] as number[])[feature] as number) > threshold);
  return {
    kind: 'branch',
    feature,
    threshold,
    left: growTree(x, grad, hess, left, depth - 1, training),
    right: growTree(x, grad, hess, right, depth - 1, training),
  };
}
