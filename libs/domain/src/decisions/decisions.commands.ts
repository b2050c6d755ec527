import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';
import { DecisionExplanationSchema } from './decisions.events.js';

export const MakeDecisionInput = S.obj({
  decisionId: S.optional(S.id()),
  modelId: S.id(),
  modelVersion: S.id(),
  /** sha256 of the model bytes as re-hashed at inference time (libs/inference). */
  modelSha256: S.sha256(),
  featureSetId: S.id(),
  /** The subject the caller means to decide for; refused when the feature set is another subject's. */
  subjectId: S.optional(S.id()),
  outputs: S.numberMap(),
  threshold: S.num(),
  decision: S.text(200),
  /** Computed by the application from the locked bytes and the version's reference; required when the version registered one. */
  explanation: S.optional(S.nullable(DecisionExplanationSchema)),
});
export const OverrideDecisionInput = S.obj({ decisionId: S.id(), decision: S.text(200), reason: S.optional(S.reason()) });

/** What a caller sends: RadLedger runs the trial's locked version on the feature set and records the outcome. */
export const MakeDecisionRequest = S.obj({
  decisionId: S.optional(S.id()),
  modelId: S.id(),
  modelVersion: S.id(),
  featureSetId: S.id(),
  subjectId: S.optional(S.id('The subject meant; refused when the feature set belongs to another.')),
});
export type MakeDecisionRequest = Static<typeof MakeDecisionRequest>;

export type MakeDecision = Command<'MakeDecision', Static<typeof MakeDecisionInput>>;
export type OverrideDecision = Command<'OverrideDecision', Static<typeof OverrideDecisionInput>>;

export type DecisionsCommand = MakeDecision | OverrideDecision;
