import { ValidationError } from '@radledger/platform';
import type onnxProto from 'onnx-proto';
import { onnx } from '../onnx-model-proto.js';

/**
 * The locked ONNX bytes read as something a contribution can be computed from. Two families:
 *  - linear: a chain of elementwise affine ops (Sub/Add/Mul/Div by constants), a MatMul with a
 *    [F, 1] constant and a scalar offset, optionally through Sigmoid. Explained in the margin
 *    (the logit, before Sigmoid): margin = Σ β_j x_j + b.
 *  - tree ensemble: ai.onnx.ml TreeEnsembleClassifier / TreeEnsembleRegressor. A two-class
 *    classifier with SOFTMAX is explained in the log-odds of the positive class:
 *    softmax(s0, s1)[1] = sigmoid(s1 − s0), so each leaf contributes w1 − w0; with NONE the
 *    positive class's raw score is explained.
 * Anything else is refused with EXPLANATION_UNSUPPORTED: an explanation is never approximated.
 */

export class ExplanationUnsupportedError extends ValidationError {
  constructor(reason: string) {
    super('EXPLANATION_UNSUPPORTED', `model: no exact explanation for this graph: ${reason}`, { reason });
  }
}

export interface LinearModel {
  kind: 'linear';
  inputName: string;
  featureCount: number;
  /** margin = Σ coefficients[j] · x_j + intercept (x as float32, as onnxruntime reads it). */
  coefficients: number[];
  intercept: number;
  link: 'logistic' | 'identity';
  /** The output space contributions are in. */
  outputSpace: 'log-odds' | 'raw';
}

export type SplitMode = 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT' | 'BRANCH_EQ' | 'BRANCH_NEQ' | 'LEAF';

export interface DecisionTree {
  /** Per node (index 0 is the root). */
  feature: Int32Array;
  threshold: Float64Array;
  mode: SplitMode[];
  trueChild: Int32Array;
  falseChild: Int32Array;
  missingTracksTrue: Uint8Array;
  /** Leaf value in the explained space (0 for branches). */
  value: Float64Array;
}

export interface TreeEnsembleModel {
  kind: 'tree-ensemble';
  inputName: string;
  featureCount: number;
  trees: DecisionTree[];
  /** Constant added to every output (base_values), in the explained space. */
  base: number;
  outputSpace: 'log-odds' | 'raw';
}

export type ExplainableModel = LinearModel | TreeEnsembleModel;

const decoder = new TextDecoder();
const num = (v: unknown) => Number(v);

export function readExplainableModel(bytes: Uint8Array): ExplainableModel {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ValidationError('MODEL_INVALID', `model: expected an ONNX model (ModelProto), ${(error as Error).message}`);
  }
  const graph = model.graph as onnxProto.onnx.GraphProto | null;
  if (!graph) throw new ExplanationUnsupportedError('no graph');
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ''));
  if (inputs.length !== 1) throw new ExplanationUnsupportedError(`expected one feature input, found ${inputs.length}`);
  const input = inputs[0]!;
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  const width = dims.length === 2 && dims[1]!.dimValue !== undefined && dims[1]!.dimValue !== null ? num(dims[1]!.dimValue) : NaN;
  if (!Number.isInteger(width) || width < 1) throw new ExplanationUnsupportedError('the feature input must be [N, F] with a fixed F');
  const nodes = graph.node ?? [];
  const tree = nodes.find((n) => n.domain === 'ai.onnx.ml' && (n.opType === 'TreeEnsembleClassifier' || n.opType === 'TreeEnsembleRegressor'));
  if (tree) {
    if (nodes.length !== 1) throw new ExplanationUnsupportedError('a tree ensemble must be the graph\'s only node');
    return readTreeEnsemble(tree, input.name ?? '', width);
  }
  return readLinear(graph, initializers, input.name ?? '', width);
}

