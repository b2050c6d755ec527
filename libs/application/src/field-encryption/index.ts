export * from './subject-key-store.port.js';
export * from './sqlite-subject-key-store.adapter.js';
export * from './key-encryption-key.file.js';
export * from './aes-gcm-field.cipher.js';
export * from './postgres-subject-key-store.adapter.js';
export * from './subject-key-store.factory.js';
