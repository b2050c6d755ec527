import { defineAction, defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { imagingDecider } from '../imaging/imaging.decider.js';
import { segmentationDecider } from '../segmentation/segmentation.decider.js';
import { featuresDecider } from './features.decider.js';
import { AssignFeatureSetPartitionInput, ComputeFeaturesInput, ComputeFeaturesRequest, ImportFeatureSetRequest } from './features.commands.js';

export const ComputeFeaturesCommand = defineCommand({
  type: 'ComputeFeatures',
  context: 'features',
  input: ComputeFeaturesInput,
  decider: featuresDecider,
  prepare: (d, newId) => ({ ...d, featureSetId: d.featureSetId ?? newId('featureSetId') }),
  stream: (d) => streamIds.featureSet(d.featureSetId!),
  facts: async (d, _own, read) => ({
    image: (await read.load(streamIds.image(d.imageId), imagingDecider)).state,
    segmentation: (await read.load(streamIds.segmentation(d.segmentationId), segmentationDecider)).state,
  }),
});

export const AssignFeatureSetPartitionCommand = defineCommand({
  type: 'AssignFeatureSetPartition',
  context: 'features',
  input: AssignFeatureSetPartitionInput,
  decider: featuresDecider,
  stream: (d) => streamIds.featureSet(d.featureSetId),
});

export const featuresCommands = [ComputeFeaturesCommand, AssignFeatureSetPartitionCommand] as const;

const FEATURE_ROLES = ['data-scientist', 'site-operator'] as const;

export const featuresOperations = [
  defineAction({
    field: 'computeFeatures',
    context: 'features',
    description: 'Compute IBSI features of a mask version on an image version and record them (reproducible).',
    input: ComputeFeaturesRequest,
    access: { roles: FEATURE_ROLES, scope: { kind: 'record', record: 'image', id: (d) => d.imageId }, cost: 20, ratePerMinute: 120 },
    records: [ComputeFeaturesCommand],
  }),
  defineAction({
    field: 'importFeatureSet',
    context: 'features',
    description: 'Record a feature set computed elsewhere (attested, not reproducible by RadLedger).',
    input: ImportFeatureSetRequest,
    access: { roles: FEATURE_ROLES, scope: { kind: 'record', record: 'image', id: (d) => d.imageId } },
    records: [ComputeFeaturesCommand],
  }),
  exposeCommand(AssignFeatureSetPartitionCommand, {
    description: 'Assign a feature set to the train, tune or test partition.',
    access: { roles: ['data-scientist'], scope: { kind: 'record', record: 'feature-set', id: (d) => d.featureSetId } },
  }),
  defineQuery({
    field: 'reproduceFeatureSet',
    context: 'features',
    description: 'Re-compute a recorded feature set from its stored inputs and settings. Expensive: rate-limited per user.',
    input: S.obj({ featureSetId: S.id() }),
    access: { roles: ['qa', 'regulatory', 'data-scientist'], scope: { kind: 'record', record: 'feature-set', id: (d) => d.featureSetId }, cost: 50, ratePerMinute: 20 },
    result: 'none',
  }),
] as const;
