import { defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from '../trial/trial.decider.js';
import { subjectDecider } from '../trial/subject.decider.js';
import { imagingDecider, type ImageState } from '../imaging/imaging.decider.js';
import { segmentationDecider } from '../segmentation/segmentation.decider.js';
import { responseAssessmentDecider } from './response-assessment.decider.js';
import {
  AssessNonTargetLesionInput,
  AssessTimepointResponseInput,
  DesignateResponseBaselineInput,
  IdentifyLesionInput,
  RecordClinicalStatusInput,
  RecordLesionMeasurementInput,
  RecordResponseTimepointInput,
} from './response-assessment.commands.js';

const stream = (d: { trialId: string; subjectId: string }) => streamIds.responseAssessment(d.trialId, d.subjectId);
const base = { context: 'response-assessment', decider: responseAssessmentDecider, stream } as const;

export const RecordResponseTimepointCommand = defineCommand({
  ...base,
  type: 'RecordResponseTimepoint',
  input: RecordResponseTimepointInput,
  facts: async (d, _own, read) => {
    const images: Record<string, ImageState> = {};
    for (const id of new Set(d.imageIds)) images[id] = (await read.load(streamIds.image(id), imagingDecider)).state;
    return {
      trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state,
      subject: (await read.load(streamIds.subject(d.trialId, d.subjectId), subjectDecider)).state,
      images,
    };
  },
});
export const DesignateResponseBaselineCommand = defineCommand({ ...base, type: 'DesignateResponseBaseline', input: DesignateResponseBaselineInput });
export const IdentifyLesionCommand = defineCommand({ ...base, type: 'IdentifyLesion', input: IdentifyLesionInput });
export const RecordLesionMeasurementCommand = defineCommand({
  ...base,
  type: 'RecordLesionMeasurement',
  input: RecordLesionMeasurementInput,
  facts: async (d, _own, read) => (d.segmentationId ? { segmentation: (await read.load(streamIds.segmentation(d.segmentationId), segmentationDecider)).state } : {}),
});
export const AssessNonTargetLesionCommand = defineCommand({ ...base, type: 'AssessNonTargetLesion', input: AssessNonTargetLesionInput });
export const RecordClinicalStatusCommand = defineCommand({ ...base, type: 'RecordClinicalStatus', input: RecordClinicalStatusInput });
export const AssessTimepointResponseCommand = defineCommand({ ...base, type: 'AssessTimepointResponse', input: AssessTimepointResponseInput });

export const responseAssessmentCommands = [
  RecordResponseTimepointCommand,
  DesignateResponseBaselineCommand,
  IdentifyLesionCommand,
  RecordLesionMeasurementCommand,
  AssessNonTargetLesionCommand,
  RecordClinicalStatusCommand,
  AssessTimepointResponseCommand,
] as const;

/**
 * Readers are site radiologists (site-operator, their site's subjects) and the trial's central
 * imaging core lab (qa, every site). A subject's response record sits at the subject's site: the
 * first timepoint is placed by its image, later records by the response record itself.
 */
const READERS = ['site-operator', 'qa'] as const;
const ofRecord = { kind: 'record', record: 'response', id: (d: { trialId: string; subjectId: string }) => `${d.trialId}/${d.subjectId}` } as const;

export const responseAssessmentOperations = [
  exposeCommand(RecordResponseTimepointCommand, {
    description: "Record a response-assessment timepoint (a study day, never a date) with the subject's images read at it.",
    access: { roles: READERS, scope: { kind: 'record', record: 'image', id: (d) => d.imageIds[0] } },
  }),
  exposeCommand(DesignateResponseBaselineCommand, {
    description: 'Designate the baseline timepoint (RANO 2.0: the post-radiotherapy scan for newly diagnosed glioma), the assessed component, the method and the criteria parameters.',
    access: { roles: READERS, scope: ofRecord },
  }),
  exposeCommand(IdentifyLesionCommand, { description: 'Identify a target or non-target lesion at baseline, or a new lesion at a follow-up.', access: { roles: READERS, scope: ofRecord } }),
  exposeCommand(RecordLesionMeasurementCommand, {
    description: "Record the caller's (the reader's) bidimensional and, when volumetric, volume measurement of a lesion on an image of the timepoint, optionally on a mask version of that image.",
    access: { roles: READERS, scope: ofRecord },
  }),
  exposeCommand(AssessNonTargetLesionCommand, { description: "Record the caller's call on a non-target lesion (absent, present, unequivocal progression).", access: { roles: READERS, scope: ofRecord } }),
  exposeCommand(RecordClinicalStatusCommand, { description: 'Record the corticosteroid dose (dexamethasone equivalent) and clinical status at a timepoint.', access: { roles: READERS, scope: ofRecord } }),
  exposeCommand(AssessTimepointResponseCommand, {
    description: "Derive and record one reader's RANO 2.0 category at a timepoint (CR/PR/MR/SD/PD/NE, preliminary or confirmed) from the recorded measurements.",
    access: { roles: READERS, scope: ofRecord },
  }),
  defineQuery({
    field: 'responseAssessment',
    context: 'response-assessment',
    description:
      "A subject's RANO 2.0 response per reader and timepoint: the recorded assessments and the derivation trail (which measurements, which sums, which rule), with the images and masks each timepoint rests on.",
    input: S.obj({ subjectId: S.gid(), trialId: S.optional(S.gid('Needed only when the pseudonym is enrolled in more than one trial.')) }),
    access: { roles: ['site-operator', 'qa', 'regulatory', 'monitor', 'data-scientist', 'admin'], scope: { kind: 'record', record: 'response', id: (d) => (d.trialId ? `${d.trialId}/${d.subjectId}` : d.subjectId) } },
    result: 'rows',
  }),
] as const;
