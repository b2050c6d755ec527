import type { Command } from '../shared/decider.js';

export type MakeDecision = Command<
  'MakeDecision',
  {
    decisionId?: string;
    modelId: string;
    modelVersion: string;
    /** sha256 of the model bytes as re-hashed at inference time (libs/inference). */
    modelSha256: string;
    featureSetId: string;
    /** The subject the caller means to decide for; refused when the feature set is another subject's. */
    subjectId?: string;
    outputs: Record<string, number>;
    threshold: number;
    decision: string;
  }
>;
export type OverrideDecision = Command<'OverrideDecision', { decisionId: string; decision: string; reason?: string }>;

export type DecisionsCommand = MakeDecision | OverrideDecision;
