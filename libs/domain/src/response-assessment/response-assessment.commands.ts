import type { Command } from '../shared/decider.js';
import type { AssessedComponent, BaselineKind, ClinicalStatus, DeteriorationCause, LesionRole, MeasurementMethod, NonTargetStatus, RanoCriteriaParameters } from './rano-criteria.js';

interface SubjectRef {
  trialId: string;
  subjectId: string;
}

export type RecordResponseTimepoint = Command<'RecordResponseTimepoint', SubjectRef & { timepointId: string; studyDay: number; imageIds: string[] }>;
export type DesignateResponseBaseline = Command<
  'DesignateResponseBaseline',
  SubjectRef & {
    timepointId: string;
    kind: BaselineKind;
    radiotherapyEndStudyDay?: number | null;
    component: AssessedComponent;
    method: MeasurementMethod;
    criteria?: Partial<Omit<RanoCriteriaParameters, 'version'>>;
  }
>;
export type IdentifyLesion = Command<
  'IdentifyLesion',
  SubjectRef & { lesionId: string; timepointId: string; role: LesionRole; component: AssessedComponent; outsideRadiationField?: boolean | null }
>;
/** The reader is the actor: a measurement is the reader's own act. */
export type RecordLesionMeasurement = Command<
  'RecordLesionMeasurement',
  SubjectRef & {
    timepointId: string;
    lesionId: string;
    longestDiameterMm: number;
    perpendicularDiameterMm: number;
    volumeMm3?: number | null;
    sliceThicknessMm?: number | null;
    imageId: string;
    segmentationId?: string | null;
    maskVersionId?: string | null;
    reason?: string | null;
  }
>;
export type AssessNonTargetLesion = Command<'AssessNonTargetLesion', SubjectRef & { timepointId: string; lesionId: string; status: NonTargetStatus; reason?: string | null }>;
export type RecordClinicalStatus = Command<
  'RecordClinicalStatus',
  SubjectRef & {
    timepointId: string;
    dexamethasoneMgPerDay: number;
    physiologicReplacementOnly?: boolean;
    status: ClinicalStatus;
    deteriorationCause?: DeteriorationCause | null;
    reason?: string | null;
  }
>;
/** Derives and records one reader's category at a timepoint (default reader: the actor). */
export type AssessTimepointResponse = Command<'AssessTimepointResponse', SubjectRef & { timepointId: string; readerId?: string; reason?: string | null }>;

export type ResponseAssessmentCommand =
  | RecordResponseTimepoint
  | DesignateResponseBaseline
  | IdentifyLesion
  | RecordLesionMeasurement
  | AssessNonTargetLesion
  | RecordClinicalStatus
  | AssessTimepointResponse;
