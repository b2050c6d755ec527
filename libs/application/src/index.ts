export * from './runtime.js';
export * from './application.js';
export * from './artifact-mask.source.js';
export * from './feature.service.js';
export * from './recorded-feature-settings.js';
export * from './software-version.js';
export * from './model.service.js';
export * from './field-encryption/index.js';

export * from './access/caller.js';
export * from './access/access.errors.js';
export * from './access/access-control.js';
export * from './access/access-directory.js';
export * from './access/scope-resolver.js';
export * from './access/read-policy.js';

export * from './identity/api-token.js';
export * from './identity/credential-store.port.js';
export * from './identity/credential-store.factory.js';
export * from './identity/identity.errors.js';
export * from './identity/identity.service.js';
export * from './identity/password-hasher.js';
export * from './identity/password-policy.js';
export * from './identity/token.service.js';

export * from './operations/operation-gateway.js';
export * from './operations/action-handlers.js';
export * from './operations/query-handlers.js';
export * from './operations/dossier-export.service.js';
export * from './exports/interop-document.js';
export * from './exports/ledger-dicom-sr.js';
export * from './exports/export-downloads.service.js';
