import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';

export const ModelDecisionMadeEvent = defineEvent(
  'ModelDecisionMade',
  S.obj({
    decisionId: S.id(),
    trialId: S.id(),
    siteId: S.id(),
    subjectId: S.id(),
    modelId: S.id(),
    modelVersion: S.id(),
    /** Equal to the locked hash: checked by the decider. */
    modelSha256: S.sha256(),
    featureSetId: S.id(),
    featureSetResultSha256: S.sha256(),
    outputs: S.numberMap({ minProperties: 1 }),
    threshold: S.num(),
    decision: S.text(200),
  }),
);
export const DecisionOverriddenEvent = defineEvent(
  'DecisionOverridden',
  S.obj({ decisionId: S.id(), previousDecision: S.text(200), decision: S.text(200), reason: S.sealedText() }),
);

export type ModelDecisionMade = EventOf<typeof ModelDecisionMadeEvent>;
export type DecisionOverridden = EventOf<typeof DecisionOverriddenEvent>;

export const decisionsEvents = [ModelDecisionMadeEvent, DecisionOverriddenEvent] as const;
export type DecisionsEvent = ModelDecisionMade | DecisionOverridden;
