import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';
import {
  ASSESSED_COMPONENTS,
  BASELINE_KINDS,
  CLINICAL_STATUSES,
  DETERIORATION_CAUSES,
  LESION_ROLES,
  MEASUREMENT_METHODS,
  NON_TARGET_STATUSES,
  PROGRESSION_CONFIRMATION_POLICIES,
} from './rano-criteria.js';

const subject = { trialId: S.id(), subjectId: S.pseudonym() };
const studyDay = (description: string) => S.int({ minimum: -36500, maximum: 36500, description });
const reason = () => S.optional(S.nullable(S.reason('Required when this replaces an earlier record (a correction); PHI-scanned.')));

export const RecordResponseTimepointInput = S.obj({
  ...subject,
  timepointId: S.id(),
  studyDay: studyDay('Study day of the examination (CDISC --DY), never a date.'),
  imageIds: S.list(S.id(), { minItems: 1, maxItems: 50, description: "The subject's images read at this timepoint." }),
});
export const DesignateResponseBaselineInput = S.obj({
  ...subject,
  timepointId: S.id(),
  kind: S.oneOf(BASELINE_KINDS, 'post-radiotherapy (RANO 2.0 for newly diagnosed glioma), pre-treatment or post-operative.'),
  radiotherapyEndStudyDay: S.optional(S.nullable(studyDay('Study day radiotherapy ended; required for a post-radiotherapy baseline.'))),
  component: S.oneOf(ASSESSED_COMPONENTS),
  method: S.oneOf(MEASUREMENT_METHODS),
  criteria: S.optional(
    S.named(
      'RanoCriteriaInput',
      S.obj({
        maxTargetLesions: S.optional(S.int({ minimum: 1, maximum: 5 })),
        confirmationMinDays: S.optional(S.int({ minimum: 1, maximum: 365 })),
        progressionConfirmation: S.optional(S.oneOf(PROGRESSION_CONFIRMATION_POLICIES)),
      }),
    ),
  ),
});
export const IdentifyLesionInput = S.obj({
  ...subject,
  lesionId: S.id(),
  timepointId: S.id(),
  role: S.oneOf(LESION_ROLES),
  component: S.oneOf(ASSESSED_COMPONENTS),
  outsideRadiationField: S.optional(S.nullable(S.bool('For a new lesion: mostly outside the radiation field (80% isodose line).'))),
});
/** The reader is the actor: a measurement is the reader's own act. */
export const RecordLesionMeasurementInput = S.obj({
  ...subject,
  timepointId: S.id(),
  lesionId: S.id(),
  longestDiameterMm: S.num({ minimum: 0, maximum: 300 }),
  perpendicularDiameterMm: S.num({ minimum: 0, maximum: 300 }),
  volumeMm3: S.optional(S.nullable(S.num({ minimum: 0, maximum: 5e6 }))),
  sliceThicknessMm: S.optional(S.nullable(S.num({ minimum: 0.1, maximum: 20 }))),
  imageId: S.id(),
  segmentationId: S.optional(S.nullable(S.id())),
  maskVersionId: S.optional(S.nullable(S.id())),
  reason: reason(),
});
export const AssessNonTargetLesionInput = S.obj({ ...subject, timepointId: S.id(), lesionId: S.id(), status: S.oneOf(NON_TARGET_STATUSES), reason: reason() });
export const RecordClinicalStatusInput = S.obj({
  ...subject,
  timepointId: S.id(),
  dexamethasoneMgPerDay: S.num({ minimum: 0, maximum: 100, description: 'Corticosteroid dose, dexamethasone equivalent (mg/day).' }),
  physiologicReplacementOnly: S.optional(S.bool()),
  status: S.oneOf(CLINICAL_STATUSES),
  deteriorationCause: S.optional(S.nullable(S.oneOf(DETERIORATION_CAUSES))),
  reason: reason(),
});
/** Derives and records one reader's category at a timepoint (default reader: the actor). */
export const AssessTimepointResponseInput = S.obj({ ...subject, timepointId: S.id(), readerId: S.optional(S.id()), reason: reason() });

export type RecordResponseTimepoint = Command<'RecordResponseTimepoint', Static<typeof RecordResponseTimepointInput>>;
export type DesignateResponseBaseline = Command<'DesignateResponseBaseline', Static<typeof DesignateResponseBaselineInput>>;
export type IdentifyLesion = Command<'IdentifyLesion', Static<typeof IdentifyLesionInput>>;
export type RecordLesionMeasurement = Command<'RecordLesionMeasurement', Static<typeof RecordLesionMeasurementInput>>;
export type AssessNonTargetLesion = Command<'AssessNonTargetLesion', Static<typeof AssessNonTargetLesionInput>>;
export type RecordClinicalStatus = Command<'RecordClinicalStatus', Static<typeof RecordClinicalStatusInput>>;
export type AssessTimepointResponse = Command<'AssessTimepointResponse', Static<typeof AssessTimepointResponseInput>>;

export type ResponseAssessmentCommand =
  | RecordResponseTimepoint
  | DesignateResponseBaseline
  | IdentifyLesion
  | RecordLesionMeasurement
  | AssessNonTargetLesion
  | RecordClinicalStatus
  | AssessTimepointResponse;
