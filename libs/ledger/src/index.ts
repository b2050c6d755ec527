export * from './core/canonical-json.js';
export * from './core/hashing.js';
export * from './core/envelope.js';
export * from './event-store.port.js';
