import { onnx } from '../onnx-model-proto.js';
import type onnxProto from 'onnx-proto';
import type { BoostedTrees, TreeNode } from './gradient-boosting.trainer.js';
import type { LogisticRegressionParameters } from './logistic-regression.trainer.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const Attr = onnx.AttributeProto.AttributeType;
/** IR 8 (ONNX 1.10) is what onnx-proto encodes; onnxruntime 1.30 reads IR 3–11. */
const IR_VERSION = 8;
const ONNX_OPSET = 17;
const ML_OPSET = 3;
export const PRODUCER_NAME = 'radledger-train-demo-models';

export interface ModelDescription {
  graphName: string;
  modelVersion: number;
  docString: string;
  /** Written as ModelProto.metadata_props, in key order so the bytes are deterministic. */
  metadata: Record<string, string>;
}

/**
 * Logistic regression with its standardisation inside the graph:
 * probability = Sigmoid(MatMul((features - mean) / scale, coefficients) + intercept),
 * input `features` float32 [N, F], output `probability` float32 [N, 1].
 */
export function logisticRegressionOnnx(parameters: LogisticRegressionParameters, description: ModelDescription): Uint8Array {
  const width = parameters.mean.length;
  const graph: onnxProto.onnx.IGraphProto = {
    name: description.graphName,
    input: [tensorValue('features', FLOAT, ['N', width])],
    output: [tensorValue('probability', FLOAT, ['N', 1])],
    initializer: [
      floatTensor('feature_mean', [width], parameters.mean),
      floatTensor('feature_scale', [width], parameters.scale),
      floatTensor('coefficients', [width, 1], parameters.coefficients),
      floatTensor('intercept', [1], [parameters.intercept]),
    ],
    node: [
      { opType: 'Sub', input: ['features', 'feature_mean'], output: ['centred'], name: 'centre' },
      { opType: 'Div', input: ['centred', 'feature_scale'], output: ['standardised'], name: 'standardise' },
      { opType: 'MatMul', input: ['standardised', 'coefficients'], output: ['linear'], name: 'weigh' },
      { opType: 'Add', input: ['linear', 'intercept'], output: ['logit'], name: 'offset' },
      { opType: 'Sigmoid', input: ['logit'], output: ['probability'], name: 'link' },
    ],
  };
  return encodeModel(graph, [{ domain: '', version: ONNX_OPSET }], description);
}

/**
 * Boosted trees as one ai.onnx.ml TreeEnsembleClassifier with tensor outputs only (no ZipMap):
 * `label` int64 [N] and `probabilities` float32 [N, 2] = [1 - p, p] with p = sigmoid(margin).
 * Each leaf value v is written as -v/2 for class 0 and +v/2 for class 1, and the SOFTMAX
 * post-transform of (-m/2, m/2) is exactly (1 - sigmoid(m), sigmoid(m)). The base log-odds are
 * folded into the first tree's leaves, so no base_values are needed.
 */
