import { onnx } from '../onnx-model-proto.js';
import type onnxProto from 'onnx-proto';

/**
 * Plain-TypeScript scoring of the demo models straight from the weights stored in their ONNX
 * bytes, for checking onnxruntime's outputs against the textbook formulas (test support only).
 */

/** p = 1 / (1 + exp(-(Σ_j ((x_j - mean_j) / scale_j) · w_j + b))), with float32 rounding per op. */
export function referenceLogisticProbability(modelBytes: Uint8Array, row: readonly number[]): number {
  const graph = onnx.ModelProto.decode(modelBytes).graph as onnxProto.onnx.GraphProto;
  const weight = (name: string) => {
    const tensor = graph.initializer.find((t) => t.name === name);
    if (!tensor) throw new Error(`no initializer ${name}`);
    return tensor.floatData;
  };
  const [mean, scale, coefficients, intercept] = ['feature_mean', 'feature_scale', 'coefficients', 'intercept'].map(weight) as number[][];
  let linear = 0;
  row.forEach((value, j) => {
    const z = Math.fround(Math.fround(Math.fround(value) - (mean as number[])[j]!) / (scale as number[])[j]!);
    linear += z * (coefficients as number[])[j]!;
  });
  const logit = Math.fround(Math.fround(linear) + (intercept as number[])[0]!);
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Walks every tree of the TreeEnsembleClassifier from its root (BRANCH_LEQ on the float32
 * feature), sums the leaf weights per class, then applies the post-transform (SOFTMAX).
 * Answers the per-class scores.
 */
export function referenceTreeEnsembleScores(modelBytes: Uint8Array, row: readonly number[]): number[] {
  const graph = onnx.ModelProto.decode(modelBytes).graph as onnxProto.onnx.GraphProto;
  const node = graph.node.find((n) => n.opType === 'TreeEnsembleClassifier') as onnxProto.onnx.NodeProto | undefined;
  if (!node) throw new Error('no TreeEnsembleClassifier');
  const attr = (name: string) => {
    const a = node.attribute.find((x) => x.name === name);
    if (!a) throw new Error(`no attribute ${name}`);
    return a as onnxProto.onnx.AttributeProto;
  };
  const ints = (name: string) => attr(name).ints.map(Number);
  const treeIds = ints('nodes_treeids');
  const nodeIds = ints('nodes_nodeids');
  const featureIds = ints('nodes_featureids');
  const values = attr('nodes_values').floats;
  const modes = attr('nodes_modes').strings.map((s) => new TextDecoder().decode(s));
  const trueIds = ints('nodes_truenodeids');
  const falseIds = ints('nodes_falsenodeids');
  const classTree = ints('class_treeids');
  const classNode = ints('class_nodeids');
  const classIds = ints('class_ids');
  const classWeights = attr('class_weights').floats;
  const classCount = ints('classlabels_int64s').length;
  const postTransform = new TextDecoder().decode(attr('post_transform').s);

  const index = new Map<string, number>();
  treeIds.forEach((t, k) => index.set(`${t}:${nodeIds[k]}`, k));
  const x = row.map((v) => Math.fround(v));
  const scores = new Array<number>(classCount).fill(0);
  for (const tree of [...new Set(treeIds)]) {
    let id = 0;
    for (;;) {
      const k = index.get(`${tree}:${id}`) as number;
      if (modes[k] === 'LEAF') break;
      if (modes[k] !== 'BRANCH_LEQ') throw new Error(`mode ${modes[k]} not handled by the reference`);
      id = (x[featureIds[k]!] as number) <= values[k]! ? trueIds[k]! : falseIds[k]!;
    }
    classTree.forEach((t, c) => {
      if (t === tree && classNode[c] === id) scores[classIds[c]!] = scores[classIds[c]!]! + classWeights[c]!;
    });
  }
  if (postTransform === 'NONE') return scores;
  if (postTransform !== 'SOFTMAX') throw new Error(`post_transform ${postTransform} not handled by the reference`);
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}
