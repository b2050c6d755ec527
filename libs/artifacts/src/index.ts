export * from './artifact-store.port.js';
export * from './artifact.errors.js';
export * from './sha256.js';
export * from './file-system-artifact-store.adapter.js';
