import { fold } from '../../shared/decider.js';
import type { AssessedComponent, ClinicalStatus, DeteriorationCause, LesionRole, MeasurementMethod, NonTargetStatus, RanoCriteriaParameters } from '../rano-criteria.js';
import { DEFAULT_RANO_CRITERIA } from '../rano-criteria.js';
import { responseAssessmentDecider, type ResponseAssessmentState } from '../response-assessment.decider.js';
import type { ResponseAssessmentEvent } from '../response-assessment.events.js';

export const TRIAL = 'GLIO-RAD-01';
export const SUBJECT = 'GRA-BER-001';
export const READER_A = 'reader-a';
export const READER_B = 'reader-b';

/**
 * Worked examples as recorded facts: the builder writes the events a trial would record and
 * folds them with the real `evolve`, so the derivation is tested on exactly what replay gives.
 */
export class ResponseRecordBuilder {
  readonly events: ResponseAssessmentEvent[] = [];
  private readonly ref = { trialId: TRIAL, subjectId: SUBJECT };

  timepoint(timepointId: string, studyDay: number): this {
    this.events.push({ type: 'ResponseTimepointRecorded', data: { ...this.ref, timepointId, studyDay, imageIds: [`img-${timepointId}`] } });
    return this;
  }

  baseline(
    timepointId: string,
    options: { radiotherapyEndStudyDay?: number | null; component?: AssessedComponent; method?: MeasurementMethod; criteria?: Partial<RanoCriteriaParameters> } = {},
  ): this {
    const rt = options.radiotherapyEndStudyDay === undefined ? 42 : options.radiotherapyEndStudyDay;
    this.events.push({
      type: 'ResponseBaselineDesignated',
      data: {
        ...this.ref,
        timepointId,
        kind: rt === null ? 'pre-treatment' : 'post-radiotherapy',
        radiotherapyEndStudyDay: rt,
        component: options.component ?? 'enhancing',
        method: options.method ?? 'bidimensional',
        criteria: { ...DEFAULT_RANO_CRITERIA, ...options.criteria },
      },
    });
    return this;
  }

  lesion(lesionId: string, timepointId: string, role: LesionRole, options: { component?: AssessedComponent; outsideRadiationField?: boolean | null } = {}): this {
    this.events.push({
      type: 'LesionIdentified',
      data: { ...this.ref, lesionId, timepointId, role, component: options.component ?? 'enhancing', outsideRadiationField: options.outsideRadiationField ?? null },
    });
    return this;
  }

  measure(timepointId: string, lesionId: string, longest: number, perpendicular: number, options: { reader?: string; volumeMm3?: number | null; sliceThicknessMm?: number | null } = {}): this {
    this.events.push({
      type: 'LesionMeasured',
      data: {
        ...this.ref,
        timepointId,
        lesionId,
        readerId: options.reader ?? READER_A,
        longestDiameterMm: longest,
        perpendicularDiameterMm: perpendicular,
        volumeMm3: options.volumeMm3 ?? null,
        sliceThicknessMm: options.sliceThicknessMm ?? null,
        imageId: `img-${timepointId}`,
        segmentationId: null,
        maskVersionId: null,
        reason: null,
      },
    });
    return this;
  }

  nonTarget(timepointId: string, lesionId: string, status: NonTargetStatus, reader = READER_A): this {
    this.events.push({ type: 'NonTargetLesionAssessed', data: { ...this.ref, timepointId, lesionId, readerId: reader, status, reason: null } });
    return this;
  }

  clinical(timepointId: string, dexamethasoneMgPerDay: number, status: ClinicalStatus = 'stable', options: { cause?: DeteriorationCause; physiologic?: boolean } = {}): this {
    this.events.push({
      type: 'ClinicalStatusRecorded',
      data: { ...this.ref, timepointId, dexamethasoneMgPerDay, physiologicReplacementOnly: options.physiologic ?? false, status, deteriorationCause: options.cause ?? null, reason: null },
    });
    return this;
  }

  state(): ResponseAssessmentState {
    return fold(responseAssessmentDecider, this.events);
  }
}

export const given = () => new ResponseRecordBuilder();
