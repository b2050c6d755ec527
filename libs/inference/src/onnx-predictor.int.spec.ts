import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@radledger/platform';
import { inspectModel, OnnxPredictor } from '@radledger/inference';
import { onnx } from './onnx-model-proto.js';
import { unsupportedOperatorOnnx } from './demo-models/onnx-model.builders.js';

const modelsDir = join(process.cwd(), 'models');
const committed = (file: string) => readFileSync(join(modelsDir, file));

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

describe('OnnxPredictor.inspect on the committed demo models', () => {
  test('logistic regression: one float32 [N, 6] input, probability [N, 1], default opset 17', async () => {
    const signature = await inspectModel(committed('idh-logreg-v1.onnx'));
    assert.deepEqual(signature.inputs, [{ name: 'features', type: 'float32', shape: ['N', 6] }]);
    assert.deepEqual(signature.outputs, [{ name: 'probability', type: 'float32', shape: ['N', 1] }]);
    assert.deepEqual(signature.opsets, [{ domain: '', version: 17 }]);
    assert.equal(signature.producer.name, 'radledger-train-demo-models');
    assert.equal(signature.irVersion, 8);
    assert.deepEqual(JSON.parse(signature.metadata['radledger.feature_codes'] as string), [
      'Q4LE',
      'ECT3',
      'KE2A',
      'ACUI@IAZD',
      'QCFX',
      'RNU0',
    ]);
  });

  test('tree ensemble: tensor outputs only (label int64 [N], probabilities float32 [N, 2]), ai.onnx.ml opset', async () => {
    const signature = await new OnnxPredictor().inspect(committed('mgmt-trees-v1.onnx'));
    assert.deepEqual(signature.inputs, [{ name: 'features', type: 'float32', shape: ['N', 7] }]);
    assert.deepEqual(signature.outputs, [
      { name: 'label', type: 'int64', shape: ['N'] },
      { name: 'probabilities', type: 'float32', shape: ['N', 2] },
    ]);
    assert.deepEqual(signature.opsets, [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
  });

  test('model bytes that are a view into a larger buffer (as pooled upload buffers are) open the same', async () => {
    const bytes = committed('idh-logreg-v1.onnx');
    const padded = Buffer.alloc(bytes.length + 17, 0xff);
    bytes.copy(padded, 17);
    assert.deepEqual(await inspectModel(padded.subarray(17)), await inspectModel(bytes));
  });

  test('onnx-proto decodes and re-encodes every committed model to the same bytes', () => {
    for (const file of ['idh-logreg-v1.onnx', 'idh-logreg-v2.onnx', 'mgmt-trees-v1.onnx']) {
      const bytes = committed(file);
      const again = onnx.ModelProto.encode(onnx.ModelProto.decode(bytes)).finish();
      assert.ok(Buffer.from(again).equals(bytes), file);
    }
  });
});

describe('OnnxPredictor refuses what it cannot run, with typed errors', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['plain text', Buffer.from('this is not an ONNX model\n')],
    ['random bytes', randomBytes(4096)],
    ['a truncated model', committed('mgmt-trees-v1.onnx').subarray(0, 5000)],
    ['a NIfTI-1 header', Buffer.concat([Buffer.from([0x5c, 0x01, 0, 0]), Buffer.alloc(344 - 4)])],
    ['zero bytes', new Uint8Array(0)],
  ];
  for (const [what, bytes] of cases) {
    test(`${what} is MODEL_INVALID`, async () => {
      const error = await rejectsWithCode(inspectModel(bytes), 'MODEL_INVALID');
      assert.match(error.message, /^model: expected an ONNX model/);
    });
  }

  test('an operator in an unknown domain is MODEL_UNSUPPORTED', async () => {
    const error = await rejectsWithCode(inspectModel(unsupportedOperatorOnnx()), 'MODEL_UNSUPPORTED');
    assert.match(error.message, /FrobnicateRadiomics/);
  });

  test('an unknown operator in the default ONNX domain is MODEL_UNSUPPORTED', async () => {
    const error = await rejectsWithCode(inspectModel(unsupportedOperatorOnnx('RadiomicsMagic', '')), 'MODEL_UNSUPPORTED');
    assert.match(error.message, /RadiomicsMagic/);
  });
});