export function treeEnsembleClassifierOnnx(
  model: BoostedTrees,
  featureCount: number,
  description: ModelDescription,
): Uint8Array {
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    values: [] as number[],
    modes: [] as string[],
    trueIds: [] as number[],
    falseIds: [] as number[],
  };
  const classes = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
  model.trees.forEach((tree, treeId) => {
    const offset = treeId === 0 ? model.baseLogOdds : 0;
    // Breadth-first ids: a parent's id is always smaller than its children's.
    const queue: TreeNode[] = [tree];
    const ids = new Map<TreeNode, number>([[tree, 0]]);
    for (let k = 0; k < queue.length; k += 1) {
      const node = queue[k] as TreeNode;
      const id = ids.get(node) as number;
      nodes.treeIds.push(treeId);
      nodes.nodeIds.push(id);
      if (node.kind === 'branch') {
        for (const child of [node.left, node.right]) {
          ids.set(child, ids.size);
          queue.push(child);
        }
        nodes.featureIds.push(node.feature);
        nodes.values.push(node.threshold);
        nodes.modes.push('BRANCH_LEQ');
        nodes.trueIds.push(ids.get(node.left) as number);
        nodes.falseIds.push(ids.get(node.right) as number);
      } else {
        nodes.featureIds.push(0);
        nodes.values.push(0);
        nodes.modes.push('LEAF');
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        const value = Math.fround(node.value + offset);
        for (const [classId, sign] of [[0, -0.5], [1, 0.5]] as const) {
          classes.treeIds.push(treeId);
          classes.nodeIds.push(id);
          classes.ids.push(classId);
          classes.weights.push(sign * value);
        }
      }
    }
  });
  const graph: onnxProto.onnx.IGraphProto = {
    name: description.graphName,
    input: [tensorValue('features', FLOAT, ['N', featureCount])],
    output: [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', 2])],
    node: [
      {
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        name: 'boosted_trees',
        input: ['features'],
        output: ['label', 'probabilities'],
        attribute: [
          ints('classlabels_int64s', [0, 1]),
          ints('nodes_treeids', nodes.treeIds),
          ints('nodes_nodeids', nodes.nodeIds),
          ints('nodes_featureids', nodes.featureIds),
          floats('nodes_values', nodes.values),
          strings('nodes_modes', nodes.modes),
          ints('nodes_truenodeids', nodes.trueIds),
          ints('nodes_falsenodeids', nodes.falseIds),
          ints('class_treeids', classes.treeIds),
          ints('class_nodeids', classes.nodeIds),
          ints('class_ids', classes.ids),
          floats('class_weights', classes.weights),
          { name: 'post_transform', type: Attr.STRING, s: utf8('SOFTMAX') },
        ],
      },
    ],
  };
  return encodeModel(
    graph,
    [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ML_OPSET },
    ],
    description,
  );
}

/**
 * A well-formed model whose only node is an operator no runtime registers, for testing that
 * such uploads are refused as MODEL_UNSUPPORTED rather than MODEL_INVALID.
 */
export function unsupportedOperatorOnnx(opType = 'FrobnicateRadiomics', domain = 'org.radledger.nonexistent'): Uint8Array {
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'unsupported_operator',
    input: [tensorValue('features', FLOAT, ['N', 3])],
    output: [tensorValue('probability', FLOAT, ['N', 1])],
    node: [{ opType, domain, input: ['features'], output: ['probability'], name: 'bogus' }],
  };
  return encodeModel(
    graph,
    [
      { domain: '', version: ONNX_OPSET },
      ...(domain === '' ? [] : [{ domain, version: 1 }]),
    ],
    { graphName: 'unsupported_operator', modelVersion: 1, docString: 'test fixture', metadata: {} },
  );
}

function encodeModel(graph: onnxProto.onnx.IGraphProto, opsets: onnxProto.onnx.IOperatorSetIdProto[], description: ModelDescription): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: opsets,
    producerName: PRODUCER_NAME,
    producerVersion: '1',
    domain: 'org.radledger.demo',
    modelVersion: description.modelVersion,
    docString: description.docString,
    graph,
    metadataProps: Object.keys(description.metadata)
      .sort()
      .map((key) => ({ key, value: description.metadata[key] as string })),
  });
  return onnx.ModelProto.encode(model).finish();
}

function tensorValue(name: string, elemType: number, dims: Array<number | string>): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function floatTensor(name: string, dims: number[], values: readonly number[]): onnxProto.onnx.ITensorProto {
  return { name, dataType: FLOAT, dims, floatData: [...values] };
}

function ints(name: string, values: readonly number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: Attr.INTS, ints: [...values] };
}

function floats(name: string, values: readonly number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: Attr.FLOATS, floats: [...values] };
}

function strings(name: string, values: readonly string[]): onnxProto.onnx.IAttributeProto {
  return { name, type: Attr.STRINGS, strings: values.map(utf8) };
}

function utf8(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
