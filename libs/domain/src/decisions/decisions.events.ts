import type { DomainEvent } from '../shared/decider.js';

export type ModelDecisionMade = DomainEvent<
  'ModelDecisionMade',
  {
    decisionId: string;
    trialId: string;
    siteId: string;
    subjectId: string;
    modelId: string;
    modelVersion: string;
    /** Equal to the locked hash: checked by the decider. */
    modelSha256: string;
    featureSetId: string;
    featureSetResultSha256: string;
    outputs: Record<string, number>;
    threshold: number;
    decision: string;
  }
>;
export type DecisionOverridden = DomainEvent<'DecisionOverridden', { decisionId: string; previousDecision: string; decision: string; reason: string }>;

export type DecisionsEvent = ModelDecisionMade | DecisionOverridden;