function floats(t: onnxProto.onnx.ITensorProto): number[] {
  if (t.floatData && t.floatData.length > 0) return [...t.floatData];
  if (t.doubleData && t.doubleData.length > 0) return [...t.doubleData];
  if (t.rawData && t.rawData.length > 0 && t.dataType === onnx.TensorProto.DataType.FLOAT) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    return Array.from({ length: t.rawData.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  throw new ExplanationUnsupportedError(`initializer ${t.name} is not float data`);
}

/** Follows the single chain from the input, composing elementwise affine maps a_j x_j + c_j. */
function readLinear(graph: onnxProto.onnx.GraphProto, initializers: Map<string, onnxProto.onnx.ITensorProto>, inputName: string, width: number): LinearModel {
  let scale = new Array<number>(width).fill(1);
  let offset = new Array<number>(width).fill(0);
  let reduced: { coefficients: number[]; intercept: number } | null = null;
  let link: LinearModel['link'] = 'identity';
  let current = inputName;
  const constant = (name: string): number[] => {
    const t = initializers.get(name);
    if (!t) throw new ExplanationUnsupportedError(`${name} is not a constant`);
    return floats(t);
  };
  const perFeature = (values: number[], op: string): number[] => {
    if (values.length === 1) return new Array<number>(width).fill(values[0]!);
    if (values.length !== width) throw new ExplanationUnsupportedError(`${op} constant has ${values.length} values for ${width} features`);
    return values;
  };
  const nodes = graph.node ?? [];
  for (let steps = 0; steps < nodes.length; steps++) {
    const node = nodes.find((n) => (n.input ?? []).includes(current));
    if (!node) break;
    const inputs = node.input ?? [];
    const other = inputs.find((i) => i !== current);
    const op = node.opType;
    const domain = node.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') throw new ExplanationUnsupportedError(`operator ${domain}.${op}`);
    if (op === 'Sigmoid') {
      if (!reduced) throw new ExplanationUnsupportedError('Sigmoid before the linear reduction');
      link = 'logistic';
    } else if (op === 'MatMul') {
      if (reduced || other === undefined || inputs[0] !== current) throw new ExplanationUnsupportedError('MatMul must multiply the features by a [F, 1] constant');
      const w = constant(other);
      if (w.length !== width) throw new ExplanationUnsupportedError(`MatMul weights have ${w.length} values for ${width} features`);
      reduced = { coefficients: w.map((wj, j) => wj * scale[j]!), intercept: w.reduce((s, wj, j) => s + wj * offset[j]!, 0) };
    } else if (op === 'Add' || op === 'Sub' || op === 'Mul' || op === 'Div') {
      if (other === undefined) throw new ExplanationUnsupportedError(`${op} needs a constant`);
      if ((op === 'Sub' || op === 'Div') && inputs[0] !== current) throw new ExplanationUnsupportedError(`${op} with the features as divisor or subtrahend is not affine`);
      const c = constant(other);
      if (reduced) {
        if (c.length !== 1) throw new ExplanationUnsupportedError(`${op} after the reduction must be by a scalar`);
        const k = c[0]!;
        if (op === 'Add') reduced.intercept += k;
        else if (op === 'Sub') reduced.intercept -= k;
        else if (op === 'Mul') reduced = { coefficients: reduced.coefficients.map((b) => b * k), intercept: reduced.intercept * k };
        else reduced = { coefficients: reduced.coefficients.map((b) => b / k), intercept: reduced.intercept / k };
      } else {
        const k = perFeature(c, op);
        if (op === 'Add') offset = offset.map((o, j) => o + k[j]!);
        else if (op === 'Sub') offset = offset.map((o, j) => o - k[j]!);
        else if (op === 'Mul') {
          scale = scale.map((s, j) => s * k[j]!);
          offset = offset.map((o, j) => o * k[j]!);
        } else {
          scale = scale.map((s, j) => s / k[j]!);
          offset = offset.map((o, j) => o / k[j]!);
        }
      }
    } else {
      throw new ExplanationUnsupportedError(`operator ${op}`);
    }
    current = (node.output ?? [])[0] ?? '';
    if (link === 'logistic') break;
  }
  if (!reduced) throw new ExplanationUnsupportedError('no linear reduction (MatMul) of the features');
  if (!(graph.output ?? []).some((o) => o.name === current)) throw new ExplanationUnsupportedError(`the chain ends at ${current}, not at a graph output`);
  return { kind: 'linear', inputName, featureCount: width, coefficients: reduced.coefficients, intercept: reduced.intercept, link, outputSpace: link === 'logistic' ? 'log-odds' : 'raw' };
}

function readTreeEnsemble(node: onnxProto.onnx.INodeProto, inputName: string, width: number): TreeEnsembleModel {
  const attrs = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  const ints = (name: string, required = true) => {
    const a = attrs.get(name);
    if (!a) {
      if (required) throw new ExplanationUnsupportedError(`missing attribute ${name}`);
      return [];
    }
    return (a.ints ?? []).map(num);
  };
  const floatsAttr = (name: string) => [...(attrs.get(name)?.floats ?? [])];
  const strings = (name: string) => (attrs.get(name)?.strings ?? []).map((s) => decoder.decode(s));
  const classifier = node.opType === 'TreeEnsembleClassifier';
  const postTransform = attrs.get('post_transform')?.s ? decoder.decode(attrs.get('post_transform')!.s!) : 'NONE';
  const treeIds = ints('nodes_treeids');
  const nodeIds = ints('nodes_nodeids');
  const featureIds = ints('nodes_featureids');
  const values = floatsAttr('nodes_values');
  const modes = strings('nodes_modes') as SplitMode[];
  const trueIds = ints('nodes_truenodeids');
  const falseIds = ints('nodes_falsenodeids');
  const missing = ints('nodes_missing_value_tracks_true', false);
  const prefix = classifier ? 'class' : 'target';
  const leafTree = ints(`${prefix}_treeids`);
  const leafNode = ints(`${prefix}_nodeids`);
  const leafClass = ints(`${prefix}_ids`);
  const leafWeight = floatsAttr(`${prefix}_weights`);
  const baseValues = floatsAttr('base_values');
  let weightOf: (cls: number) => number;
  let outputSpace: TreeEnsembleModel['outputSpace'];
  let base: number;
  if (classifier) {
    const classes = ints('classlabels_int64s', false).length || strings('classlabels_strings').length;
    if (classes !== 2) throw new ExplanationUnsupportedError(`a classifier with ${classes} classes (only binary ones are explained)`);
    if (postTransform === 'SOFTMAX') {
      weightOf = (cls) => (cls === 1 ? 1 : -1);
      outputSpace = 'log-odds';
      base = (baseValues[1] ?? 0) - (baseValues[0] ?? 0);
    } else if (postTransform === 'NONE') {
      weightOf = (cls) => (cls === 1 ? 1 : 0);
      outputSpace = 'raw';
      base = baseValues[1] ?? 0;
    } else throw new ExplanationUnsupportedError(`post_transform ${postTransform}`);
  } else {
    if (postTransform !== 'NONE') throw new ExplanationUnsupportedError(`post_transform ${postTransform}`);
    const targets = num(attrs.get('n_targets')?.i ?? 1);
    if (targets !== 1) throw new ExplanationUnsupportedError(`${targets} regression targets`);
    const aggregate = attrs.get('aggregate_function')?.s ? decoder.decode(attrs.get('aggregate_function')!.s!) : 'SUM';
    if (aggregate !== 'SUM') throw new ExplanationUnsupportedError(`aggregate_function ${aggregate}`);
    weightOf = () => 1;
    outputSpace = 'raw';
    base = baseValues[0] ?? 0;
  }
  const byTree = new Map<number, number[]>();
  treeIds.forEach((t, k) => {
    const list = byTree.get(t) ?? [];
    list.push(k);
    byTree.set(t, list);
  });
  const trees: DecisionTree[] = [];
  for (const [treeId, rows] of [...byTree].sort((a, b) => a[0] - b[0])) {
    const local = new Map<number, number>();
    // The root is node id 0 of the tree when present, else the smallest id.
    const ordered = [...rows].sort((a, b) => nodeIds[a]! - nodeIds[b]!);
    ordered.forEach((k, i) => local.set(nodeIds[k]!, i));
    const n = ordered.length;
    const t: DecisionTree = {
      feature: new Int32Array(n),
      threshold: new Float64Array(n),
      mode: new Array<SplitMode>(n),
      trueChild: new Int32Array(n).fill(-1),
      falseChild: new Int32Array(n).fill(-1),
      missingTracksTrue: new Uint8Array(n),
      value: new Float64Array(n),
    };
    ordered.forEach((k, i) => {
      t.mode[i] = modes[k]!;
      t.feature[i] = featureIds[k]!;
      t.threshold[i] = values[k]!;
      t.missingTracksTrue[i] = missing[k] ?? 0;
      if (modes[k] !== 'LEAF') {
        if (!['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'].includes(modes[k]!)) throw new ExplanationUnsupportedError(`node mode ${modes[k]}`);
        if (featureIds[k]! < 0 || featureIds[k]! >= width) throw new ExplanationUnsupportedError(`tree ${treeId} splits on feature ${featureIds[k]} of ${width}`);
        t.trueChild[i] = local.get(trueIds[k]!) ?? -1;
        t.falseChild[i] = local.get(falseIds[k]!) ?? -1;
        if (t.trueChild[i]! < 0 || t.falseChild[i]! < 0) throw new ExplanationUnsupportedError(`tree ${treeId} node ${nodeIds[k]} has a missing child`);
      }
    });
    leafTree.forEach((lt, c) => {
      if (lt !== treeId) return;
      const i = local.get(leafNode[c]!);
      if (i === undefined) throw new ExplanationUnsupportedError(`tree ${treeId} has a weight on unknown node ${leafNode[c]}`);
      t.value[i]! += weightOf(leafClass[c]!) * leafWeight[c]!;
    });
    trees.push(t);
  }
  return { kind: 'tree-ensemble', inputName, featureCount: width, trees, base, outputSpace };
}

/** Which child a feature row goes to at branch `i` (ONNX TreeEnsemble semantics on float32 inputs). */
export function goesTrue(tree: DecisionTree, i: number, x: ArrayLike<number>): boolean {
  const v = Math.fround(x[tree.feature[i]!]!);
  if (Number.isNaN(v)) return tree.missingTracksTrue[i] === 1;
  const t = tree.threshold[i]!;
  switch (tree.mode[i]) {
    case 'BRANCH_LEQ':
      return v <= t;
    case 'BRANCH_LT':
      return v < t;
    case 'BRANCH_GTE':
      return v >= t;
    case 'BRANCH_GT':
      return v > t;
    case 'BRANCH_EQ':
      return v === t;
    case 'BRANCH_NEQ':
      return v !== t;
    default:
      return false;
  }
}

export function treeLeaf(tree: DecisionTree, x: ArrayLike<number>): number {
  let i = 0;
  while (tree.mode[i] !== 'LEAF') i = goesTrue(tree, i, x) ? tree.trueChild[i]! : tree.falseChild[i]!;
  return i;
}

/** The model's output in its explained space (margin), before any link. */
export function modelMargin(model: ExplainableModel, x: ArrayLike<number>): number {
  if (model.kind === 'linear') return model.coefficients.reduce((s, b, j) => s + b * Math.fround(x[j]!), model.intercept);
  return model.trees.reduce((s, t) => s + t.value[treeLeaf(t, x)]!, model.base);
}
