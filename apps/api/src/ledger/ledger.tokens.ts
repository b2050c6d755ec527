/** DI tokens for ports (interfaces have no runtime identity). */
export const EVENT_STORE = Symbol('EventStore');
export const APP_CONFIG = Symbol('AppConfig');
export const ARTIFACT_STORE = Symbol('ArtifactStore');
export const RUNTIME = Symbol('Runtime');
/** The application (libs/application): runtime, read side, identity and the one operation gateway. */
export const APPLICATION = Symbol('Application');
/** What other modules of this process add to the application once they exist: the read-model writer, the witnesses. */
export const PROJECTIONS_HOLDER = Symbol('ProjectionsHolder');

export interface ProjectionsHolder {
  runner?: import('@radledger/projections').ProjectionRunner;
  witnessing?: import('@radledger/application').Witnessing;
  /** The monitors' live alerts (alerts/alert-bus.service.ts): told of refusals and failed verifications. */
  alerts?: Pick<import('../alerts/alert-bus.service.js').AlertBus, 'refused' | 'verificationFailed' | 'witnessFork'>;
}
