import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { subjectDecider } from '../trial/subject.decider.js';
import { imageBytesDecider, imagingDecider, type ImageBytesState } from './imaging.decider.js';
import { AcquireImageInput, ApplyPreprocessingInput, AssessImageQualityRequest, RecordImageQualityInput } from './imaging.commands.js';

export const AcquireImageCommand = defineCommand({
  type: 'AcquireImage',
  context: 'imaging',
  input: AcquireImageInput,
  decider: imagingDecider,
  prepare: (d, newId) => ({ ...d, imageId: d.imageId ?? newId('imageId') }),
  stream: (d) => streamIds.image(d.imageId!),
  facts: async (d, _own, read) => {
    const bytes = await read.load(streamIds.imageBytes(d.artifactSha256), imageBytesDecider as never);
    return {
      trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state,
      subject: (await read.load(streamIds.subject(d.trialId, d.subjectId), subjectDecider)).state,
      bytes: { ...(bytes.state as ImageBytesState), revision: bytes.expectedRevision },
    };
  },
});

export const RecordImageQualityCommand = defineCommand({
  type: 'RecordImageQuality',
  context: 'imaging',
  input: RecordImageQualityInput,
  decider: imagingDecider,
  stream: (d) => streamIds.image(d.imageId),
});

export const ApplyPreprocessingCommand = defineCommand({
  type: 'ApplyPreprocessing',
  context: 'imaging',
  input: ApplyPreprocessingInput,
  decider: imagingDecider,
  prepare: (d, newId) => ({ ...d, stepId: d.stepId ?? newId('stepId') }),
  stream: (d) => streamIds.image(d.imageId),
});

export const imagingCommands = [AcquireImageCommand, ApplyPreprocessingCommand, RecordImageQualityCommand] as const;

export const imagingOperations = [
  exposeCommand(AcquireImageCommand, {
    description: 'Record an acquisition; checked against the imaging protocol (deviations are recorded, not refused).',
    access: { roles: ['site-operator'], scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId } },
  }),
  exposeCommand(ApplyPreprocessingCommand, {
    description: 'Record a preprocessing step (tool, version, parameters, input and output artifacts).',
    access: { roles: ['site-operator', 'data-scientist'], scope: { kind: 'record', record: 'image', id: (d) => d.imageId } },
  }),
  defineAction({
    field: 'assessImageQuality',
    context: 'imaging',
    description:
      'Compute and record the quality of an image version from its bytes: SNR, CNR, the N/2 ghosting indicator and the completeness of the acquisition metadata the protocol requires. A failed image is flagged and excluded from feature sets.',
    input: AssessImageQualityRequest,
    access: { roles: ['site-operator', 'qa', 'data-scientist'], scope: { kind: 'record', record: 'image', id: (d) => d.imageId }, cost: 20, ratePerMinute: 120 },
    records: [RecordImageQualityCommand],
  }),
  defineQuery({
    field: 'imageQuality',
    context: 'imaging',
    description: "QC of the trial's images (latest per image): SNR, CNR, ghosting, metadata completeness, and which images are excluded from feature sets.",
    input: S.obj({ trialId: S.gid(), failedOnly: S.bool(undefined, false) }),
    access: { roles: ROLES, scope: { kind: 'input', trial: (d) => d.trialId }, match: 'any' },
    result: 'rows',
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
