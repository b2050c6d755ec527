import type { DomainEvent } from '../shared/decider.js';
import type {
  AssessedComponent,
  BaselineKind,
  ClinicalStatus,
  DeteriorationCause,
  LesionRole,
  MeasurementMethod,
  NonTargetStatus,
  ProgressionConfirmationPolicy,
  ResponseCategory,
  ConfirmationStatus,
  ConfirmationOutcome,
} from './rano-criteria.js';

/**
 * Times are study days (CDISC SDTM --DY: days from the subject's reference start, day 1 = first
 * day), never calendar dates: a scan date is a HIPAA Safe Harbor identifier, a study day is not.
 */

/** A follow-up or baseline MRI examination of one subject, with the images read at it. */
export type ResponseTimepointRecorded = DomainEvent<
  'ResponseTimepointRecorded',
  { trialId: string; subjectId: string; timepointId: string; studyDay: number; imageIds: string[] }
>;

/**
 * The scan every later one is compared with, and the rules the subject is assessed under.
 * RANO 2.0 (Wen et al., J Clin Oncol 2023): in newly diagnosed glioma the post-radiotherapy
 * scan is the baseline (mRANO, Ellingson et al., Neuro-Oncology 2017), so early
 * pseudoprogression is not compared with the post-operative scan.
 */
export type ResponseBaselineDesignated = DomainEvent<
  'ResponseBaselineDesignated',
  {
    trialId: string;
    subjectId: string;
    timepointId: string;
    kind: BaselineKind;
    /** Study day radiotherapy ended (null: no radiotherapy in this line of treatment). */
    radiotherapyEndStudyDay: number | null;
    component: AssessedComponent;
    method: MeasurementMethod;
    criteria: { version: 'RANO 2.0'; maxTargetLesions: number; confirmationMinDays: number; progressionConfirmation: ProgressionConfirmationPolicy };
  }
>;

/** Target and non-target lesions are chosen at baseline; a `new` lesion is first seen at a follow-up. */
export type LesionIdentified = DomainEvent<
  'LesionIdentified',
  {
    trialId: string;
    subjectId: string;
    lesionId: string;
    timepointId: string;
    role: LesionRole;
    component: AssessedComponent;
    /** For a new lesion: mostly outside the radiation field (80% isodose line; RANO 2010 Table 1 note). Null when unknown or not applicable. */
    outsideRadiationField: boolean | null;
  }
>;

/** One reader's perpendicular diameters (and volume, when read volumetrically) of one lesion at one timepoint. */
export type LesionMeasured = DomainEvent<
  'LesionMeasured',
  {
    trialId: string;
    subjectId: string;
    timepointId: string;
    lesionId: string;
    readerId: string;
    longestDiameterMm: number;
    perpendicularDiameterMm: number;
    volumeMm3: number | null;
    sliceThicknessMm: number | null;
    imageId: string;
    /** The mask version the lesion was measured on, if a segmentation was used. */
    segmentationId: string | null;
    maskVersionId: string | null;
    /** Set when this measurement replaces the reader's earlier one (a correction). */
    reason: string | null;
  }
>;

/** A reader's qualitative call on a non-target lesion (RANO: non-target lesions are not measured). */
export type NonTargetLesionAssessed = DomainEvent<
  'NonTargetLesionAssessed',
  { trialId: string; subjectId: string; timepointId: string; lesionId: string; readerId: string; status: NonTargetStatus; reason: string | null }
>;

/** Corticosteroid dose (dexamethasone equivalent) and clinical status at a timepoint. */
export type ClinicalStatusRecorded = DomainEvent<
  'ClinicalStatusRecorded',
  {
    trialId: string;
    subjectId: string;
    timepointId: string;
    dexamethasoneMgPerDay: number;
    physiologicReplacementOnly: boolean;
    status: ClinicalStatus;
    deteriorationCause: DeteriorationCause | null;
    reason: string | null;
  }
>;

/** The derivation's result for one reader at one timepoint, with what it settled about earlier timepoints. */
export type TimepointResponseAssessed = DomainEvent<
  'TimepointResponseAssessed',
  {
    trialId: string;
    subjectId: string;
    timepointId: string;
    readerId: string;
    category: ResponseCategory;
    confirmation: ConfirmationStatus;
    /** Sum of products (mm²) or of volumes (mm³) of the target lesions; null when not evaluable. */
    targetSum: number | null;
    baselineSum: number | null;
    nadirSum: number | null;
    /** The rule codes that decided the category, in the order they were applied. */
    rules: string[];
    /** Earlier timepoints whose preliminary category this timepoint confirmed or refuted. */
    resolves: Array<{ timepointId: string; category: ResponseCategory; outcome: ConfirmationOutcome }>;
    /** Study day of progression (the preliminary PD scan's day once confirmed; RANO 2.0), when this timepoint establishes it. */
    progressionStudyDay: number | null;
    reason: string | null;
  }
>;

export type ResponseAssessmentEvent =
  | ResponseTimepointRecorded
  | ResponseBaselineDesignated
  | LesionIdentified
  | LesionMeasured
  | NonTargetLesionAssessed
  | ClinicalStatusRecorded
  | TimepointResponseAssessed;
