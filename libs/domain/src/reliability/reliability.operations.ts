import { defineAction, defineCommand, defineQuery } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { reliabilityDecider } from './reliability.decider.js';
import { ComputeFeatureReliabilityRequest, RecordFeatureReliabilityInput } from './reliability.commands.js';

export const RecordFeatureReliabilityCommand = defineCommand({
  type: 'RecordFeatureReliability',
  context: 'features',
  input: RecordFeatureReliabilityInput,
  decider: reliabilityDecider,
  prepare: (d, newId) => ({ ...d, studyId: d.studyId ?? newId('studyId') }),
  stream: (d) => streamIds.featureReliability(d.trialId),
  facts: async (d, _own, read) => ({ trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state }),
});

export const reliabilityCommands = [RecordFeatureReliabilityCommand] as const;

const ofTrial = { kind: 'input', trial: (d: { trialId: string }) => d.trialId } as const;

export const reliabilityOperations = [
  defineAction({
    field: 'computeFeatureReliability',
    context: 'features',
    description:
      'Compare the features of two or more segmentations of the same images (readers or methods) and record per feature ICC(2,1) and ICC(3,1) with 95% confidence intervals across subjects.',
    input: ComputeFeatureReliabilityRequest,
    access: { roles: ['data-scientist', 'qa'], scope: ofTrial, cost: 20, ratePerMinute: 30 },
    records: [RecordFeatureReliabilityCommand],
  }),
  defineQuery({
    field: 'featureReliability',
    context: 'features',
    description: "The trial's latest reliability study: per feature ICC(2,1) and ICC(3,1) with 95% intervals, judged against the threshold given (default 0.75).",
    input: S.obj({ trialId: S.gid(), threshold: S.num({ minimum: 0, maximum: 1, default: 0.75 }) }),
    access: { roles: ['data-scientist', 'qa', 'regulatory', 'monitor', 'admin'], scope: ofTrial },
    result: 'rows',
  }),
] as const;
