/**
 * The port the locked-model check runs models through. `OnnxPredictor` implements it with
 * onnxruntime-node; the check itself (hashing, feature mapping, decisions) never touches the
 * runtime directly.
 */
export interface Predictor {
  /** Opens the model and reads its signature; `MODEL_INVALID` / `MODEL_UNSUPPORTED` on refusal. */
  inspect(modelBytes: Uint8Array): Promise<ModelSignature>;
  /** Opens a session that can be run many times; release it when done. */
  open(modelBytes: Uint8Array): Promise<PredictorSession>;
}

export interface PredictorSession {
  readonly signature: ModelSignature;
  /** Runs one float32 input tensor and answers every numeric tensor output as plain numbers. */
  run(input: Float32Input): Promise<Record<string, NumericTensor>>;
  release(): Promise<void>;
}

export interface Float32Input {
  name: string;
  data: Float32Array;
  dims: readonly number[];
}

export interface NumericTensor {
  dims: number[];
  data: number[];
}

export interface TensorSignature {
  name: string;
  /** Element type as onnxruntime names it (`float32`, `int64`, …) or `non-tensor` (sequence, map). */
  type: string;
  /** Fixed sizes as numbers, symbolic dimensions (batch) as their names. */
  shape: Array<number | string>;
}

export interface OperatorSetId {
  /** '' is the default ONNX domain (ai.onnx). */
  domain: string;
  version: number;
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  opsets: OperatorSetId[];
  producer: { name: string; version: string };
  irVersion: number;
  /** ModelProto.metadata_props. */
  metadata: Record<string, string>;
  docString: string;
}
