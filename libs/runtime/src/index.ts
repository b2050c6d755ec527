export * from './runtime.js';
export * from './artifact-mask.source.js';
export * from './feature.service.js';
export * from './recorded-feature-settings.js';
export * from './software-version.js';
export * from './model.service.js';
export * from './field-encryption/index.js';
