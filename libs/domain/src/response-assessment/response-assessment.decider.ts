import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFiniteNumber, requireId, requireOneOf, requireReason } from '../shared/guards.js';
import { requirePseudonym, type TrialState } from '../trial/trial.decider.js';
import { subjectSite, type SubjectState } from '../trial/subject.decider.js';
import type { ImageState } from '../imaging/imaging.decider.js';
import type { SegmentationState } from '../segmentation/segmentation.decider.js';
import {
  ASSESSED_COMPONENTS,
  BASELINE_KINDS,
  CLINICAL_STATUSES,
  DEFAULT_RANO_CRITERIA,
  DETERIORATION_CAUSES,
  LESION_ROLES,
  MEASUREMENT_METHODS,
  NON_TARGET_STATUSES,
  PROGRESSION_CONFIRMATION_POLICIES,
  deriveResponse,
  recordKey,
  type RanoCriteriaParameters,
  type ResponseRecord,
} from './rano-criteria.js';
import type { ResponseAssessmentCommand } from './response-assessment.commands.js';
import type { ResponseAssessmentEvent } from './response-assessment.events.js';

/** One stream per subject and trial; `/` cannot occur in an id, so the pair is unambiguous. */
export const responseAssessmentStreamId = (trialId: string, subjectId: string) => `response-${trialId}/${subjectId}`;

export interface ResponseAssessmentState extends ResponseRecord {
  /** `timepointId|readerId` → assessed. */
  assessed: Readonly<Record<string, true>>;
}

/**
 * Facts the CommandService loads: the trial (RecordResponseTimepoint), the images a timepoint
 * names (RecordResponseTimepoint) or a measurement was read on, and the segmentation whose mask
 * version a measurement names (RecordLesionMeasurement).
 */
export interface ResponseAssessmentFacts {
  trial?: TrialState;
  /** The subject's own stream (enrolment and site). */
  subject?: SubjectState;
  images?: Readonly<Record<string, ImageState>>;
  segmentation?: SegmentationState;
}

export function initialState(): ResponseAssessmentState {
  return { trialId: null, subjectId: null, baseline: null, timepoints: {}, lesions: [], measurements: {}, nonTargetCalls: {}, clinical: {}, assessed: {} };
}

const MAX_STUDY_DAY = 36500;
const MAX_DIAMETER_MM = 300;

function requireSubject(state: ResponseAssessmentState, d: { trialId: unknown; subjectId: unknown }): { trialId: string; subjectId: string } {
  const trialId = requireId('trialId', d.trialId);
  const subjectId = requirePseudonym('subjectId', d.subjectId);
  if (state.trialId !== null && (state.trialId !== trialId || state.subjectId !== subjectId)) {
    throw new ValidationError('SUBJECT_MISMATCH', `subjectId: this response record belongs to ${state.subjectId} in ${state.trialId}`, { field: 'subjectId' });
  }
  return { trialId, subjectId };
}

function requireStudyDay(field: string, value: unknown): number {
  const day = requireFiniteNumber(field, value, { min: -MAX_STUDY_DAY, max: MAX_STUDY_DAY });
  if (!Number.isInteger(day)) throw new ValidationError('INVALID_NUMBER', `${field}: expected a whole study day, got ${day}`, { field });
  return day;
}

function requireTimepoint(state: ResponseAssessmentState, timepointId: string) {
  const tp = state.timepoints[timepointId];
  if (!tp) throw new NotFoundError(`timepointId: no timepoint ${timepointId} is recorded for subject ${state.subjectId ?? '?'}`, { field: 'timepointId' });
  return tp;
}

function requireBaseline(state: ResponseAssessmentState) {
  if (!state.baseline) throw new IllegalStateError('BASELINE_REQUIRED', 'timepointId: designate the baseline before identifying lesions or assessing response', { field: 'timepointId' });
  return state.baseline;
}

function requireLesion(state: ResponseAssessmentState, lesionId: string) {
  const lesion = state.lesions.find((l) => l.lesionId === lesionId);
  if (!lesion) throw new NotFoundError(`lesionId: no lesion ${lesionId} is identified for subject ${state.subjectId ?? '?'}`, { field: 'lesionId' });
  return lesion;
}

