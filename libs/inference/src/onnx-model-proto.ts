import onnxProto from 'onnx-proto';
import type { OperatorSetId, TensorSignature } from './predictor.port.js';

const { onnx } = onnxProto;

export { onnx };

export interface DecodedModelFacts {
  irVersion: number;
  opsets: OperatorSetId[];
  producer: { name: string; version: string };
  metadata: Record<string, string>;
  docString: string;
  /** Graph inputs that are not initializers, with their declared shapes. */
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

/**
 * Reads what onnxruntime's session does not expose (opset imports, producer, IR version,
 * metadata_props) from the ModelProto itself (onnx.proto3, ModelProto / GraphProto).
 */
export function decodeModelFacts(bytes: Uint8Array): DecodedModelFacts {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const initializers = new Set((graph?.initializer ?? []).map((t) => t.name ?? ''));
  return {
    irVersion: Number(model.irVersion ?? 0),
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: Number(o.version ?? 0) })),
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
    docString: model.docString ?? '',
    inputs: (graph?.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueSignature),
    outputs: (graph?.output ?? []).map(valueSignature),
  };
}

const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

function valueSignature(value: onnxProto.onnx.IValueInfoProto): TensorSignature {
  const tensor = value.type?.tensorType;
  if (!tensor) return { name: value.name ?? '', type: 'non-tensor', shape: [] };
  const shape = (tensor.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? Number(d.dimValue) : '?',
  );
  return { name: value.name ?? '', type: ELEMENT_TYPES[tensor.elemType ?? 0] ?? `onnx-type-${tensor.elemType}`, shape };
}
