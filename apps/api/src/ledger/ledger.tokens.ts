/** DI tokens for ports (interfaces have no runtime identity). */
export const EVENT_STORE = Symbol('EventStore');
export const APP_CONFIG = Symbol('AppConfig');
export const ARTIFACT_STORE = Symbol('ArtifactStore');
export const RUNTIME = Symbol('Runtime');