function optionalReason(existing: boolean, value: unknown, what: string): string | null {
  if (!existing) return value === undefined || value === null ? null : requireReason('reason', value);
  if (value === undefined || value === null || value === '') throw new ValidationError('REASON_REQUIRED', `reason: ${what} is already recorded; a correction must say why`, { field: 'reason' });
  return requireReason('reason', value);
}

function requireCriteria(value: Partial<Omit<RanoCriteriaParameters, 'version'>> | undefined): RanoCriteriaParameters {
  const c = value ?? {};
  const maxTargetLesions = requireFiniteNumber('criteria.maxTargetLesions', c.maxTargetLesions ?? DEFAULT_RANO_CRITERIA.maxTargetLesions, { min: 1, max: 5 });
  const confirmationMinDays = requireFiniteNumber('criteria.confirmationMinDays', c.confirmationMinDays ?? DEFAULT_RANO_CRITERIA.confirmationMinDays, { min: 1, max: 365 });
  if (!Number.isInteger(maxTargetLesions)) throw new ValidationError('INVALID_NUMBER', 'criteria.maxTargetLesions: expected a whole number', { field: 'criteria.maxTargetLesions' });
  if (!Number.isInteger(confirmationMinDays)) throw new ValidationError('INVALID_NUMBER', 'criteria.confirmationMinDays: expected whole days', { field: 'criteria.confirmationMinDays' });
  return {
    version: 'RANO 2.0',
    maxTargetLesions,
    confirmationMinDays,
    progressionConfirmation: requireOneOf('criteria.progressionConfirmation', c.progressionConfirmation ?? DEFAULT_RANO_CRITERIA.progressionConfirmation, PROGRESSION_CONFIRMATION_POLICIES),
  };
}

