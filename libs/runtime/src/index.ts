export * from './runtime.js';
export * from './artifact-mask.source.js';
