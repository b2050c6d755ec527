/**
 * One stream per aggregate; the prefix names the consistency boundary (see README.md).
 * Ids are validated by the deciders before they are used in a stream id.
 */
export const streamIds = {
  trial: (trialId: string) => `trial-${trialId}`,
  /** One subject of one trial (`/` cannot occur in an id, so the pair is unambiguous). */
  subject: (trialId: string, subjectId: string) => `subject-${trialId}/${subjectId}`,
  image: (imageId: string) => `image-${imageId}`,
  segmentation: (segmentationId: string) => `segmentation-${segmentationId}`,
  featureSet: (featureSetId: string) => `featureset-${featureSetId}`,
  model: (modelId: string) => `model-${modelId}`,
  decision: (decisionId: string) => `decision-${decisionId}`,
  /** All signatures on one recorded event, keyed by that event's id. */
  signatures: (eventId: string) => `signatures-${eventId}`,
  user: (userId: string) => `user-${userId}`,
  /** Failed logins for ids that name no account, one stream per UTC day (counted per window, never per guess). */
  unknownLogins: (day: string) => `unknown-logins-${day}`,
  redaction: (eventId: string) => `redaction-${eventId}`,
  /** One completed review of a saved audit query. */
  auditReview: (reviewId: string) => `audit-review-${reviewId}`,
} as const;