export function decide(command: ResponseAssessmentCommand, state: ResponseAssessmentState, ctx: CommandContext<ResponseAssessmentFacts>): ResponseAssessmentEvent[] {
  switch (command.type) {
    case 'RecordResponseTimepoint': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const timepointId = requireId('timepointId', d.timepointId);
      if (state.timepoints[timepointId]) throw new IllegalStateError('TIMEPOINT_EXISTS', `timepointId: timepoint ${timepointId} is already recorded`, { field: 'timepointId' });
      const studyDay = requireStudyDay('studyDay', d.studyDay);
      const sameDay = Object.values(state.timepoints).find((t) => t.studyDay === studyDay);
      if (sameDay) throw new IllegalStateError('TIMEPOINT_DAY_TAKEN', `studyDay: timepoint ${sameDay.timepointId} is already on study day ${studyDay}; one examination per day`, { field: 'studyDay' });
      const trial = ctx.facts.trial;
      if (!trial || trial.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId' });
      if (subjectSite(ctx.facts.subject, trial, subjectId) === null) throw new NotFoundError(`subjectId: subject ${subjectId} is not enrolled in trial ${trialId}`, { field: 'subjectId' });
      if (!Array.isArray(d.imageIds) || d.imageIds.length === 0) throw new ValidationError('REQUIRED', 'imageIds: expected the images read at this timepoint', { field: 'imageIds' });
      const imageIds = d.imageIds.map((id, i) => requireId(`imageIds[${i}]`, id));
      const used = new Map<string, string>();
      for (const t of Object.values(state.timepoints)) for (const id of t.imageIds) used.set(id, t.timepointId);
      imageIds.forEach((id, i) => {
        const image = ctx.facts.images?.[id];
        if (!image || image.imageId === null) throw new NotFoundError(`imageIds[${i}]: image ${id} is not recorded`, { field: `imageIds[${i}]` });
        if (image.trialId !== trialId || image.subjectId !== subjectId) {
          throw new ValidationError('IMAGE_OF_OTHER_SUBJECT', `imageIds[${i}]: image ${id} belongs to another subject or trial`, { field: `imageIds[${i}]` });
        }
        if (used.has(id)) throw new IllegalStateError('IMAGE_IN_OTHER_TIMEPOINT', `imageIds[${i}]: image ${id} is already read at timepoint ${used.get(id)}`, { field: `imageIds[${i}]` });
      });
      if (new Set(imageIds).size !== imageIds.length) throw new ValidationError('DUPLICATE_ID', 'imageIds: an image is listed twice', { field: 'imageIds' });
      return [{ type: 'ResponseTimepointRecorded', data: { trialId, subjectId, timepointId, studyDay, imageIds } }];
    }
    case 'DesignateResponseBaseline': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const timepointId = requireId('timepointId', d.timepointId);
      const tp = requireTimepoint(state, timepointId);
      if (state.baseline) throw new IllegalStateError('BASELINE_ALREADY_DESIGNATED', `timepointId: the baseline is already ${state.baseline.timepointId}`, { field: 'timepointId' });
      const kind = requireOneOf('kind', d.kind, BASELINE_KINDS);
      const rtEnd = d.radiotherapyEndStudyDay === undefined || d.radiotherapyEndStudyDay === null ? null : requireStudyDay('radiotherapyEndStudyDay', d.radiotherapyEndStudyDay);
      if (kind === 'post-radiotherapy') {
        // RANO 2.0 / mRANO 2017: the post-radiotherapy baseline is a scan after radiotherapy ended.
        if (rtEnd === null) throw new ValidationError('REQUIRED', 'radiotherapyEndStudyDay: a post-radiotherapy baseline needs the day radiotherapy ended', { field: 'radiotherapyEndStudyDay' });
        if (tp.studyDay < rtEnd) throw new ValidationError('BASELINE_BEFORE_RADIOTHERAPY_END', `timepointId: ${timepointId} (day ${tp.studyDay}) is before radiotherapy ended (day ${rtEnd})`, { field: 'timepointId' });
      }
      return [
        {
          type: 'ResponseBaselineDesignated',
          data: {
            trialId,
            subjectId,
            timepointId,
            kind,
            radiotherapyEndStudyDay: rtEnd,
            component: requireOneOf('component', d.component, ASSESSED_COMPONENTS),
            method: requireOneOf('method', d.method, MEASUREMENT_METHODS),
            criteria: requireCriteria(d.criteria),
          },
        },
      ];
    }
    case 'IdentifyLesion': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const baseline = requireBaseline(state);
      const lesionId = requireId('lesionId', d.lesionId);
      if (state.lesions.some((l) => l.lesionId === lesionId)) throw new IllegalStateError('LESION_EXISTS', `lesionId: lesion ${lesionId} is already identified`, { field: 'lesionId' });
      const timepointId = requireId('timepointId', d.timepointId);
      const tp = requireTimepoint(state, timepointId);
      const role = requireOneOf('role', d.role, LESION_ROLES);
      const component = requireOneOf('component', d.component, ASSESSED_COMPONENTS);
      const baseDay = state.timepoints[baseline.timepointId]!.studyDay;
      // RANO 2010: target and non-target lesions are chosen on the baseline scan; a new lesion appears later.
      if (role !== 'new' && timepointId !== baseline.timepointId) throw new ValidationError('LESION_ROLE_TIMEPOINT', `timepointId: ${role} lesions are identified at the baseline ${baseline.timepointId}`, { field: 'timepointId' });
      if (role === 'new' && tp.studyDay <= baseDay) throw new ValidationError('LESION_ROLE_TIMEPOINT', `timepointId: a new lesion is identified after the baseline ${baseline.timepointId}`, { field: 'timepointId' });
      if (role === 'target') {
        if (component !== baseline.component) throw new ValidationError('TARGET_COMPONENT_MISMATCH', `component: target lesions are ${baseline.component} (the assessed component)`, { field: 'component' });
        const targets = state.lesions.filter((l) => l.role === 'target').length;
        if (targets >= baseline.criteria.maxTargetLesions) {
          throw new IllegalStateError('TOO_MANY_TARGET_LESIONS', `role: at most ${baseline.criteria.maxTargetLesions} target lesions (RANO 2.0); follow this one as non-target`, { field: 'role' });
        }
      }
      const outside = d.outsideRadiationField === undefined || d.outsideRadiationField === null ? null : d.outsideRadiationField;
      if (outside !== null && typeof outside !== 'boolean') throw new ValidationError('INPUT_INVALID', 'outsideRadiationField: expected true, false or null', { field: 'outsideRadiationField' });
      return [{ type: 'LesionIdentified', data: { trialId, subjectId, lesionId, timepointId, role, component, outsideRadiationField: role === 'new' ? outside : null } }];
    }
    case 'RecordLesionMeasurement': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const baseline = requireBaseline(state);
      const timepointId = requireId('timepointId', d.timepointId);
      const tp = requireTimepoint(state, timepointId);
      const lesion = requireLesion(state, requireId('lesionId', d.lesionId));
      const identifiedDay = state.timepoints[lesion.timepointId]!.studyDay;
      if (tp.studyDay < identifiedDay) throw new ValidationError('LESION_NOT_YET_IDENTIFIED', `timepointId: lesion ${lesion.lesionId} was identified at ${lesion.timepointId}, after ${timepointId}`, { field: 'timepointId' });
      if (lesion.role === 'non-target' && timepointId !== baseline.timepointId) {
        // RANO 2010: non-target lesions are assessed qualitatively (AssessNonTargetLesion).
        throw new ValidationError('NON_TARGET_NOT_MEASURED', `lesionId: ${lesion.lesionId} is a non-target lesion; record its status instead`, { field: 'lesionId' });
      }
      const readerId = requireId('actor', ctx.actor);
      const longestDiameterMm = requireFiniteNumber('longestDiameterMm', d.longestDiameterMm, { min: 0, max: MAX_DIAMETER_MM });
      const perpendicularDiameterMm = requireFiniteNumber('perpendicularDiameterMm', d.perpendicularDiameterMm, { min: 0, max: MAX_DIAMETER_MM });
      if (perpendicularDiameterMm > longestDiameterMm) {
        throw new ValidationError('PERPENDICULAR_EXCEEDS_LONGEST', `perpendicularDiameterMm: ${perpendicularDiameterMm} mm exceeds the longest diameter ${longestDiameterMm} mm`, { field: 'perpendicularDiameterMm' });
      }
      const volumeMm3 = d.volumeMm3 === undefined || d.volumeMm3 === null ? null : requireFiniteNumber('volumeMm3', d.volumeMm3, { min: 0, max: 5e6 });
      if (baseline.method === 'volumetric' && lesion.role === 'target' && volumeMm3 === null) {
        throw new ValidationError('VOLUME_REQUIRED', `volumeMm3: subject ${subjectId} is assessed volumetrically; a target measurement needs its volume`, { field: 'volumeMm3' });
      }
      const sliceThicknessMm = d.sliceThicknessMm === undefined || d.sliceThicknessMm === null ? null : requireFiniteNumber('sliceThicknessMm', d.sliceThicknessMm, { min: 0.1, max: 20 });
      const imageId = requireId('imageId', d.imageId);
      if (!tp.imageIds.includes(imageId)) throw new ValidationError('IMAGE_NOT_IN_TIMEPOINT', `imageId: image ${imageId} is not one of the images of timepoint ${timepointId}`, { field: 'imageId' });
      let segmentationId: string | null = null;
      let maskVersionId: string | null = null;
      if (d.segmentationId !== undefined && d.segmentationId !== null) {
        segmentationId = requireId('segmentationId', d.segmentationId);
        maskVersionId = requireId('maskVersionId', d.maskVersionId);
        const seg = ctx.facts.segmentation;
        if (!seg || seg.segmentationId !== segmentationId) throw new NotFoundError(`segmentationId: segmentation ${segmentationId} is not recorded`, { field: 'segmentationId' });
        if (seg.imageId !== imageId || seg.subjectId !== subjectId) {
          throw new ValidationError('MASK_OF_OTHER_IMAGE', `segmentationId: segmentation ${segmentationId} is of image ${seg.imageId ?? '?'}, not ${imageId}`, { field: 'segmentationId' });
        }
        if (!seg.versions[maskVersionId]) throw new NotFoundError(`maskVersionId: segmentation ${segmentationId} has no version ${maskVersionId}`, { field: 'maskVersionId' });
      } else if (d.maskVersionId !== undefined && d.maskVersionId !== null) {
        throw new ValidationError('REQUIRED', 'segmentationId: a mask version needs its segmentation', { field: 'segmentationId' });
      }
      const existing = state.measurements[recordKey(timepointId, lesion.lesionId, readerId)] !== undefined;
      const reason = optionalReason(existing, d.reason, `${readerId}'s measurement of ${lesion.lesionId} at ${timepointId}`);
      return [
        {
          type: 'LesionMeasured',
          data: { trialId, subjectId, timepointId, lesionId: lesion.lesionId, readerId, longestDiameterMm, perpendicularDiameterMm, volumeMm3, sliceThicknessMm, imageId, segmentationId, maskVersionId, reason },
        },
      ];
    }
    case 'AssessNonTargetLesion': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      requireBaseline(state);
      const timepointId = requireId('timepointId', d.timepointId);
      requireTimepoint(state, timepointId);
      const lesion = requireLesion(state, requireId('lesionId', d.lesionId));
      if (lesion.role !== 'non-target') throw new ValidationError('NOT_A_NON_TARGET_LESION', `lesionId: ${lesion.lesionId} is a ${lesion.role} lesion; measure it instead`, { field: 'lesionId' });
      const readerId = requireId('actor', ctx.actor);
      const status = requireOneOf('status', d.status, NON_TARGET_STATUSES);
      const existing = state.nonTargetCalls[recordKey(timepointId, lesion.lesionId, readerId)] !== undefined;
      const reason = optionalReason(existing, d.reason, `${readerId}'s status of ${lesion.lesionId} at ${timepointId}`);
      return [{ type: 'NonTargetLesionAssessed', data: { trialId, subjectId, timepointId, lesionId: lesion.lesionId, readerId, status, reason } }];
    }
    case 'RecordClinicalStatus': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const timepointId = requireId('timepointId', d.timepointId);
      requireTimepoint(state, timepointId);
      const dexamethasoneMgPerDay = requireFiniteNumber('dexamethasoneMgPerDay', d.dexamethasoneMgPerDay, { min: 0, max: 100 });
      const physiologicReplacementOnly = d.physiologicReplacementOnly ?? false;
      if (typeof physiologicReplacementOnly !== 'boolean') throw new ValidationError('INPUT_INVALID', 'physiologicReplacementOnly: expected true or false', { field: 'physiologicReplacementOnly' });
      const status = requireOneOf('status', d.status, CLINICAL_STATUSES);
      let deteriorationCause = null;
      if (status === 'deteriorated') deteriorationCause = requireOneOf('deteriorationCause', d.deteriorationCause, DETERIORATION_CAUSES);
      else if (d.deteriorationCause !== undefined && d.deteriorationCause !== null) {
        throw new ValidationError('INPUT_INVALID', `deteriorationCause: only for status deteriorated, status is ${status}`, { field: 'deteriorationCause' });
      }
      const reason = optionalReason(state.clinical[timepointId] !== undefined, d.reason, `the clinical status at ${timepointId}`);
      return [{ type: 'ClinicalStatusRecorded', data: { trialId, subjectId, timepointId, dexamethasoneMgPerDay, physiologicReplacementOnly, status, deteriorationCause, reason } }];
    }
    case 'AssessTimepointResponse': {
      const d = command.data;
      const { trialId, subjectId } = requireSubject(state, d);
      const baseline = requireBaseline(state);
      const timepointId = requireId('timepointId', d.timepointId);
      const tp = requireTimepoint(state, timepointId);
      const baseDay = state.timepoints[baseline.timepointId]!.studyDay;
      if (tp.studyDay <= baseDay) throw new ValidationError('TIMEPOINT_NOT_FOLLOW_UP', `timepointId: ${timepointId} is not after the baseline ${baseline.timepointId}`, { field: 'timepointId' });
      const readerId = requireId('readerId', d.readerId ?? ctx.actor);
      const earlier = Object.values(state.timepoints).filter((t) => t.studyDay > baseDay && t.studyDay < tp.studyDay && !state.assessed[`${t.timepointId}|${readerId}`]);
      if (earlier.length > 0) {
        throw new IllegalStateError('ASSESSMENT_OUT_OF_ORDER', `timepointId: assess ${earlier.map((t) => t.timepointId).join(', ')} for ${readerId} first (progression is measured from the nadir)`, { field: 'timepointId' });
      }
      const reason = optionalReason(state.assessed[`${timepointId}|${readerId}`] === true, d.reason, `${readerId}'s assessment of ${timepointId}`);
      const derivation = deriveResponse(state, readerId, { upToTimepointId: timepointId }).timepoints.find((t) => t.timepointId === timepointId);
      if (!derivation) throw new IllegalStateError('NOT_DERIVABLE', `timepointId: ${timepointId} could not be derived`, { field: 'timepointId' });
      return [
        {
          type: 'TimepointResponseAssessed',
          data: {
            trialId,
            subjectId,
            timepointId,
            readerId,
            category: derivation.category,
            confirmation: derivation.confirmation,
            targetSum: derivation.targetSum,
            baselineSum: derivation.baselineSum,
            nadirSum: derivation.nadirSum,
            rules: derivation.steps.map((s) => s.rule),
            resolves: derivation.resolves,
            progressionStudyDay: derivation.progressionStudyDay,
            reason,
          },
        },
      ];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: ResponseAssessmentState, event: ResponseAssessmentEvent): ResponseAssessmentState {
  switch (event.type) {
    case 'ResponseTimepointRecorded': {
      const d = event.data;
      return { ...state, trialId: d.trialId, subjectId: d.subjectId, timepoints: { ...state.timepoints, [d.timepointId]: { timepointId: d.timepointId, studyDay: d.studyDay, imageIds: d.imageIds } } };
    }
    case 'ResponseBaselineDesignated': {
      const d = event.data;
      return { ...state, baseline: { timepointId: d.timepointId, kind: d.kind, radiotherapyEndStudyDay: d.radiotherapyEndStudyDay, component: d.component, method: d.method, criteria: d.criteria } };
    }
    case 'LesionIdentified': {
      const d = event.data;
      return { ...state, lesions: [...state.lesions, { lesionId: d.lesionId, timepointId: d.timepointId, role: d.role, component: d.component, outsideRadiationField: d.outsideRadiationField }] };
    }
    case 'LesionMeasured': {
      const d = event.data;
      const m = {
        timepointId: d.timepointId,
        lesionId: d.lesionId,
        readerId: d.readerId,
        longestDiameterMm: d.longestDiameterMm,
        perpendicularDiameterMm: d.perpendicularDiameterMm,
        volumeMm3: d.volumeMm3,
        sliceThicknessMm: d.sliceThicknessMm,
        imageId: d.imageId,
        segmentationId: d.segmentationId,
        maskVersionId: d.maskVersionId,
      };
      return { ...state, measurements: { ...state.measurements, [recordKey(d.timepointId, d.lesionId, d.readerId)]: m } };
    }
    case 'NonTargetLesionAssessed': {
      const d = event.data;
      return { ...state, nonTargetCalls: { ...state.nonTargetCalls, [recordKey(d.timepointId, d.lesionId, d.readerId)]: d.status } };
    }
    case 'ClinicalStatusRecorded': {
      const d = event.data;
      return {
        ...state,
        clinical: { ...state.clinical, [d.timepointId]: { timepointId: d.timepointId, dexamethasoneMgPerDay: d.dexamethasoneMgPerDay, physiologicReplacementOnly: d.physiologicReplacementOnly, status: d.status, deteriorationCause: d.deteriorationCause } },
      };
    }
    case 'TimepointResponseAssessed':
      return { ...state, assessed: { ...state.assessed, [`${event.data.timepointId}|${event.data.readerId}`]: true } };
    default:
      return ignoreUnknown(state, event);
  }
}

export const responseAssessmentDecider = { decide, evolve, initialState };
