import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import {
  ASSESSED_COMPONENTS,
  BASELINE_KINDS,
  CLINICAL_STATUSES,
  CONFIRMATION_STATUSES,
  DETERIORATION_CAUSES,
  LESION_ROLES,
  MEASUREMENT_METHODS,
  NON_TARGET_STATUSES,
  PROGRESSION_CONFIRMATION_POLICIES,
  RESPONSE_CATEGORIES,
} from './rano-criteria.js';

/**
 * Times are study days (CDISC SDTM --DY: days from the subject's reference start, day 1 = first
 * day), never calendar dates: a scan date is a HIPAA Safe Harbor identifier, a study day is not.
 */
const subject = { trialId: S.id(), subjectId: S.id() };
const studyDay = () => S.int({ minimum: -36500, maximum: 36500 });
const reason = () => S.nullable(S.sealedText());

/** A follow-up or baseline MRI examination of one subject, with the images read at it. */
export const ResponseTimepointRecordedEvent = defineEvent(
  'ResponseTimepointRecorded',
  S.obj({ ...subject, timepointId: S.id(), studyDay: studyDay(), imageIds: S.list(S.id(), { minItems: 1 }) }),
);

/**
 * The scan every later one is compared with, and the rules the subject is assessed under.
 * RANO 2.0 (Wen et al., J Clin Oncol 2023): in newly diagnosed glioma the post-radiotherapy
 * scan is the baseline (mRANO, Ellingson et al., Neuro-Oncology 2017), so early
 * pseudoprogression is not compared with the post-operative scan.
 */
export const ResponseBaselineDesignatedEvent = defineEvent(
  'ResponseBaselineDesignated',
  S.obj({
    ...subject,
    timepointId: S.id(),
    kind: S.oneOf(BASELINE_KINDS),
    /** Study day radiotherapy ended (null: no radiotherapy in this line of treatment). */
    radiotherapyEndStudyDay: S.nullable(studyDay()),
    component: S.oneOf(ASSESSED_COMPONENTS),
    method: S.oneOf(MEASUREMENT_METHODS),
    criteria: S.obj({
      version: S.oneOf(['RANO 2.0'] as const),
      maxTargetLesions: S.int({ minimum: 1, maximum: 5 }),
      confirmationMinDays: S.int({ minimum: 1, maximum: 365 }),
      progressionConfirmation: S.oneOf(PROGRESSION_CONFIRMATION_POLICIES),
    }),
  }),
);

/** Target and non-target lesions are chosen at baseline; a `new` lesion is first seen at a follow-up. */
export const LesionIdentifiedEvent = defineEvent(
  'LesionIdentified',
  S.obj({
    ...subject,
    lesionId: S.id(),
    timepointId: S.id(),
    role: S.oneOf(LESION_ROLES),
    component: S.oneOf(ASSESSED_COMPONENTS),
    /** For a new lesion: mostly outside the radiation field (80% isodose line; RANO 2010 Table 1 note). Null when unknown or not applicable. */
    outsideRadiationField: S.nullable(S.bool()),
  }),
);

/** One reader's perpendicular diameters (and volume, when read volumetrically) of one lesion at one timepoint. */
export const LesionMeasuredEvent = defineEvent(
  'LesionMeasured',
  S.obj({
    ...subject,
    timepointId: S.id(),
    lesionId: S.id(),
    readerId: S.id(),
    longestDiameterMm: S.num({ minimum: 0, maximum: 300 }),
    perpendicularDiameterMm: S.num({ minimum: 0, maximum: 300 }),
    volumeMm3: S.nullable(S.num({ minimum: 0 })),
    sliceThicknessMm: S.nullable(S.num({ minimum: 0 })),
    imageId: S.id(),
    /** The mask version the lesion was measured on, if a segmentation was used. */
    segmentationId: S.nullable(S.id()),
    maskVersionId: S.nullable(S.id()),
    /** Set when this measurement replaces the reader's earlier one (a correction). */
    reason: reason(),
  }),
);

/** A reader's qualitative call on a non-target lesion (RANO: non-target lesions are not measured). */
export const NonTargetLesionAssessedEvent = defineEvent(
  'NonTargetLesionAssessed',
  S.obj({ ...subject, timepointId: S.id(), lesionId: S.id(), readerId: S.id(), status: S.oneOf(NON_TARGET_STATUSES), reason: reason() }),
);

/** Corticosteroid dose (dexamethasone equivalent) and clinical status at a timepoint. */
export const ClinicalStatusRecordedEvent = defineEvent(
  'ClinicalStatusRecorded',
  S.obj({
    ...subject,
    timepointId: S.id(),
    dexamethasoneMgPerDay: S.num({ minimum: 0, maximum: 100 }),
    physiologicReplacementOnly: S.bool(),
    status: S.oneOf(CLINICAL_STATUSES),
    deteriorationCause: S.nullable(S.oneOf(DETERIORATION_CAUSES)),
    reason: reason(),
  }),
);

/** The derivation's result for one reader at one timepoint, with what it settled about earlier timepoints. */
export const TimepointResponseAssessedEvent = defineEvent(
  'TimepointResponseAssessed',
  S.obj({
    ...subject,
    timepointId: S.id(),
    readerId: S.id(),
    category: S.oneOf(RESPONSE_CATEGORIES),
    confirmation: S.oneOf(CONFIRMATION_STATUSES),
    /** Sum of products (mm²) or of volumes (mm³) of the target lesions; null when not evaluable. */
    targetSum: S.nullable(S.num()),
    baselineSum: S.nullable(S.num()),
    nadirSum: S.nullable(S.num()),
    /** The rule codes that decided the category, in the order they were applied. */
    rules: S.list(S.text(100)),
    /** Earlier timepoints whose preliminary category this timepoint confirmed or refuted. */
    resolves: S.list(S.obj({ timepointId: S.id(), category: S.oneOf(RESPONSE_CATEGORIES), outcome: S.oneOf(['confirmed', 'not-confirmed'] as const) })),
    /** Study day of progression (the preliminary PD scan's day once confirmed; RANO 2.0), when this timepoint establishes it. */
    progressionStudyDay: S.nullable(studyDay()),
    reason: reason(),
  }),
);

export type ResponseTimepointRecorded = EventOf<typeof ResponseTimepointRecordedEvent>;
export type ResponseBaselineDesignated = EventOf<typeof ResponseBaselineDesignatedEvent>;
export type LesionIdentified = EventOf<typeof LesionIdentifiedEvent>;
export type LesionMeasured = EventOf<typeof LesionMeasuredEvent>;
export type NonTargetLesionAssessed = EventOf<typeof NonTargetLesionAssessedEvent>;
export type ClinicalStatusRecorded = EventOf<typeof ClinicalStatusRecordedEvent>;
export type TimepointResponseAssessed = EventOf<typeof TimepointResponseAssessedEvent>;

export const responseAssessmentEvents = [
  ResponseTimepointRecordedEvent,
  ResponseBaselineDesignatedEvent,
  LesionIdentifiedEvent,
  LesionMeasuredEvent,
  NonTargetLesionAssessedEvent,
  ClinicalStatusRecordedEvent,
  TimepointResponseAssessedEvent,
] as const;

export type ResponseAssessmentEvent =
  | ResponseTimepointRecorded
  | ResponseBaselineDesignated
  | LesionIdentified
  | LesionMeasured
  | NonTargetLesionAssessed
  | ClinicalStatusRecorded
  | TimepointResponseAssessed;
