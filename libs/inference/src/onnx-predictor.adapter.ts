import ort from 'onnxruntime-node';
import { decodeModelFacts, type DecodedModelFacts } from './onnx-model-proto.js';
import { ModelInvalidError, ModelUnsupportedError } from './inference.errors.js';
import type {
  Float32Input,
  ModelSignature,
  NumericTensor,
  Predictor,
  PredictorSession,
  TensorSignature,
} from './predictor.port.js';

export interface OnnxPredictorOptions {
  /**
   * Threads per operator. The demo models are tiny, so one thread avoids thread hand-off
   * costing more than the arithmetic; raise it for large models. Default 1.
   */
  intraOpNumThreads?: number;
}

/**
 * onnxruntime's messages at session creation that mean "well-formed, but this runtime cannot
 * execute it" (unknown operator or domain, opset or IR version out of range). Every other
 * refusal means the bytes are not a valid model.
 */
const UNSUPPORTED_PATTERNS = [
  /is not a registered function\/op/i,
  /No Op registered for/i,
  /Unsupported model IR version/i,
  /opset .*(is not supported|is under development|not supported)/i,
  /No opset import for domain/i,
  /Could not find an implementation for/i,
];

const NUMERIC_TYPES = new Set(['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']);

/** `Predictor` on onnxruntime-node (CPU execution provider). */
export class OnnxPredictor implements Predictor {
  private readonly sessionOptions: ort.InferenceSession.SessionOptions;

  constructor(options: OnnxPredictorOptions = {}) {
    this.sessionOptions = {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
      // Warnings only; errors still throw from create().
      logSeverityLevel: 3,
    };
  }

  async inspect(modelBytes: Uint8Array): Promise<ModelSignature> {
    const session = await this.open(modelBytes);
    try {
      return session.signature;
    } finally {
      await session.release();
    }
  }

  async open(modelBytes: Uint8Array): Promise<PredictorSession> {
    if (modelBytes.byteLength === 0) throw new ModelInvalidError('got 0 bytes');
    let session: ort.InferenceSession;
    try {
      // The runtime parses and checks the model (onnx::checker, shape inference, kernel lookup).
      session = await ort.InferenceSession.create(modelBytes, this.sessionOptions);
    } catch (error) {
      throw classifyCreateError(error);
    }
    let facts: DecodedModelFacts;
    try {
      facts = decodeModelFacts(modelBytes);
    } catch (error) {
      await session.release();
      throw new ModelInvalidError(`its ModelProto could not be decoded: ${messageOf(error)}`);
    }
    return new OnnxPredictorSession(session, signatureOf(session, facts));
  }
}

/** Opens `modelBytes` with onnxruntime and reads names, types, shapes, opsets and producer. */
export async function inspectModel(modelBytes: Uint8Array): Promise<ModelSignature> {
  return new OnnxPredictor().inspect(modelBytes);
}

class OnnxPredictorSession implements PredictorSession {
  private readonly fetches: string[];

  constructor(
    private readonly session: ort.InferenceSession,
    readonly signature: ModelSignature,
  ) {
    this.fetches = signature.outputs.filter((o) => NUMERIC_TYPES.has(o.type)).map((o) => o.name);
  }

  async run(input: Float32Input): Promise<Record<string, NumericTensor>> {
    const feeds = { [input.name]: new ort.Tensor('float32', input.data, input.dims) };
    const results = await this.session.run(feeds, this.fetches);
    const out: Record<string, NumericTensor> = {};
    for (const name of this.fetches) {
      const value = results[name];
      if (!(value instanceof ort.Tensor)) continue;
      out[name] = { dims: [...value.dims], data: toNumbers(value.data) };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function toNumbers(data: ort.Tensor['data']): number[] {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, (v) => Number(v));
  if (Array.isArray(data)) return data.map(Number);
  return Array.from(data as ArrayLike<number>, (v) => Number(v));
}

function signatureOf(session: ort.InferenceSession, facts: DecodedModelFacts): ModelSignature {
  const fromRuntime = (metadata: readonly ort.InferenceSession.ValueMetadata[], declared: TensorSignature[]) =>
    metadata.map((m): TensorSignature => {
      if (m.isTensor) return { name: m.name, type: m.type, shape: [...m.shape] };
      return declared.find((d) => d.name === m.name) ?? { name: m.name, type: 'non-tensor', shape: [] };
    });
  return {
    inputs: fromRuntime(session.inputMetadata, facts.inputs),
    outputs: fromRuntime(session.outputMetadata, facts.outputs),
    opsets: facts.opsets,
    producer: facts.producer,
    irVersion: facts.irVersion,
    metadata: facts.metadata,
    docString: facts.docString,
  };
}

function classifyCreateError(error: unknown): Error {
  const message = messageOf(error);
  if (UNSUPPORTED_PATTERNS.some((p) => p.test(message))) return new ModelUnsupportedError(message);
  return new ModelInvalidError(`onnxruntime refused it: ${message}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
