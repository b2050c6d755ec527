/**
 * Current schema version per event type. Writers always append the current version;
 * readers upcast older stored versions (see upcasters.ts). Never renumber a stored version.
 */
export const CURRENT_EVENT_VERSIONS = {
  TrialRegistered: 1,
  SiteEnrolled: 1,
  SubjectEnrolled: 1,
  ImagingProtocolDefined: 1,
  // v2 (2026-03): `sliceThicknessMm` added (IBSI resampling needs it); v1 upcast with null.
  ImageAcquired: 2,
  ProtocolDeviationDetected: 1,
  PreprocessingApplied: 1,
  SegmentationCreated: 1,
  SegmentationEdited: 1,
  SegmentationReviewed: 1,
  FeaturesComputed: 1,
  FeatureSetPartitionAssigned: 1,
  ModelRegistered: 1,
  ChangeControlPlanRecorded: 1,
  ModelValidationRecorded: 1,
  ModelLocked: 1,
  ModelRetired: 1,
  ModelDecisionMade: 1,
  DecisionOverridden: 1,
  RecordSigned: 1,
  UserRegistered: 1,
  RoleGranted: 1,
  RoleRevoked: 1,
  LoginSucceeded: 1,
  LoginFailed: 1,
  AccountLocked: 1,
  AccessDenied: 1,
  ApiTokenIssued: 1,
  ApiTokenRevoked: 1,
  RedactionRequested: 1,
  PayloadRedacted: 1,
  AuditReviewCompleted: 1,
} as const;

export type EventType = keyof typeof CURRENT_EVENT_VERSIONS;
export const eventTypes = Object.keys(CURRENT_EVENT_VERSIONS) as EventType[];

export function currentSchemaVersion(type: string): number | undefined {
  return (CURRENT_EVENT_VERSIONS as Record<string, number>)[type];
}
