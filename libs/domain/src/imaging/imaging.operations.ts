import { ROLES } from '../shared/access-scope.js';
import { defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { subjectDecider } from '../trial/subject.decider.js';
import { imagingDecider } from './imaging.decider.js';
import { AcquireImageInput, ApplyPreprocessingInput } from './imaging.commands.js';

export const AcquireImageCommand = defineCommand({
  type: 'AcquireImage',
  context: 'imaging',
  input: AcquireImageInput,
  decider: imagingDecider,
  prepare: (d, newId) => ({ ...d, imageId: d.imageId ?? newId('imageId') }),
  stream: (d) => streamIds.image(d.imageId!),
  facts: async (d, _own, read) => ({
    trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state,
    subject: (await read.load(streamIds.subject(d.trialId, d.subjectId), subjectDecider)).state,
  }),
});

export const ApplyPreprocessingCommand = defineCommand({
  type: 'ApplyPreprocessing',
  context: 'imaging',
  input: ApplyPreprocessingInput,
  decider: imagingDecider,
  prepare: (d, newId) => ({ ...d, stepId: d.stepId ?? newId('stepId') }),
  stream: (d) => streamIds.image(d.imageId),
});

export const imagingCommands = [AcquireImageCommand, ApplyPreprocessingCommand] as const;

export const imagingOperations = [
  exposeCommand(AcquireImageCommand, {
    description: 'Record an acquisition; checked against the imaging protocol (deviations are recorded, not refused).',
    access: { roles: ['site-operator'], scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId } },
  }),
  exposeCommand(ApplyPreprocessingCommand, {
    description: 'Record a preprocessing step (tool, version, parameters, input and output artifacts).',
    access: { roles: ['site-operator', 'data-scientist'], scope: { kind: 'record', record: 'image', id: (d) => d.imageId } },
  }),
  defineQuery({
    field: 'protocolDeviations',
    context: 'imaging',
    description: "Acquisitions outside the trial's imaging protocol (site staff see their own site's).",
    input: S.obj({ trialId: S.gid() }),
    access: { roles: ROLES, scope: { kind: 'input', trial: (d) => d.trialId }, match: 'any' },
    result: 'rows',
  }),
] as const;
