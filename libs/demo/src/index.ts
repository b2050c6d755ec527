export * from './scenario/load-demo-trial.js';
export * from './scenario/demo-trial.plan.js';
export * from './synthetic/seeded-random.js';
export * from './synthetic/nifti1.encoder.js';
export * from './synthetic/nifti-gzip.io.js';
export * from './synthetic/synthetic-brain.js';
export * from './synthetic/demo-preprocessing.js';
export * from './artifact-mask-source.adapter.js';
