export * from './predictor.port.js';
export * from './inference.errors.js';
export * from './feature-mapping.js';
export * from './lru-cache.js';
export * from './onnx-predictor.adapter.js';
export * from './locked-model-runner.js';
export * from './demo-models/demo-model-catalogue.js';
// Test fixture for upload paths: a well-formed ONNX model no runtime can execute.
export { unsupportedOperatorOnnx } from './demo-models/onnx-model.builders.js';
export * from './explanations/explainable-model.js';
export * from './explanations/tree-shap.js';
export * from './explanations/decision-explanation.js';
export * from './explanations/explanation-reference.js';
export * from './explanations/decision-explainer.js';
export { bootstrapAucInterval, rocAuc, type BootstrapInterval } from './demo-models/classification-metrics.js';
