import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { featuresDecider } from '../features/features.decider.js';
import { modelsDecider } from '../models/models.decider.js';
import { decisionsDecider } from './decisions.decider.js';
import { MakeDecisionInput, MakeDecisionRequest, OverrideDecisionInput } from './decisions.commands.js';

export const MakeDecisionCommand = defineCommand({
  type: 'MakeDecision',
  context: 'decisions',
  input: MakeDecisionInput,
  decider: decisionsDecider,
  prepare: (d, newId) => ({ ...d, decisionId: d.decisionId ?? newId('decisionId') }),
  stream: (d) => streamIds.decision(d.decisionId!),
  facts: async (d, _own, read) => ({
    model: (await read.load(streamIds.model(d.modelId), modelsDecider)).state,
    featureSet: (await read.load(streamIds.featureSet(d.featureSetId), featuresDecider)).state,
  }),
});

export const OverrideDecisionCommand = defineCommand({
  type: 'OverrideDecision',
  context: 'decisions',
  input: OverrideDecisionInput,
  decider: decisionsDecider,
  stream: (d) => streamIds.decision(d.decisionId),
  facts: async (_d, own, read) => {
    const modelId = (own.state as { modelId?: string | null }).modelId;
    return modelId ? { model: (await read.load(streamIds.model(modelId), modelsDecider)).state } : {};
  },
});

export const decisionsCommands = [MakeDecisionCommand, OverrideDecisionCommand] as const;

const DECISION_ROLES = ['site-operator', 'data-scientist'] as const;

export const decisionsOperations = [
  defineAction({
    field: 'makeDecision',
    context: 'decisions',
    description: "Run the trial's locked model version on a recorded feature set and record the decision.",
    input: MakeDecisionRequest,
    access: { roles: DECISION_ROLES, scope: { kind: 'record', record: 'feature-set', id: (d) => d.featureSetId } },
    records: [MakeDecisionCommand],
  }),
  defineAction({
    field: 'makeDecisions',
    context: 'decisions',
    description: 'Decisions for many feature sets with the same locked model version (one mutation, one decision each).',
    input: MakeDecisionRequest,
    access: { roles: DECISION_ROLES, scope: { kind: 'record', record: 'feature-set', id: (d) => d.featureSetId }, cost: 5 },
    records: [MakeDecisionCommand],
    many: true,
  }),
  exposeCommand(OverrideDecisionCommand, {
    description: 'Override a model decision, with a reason; only to one of the locked version\'s labels.',
    access: { roles: DECISION_ROLES, scope: { kind: 'record', record: 'decision', id: (d) => d.decisionId } },
  }),
  defineQuery({
    field: 'lockedAlgorithmCompliance',
    context: 'decisions',
    description: 'Decisions per model version and site, and every decision not made by the locked version or with a hash other than the locked hash.',
    input: S.obj({ trialId: S.gid(), siteId: S.optional(S.gid()) }),
    access: { roles: ROLES, scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId } },
    result: 'rows',
  }),
  defineQuery({
    field: 'reproduceDecision',
    context: 'decisions',
    description: 'Re-run a recorded decision with the model bytes it names and compare. Rate-limited per user.',
    input: S.obj({ decisionId: S.id() }),
    access: { roles: ['qa', 'regulatory', 'data-scientist', 'monitor'], scope: { kind: 'record', record: 'decision', id: (d) => d.decisionId }, cost: 20, ratePerMinute: 60 },
    result: 'reproduction',
  }),
] as const;
