import { defineEvent, type EventOf } from '../shared/event.js';
import { S, type Static } from '../shared/schema.js';

const FEATURE_CODE = S.str({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$' });

/**
 * How much each input moved this decision's model output from its expected value (ADR 0010,
 * libs/inference/src/explanations): exact linear contributions or path-dependent TreeSHAP,
 * computed from the locked bytes against the version's registered reference. Additive:
 * Σ contribution = modelOutput − expectedValue in `outputSpace` (checked by the decider).
 */
export const DecisionExplanationSchema = S.obj({
  method: S.oneOf(['linear-exact', 'tree-shap-path-dependent'] as const),
  outputSpace: S.oneOf(['log-odds', 'raw'] as const),
  expectedValue: S.num(),
  modelOutput: S.num(),
  contributions: S.list(S.obj({ featureCode: FEATURE_CODE, value: S.num(), contribution: S.num() }), { minItems: 1 }),
  reference: S.obj({ sha256: S.sha256(), rows: S.int({ minimum: 1 }) }),
  additivityError: S.num({ minimum: 0 }),
});

const decisionV1 = {
  decisionId: S.id(),
  trialId: S.id(),
  siteId: S.id(),
  subjectId: S.id(),
  modelId: S.id(),
  modelVersion: S.id(),
  modelSha256: S.sha256(),
  featureSetId: S.id(),
  featureSetResultSha256: S.sha256(),
  outputs: S.numberMap({ minProperties: 1 }),
  threshold: S.num(),
  decision: S.text(200),
};

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
    /** v2: null when the version registered no explanation reference (and for every v1 decision). */
    explanation: S.nullable(DecisionExplanationSchema),
  }),
  [{ version: 1, schema: S.obj(decisionV1), upcast: (data) => ({ ...data, explanation: null }) }],
);
export const DecisionOverriddenEvent = defineEvent(
  'DecisionOverridden',
  S.obj({ decisionId: S.id(), previousDecision: S.text(200), decision: S.text(200), reason: S.sealedText() }),
);

export type ModelDecisionMade = EventOf<typeof ModelDecisionMadeEvent>;
export type DecisionOverridden = EventOf<typeof DecisionOverriddenEvent>;
export type DecisionExplanationData = Static<typeof DecisionExplanationSchema>;

export const decisionsEvents = [ModelDecisionMadeEvent, DecisionOverriddenEvent] as const;
export type DecisionsEvent = ModelDecisionMade | DecisionOverridden;
