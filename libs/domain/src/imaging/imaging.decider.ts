import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFiniteNumber, requireId, requireOneOf, requireSha256, requireText, type NumericRange } from '../shared/guards.js';
import { requirePseudonym, type TrialState } from '../trial/trial.decider.js';
import { subjectSite, type SubjectState } from '../trial/subject.decider.js';
import type { ImagingProtocol } from '../trial/trial.events.js';
import { IMAGING_MODALITIES, type ImagingModality } from './imaging-modality.js';
import type { ImagingCommand } from './imaging.commands.js';
import type { ImagingEvent, ImageAcquiredData, ProtocolDeviation } from './imaging.events.js';

export interface ImageState {
  imageId: string | null;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  modality: ImagingModality | null;
  /** Every version of the image: the acquired artifact and each preprocessing output. */
  versions: readonly string[];
  deviations: number;
}

export interface ImagingFacts {
  /** The trial stream folded (for AcquireImage). */
  trial?: TrialState;
  /** The subject's own stream folded (for AcquireImage). */
  subject?: SubjectState;
}

/** Field strength tolerance: vendors label 2.89 T systems "3T". */
export const FIELD_STRENGTH_TOLERANCE_T = 0.15;

export function initialState(): ImageState {
  return { imageId: null, trialId: null, siteId: null, subjectId: null, modality: null, versions: [], deviations: 0 };
}

const fmt = (r: NumericRange, unit: string) => `${r.min}–${r.max} ${unit}`;

/** Pure check of one acquisition against the trial's imaging protocol for its modality. */
export function protocolDeviations(protocol: ImagingProtocol, acq: Pick<ImageAcquiredData, 'fieldStrengthT' | 'trMs' | 'teMs' | 'contrast'>): ProtocolDeviation[] {
  const out: ProtocolDeviation[] = [];
  if (protocol.fieldStrengthT !== null && Math.abs(acq.fieldStrengthT - protocol.fieldStrengthT) > FIELD_STRENGTH_TOLERANCE_T) {
    out.push({ field: 'fieldStrengthT', expected: `${protocol.fieldStrengthT} T ± ${FIELD_STRENGTH_TOLERANCE_T}`, actual: `${acq.fieldStrengthT} T` });
  }
  const outside = (r: NumericRange, v: number) => v < r.min || v > r.max;
  if (protocol.trMs && outside(protocol.trMs, acq.trMs)) out.push({ field: 'trMs', expected: fmt(protocol.trMs, 'ms'), actual: `${acq.trMs} ms` });
  if (protocol.teMs && outside(protocol.teMs, acq.teMs)) out.push({ field: 'teMs', expected: fmt(protocol.teMs, 'ms'), actual: `${acq.teMs} ms` });
  if (protocol.contrast) {
    if (!acq.contrast) {
      out.push({ field: 'contrast', expected: 'contrast-enhanced acquisition', actual: 'no contrast recorded' });
    } else {
      if (outside(protocol.contrast.injectionRateMlPerS, acq.contrast.injectionRateMlPerS)) {
        out.push({ field: 'contrast.injectionRateMlPerS', expected: fmt(protocol.contrast.injectionRateMlPerS, 'ml/s'), actual: `${acq.contrast.injectionRateMlPerS} ml/s` });
      }
      if (outside(protocol.contrast.delayS, acq.contrast.delayS)) {
        out.push({ field: 'contrast.delayS', expected: fmt(protocol.contrast.delayS, 's'), actual: `${acq.contrast.delayS} s` });
      }
    }
  }
  return out;
}

function optionalSha(field: string, v: unknown): string | null {
  return v === undefined || v === null ? null : requireSha256(field, v);
}

export function decide(command: ImagingCommand, state: ImageState, ctx: CommandContext<ImagingFacts>): ImagingEvent[] {
  switch (command.type) {
    case 'AcquireImage': {
      const d = command.data;
      const imageId = requireId('imageId', d.imageId);
      if (state.imageId !== null) throw new IllegalStateError('IMAGE_ALREADY_ACQUIRED', `imageId: image ${imageId} is already recorded`, { field: 'imageId' });
      const subjectId = requirePseudonym('subjectId', d.subjectId);
      const trialId = requireId('trialId', d.trialId);
      const siteId = requireId('siteId', d.siteId);
      const trial = ctx.facts.trial;
      if (!trial || trial.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId' });
      if (!trial.sites[siteId]) throw new NotFoundError(`siteId: site ${siteId} is not enrolled in trial ${trialId}`, { field: 'siteId' });
      const subjectSiteId = subjectSite(ctx.facts.subject, trial, subjectId);
      if (subjectSiteId === null) throw new NotFoundError(`subjectId: subject ${subjectId} is not enrolled in trial ${trialId}`, { field: 'subjectId' });
      if (subjectSiteId !== siteId) {
        throw new ValidationError('SUBJECT_SITE_MISMATCH', `siteId: subject ${subjectId} belongs to site ${subjectSiteId}, not ${siteId}`, { field: 'siteId' });
      }
      const modality = requireOneOf('modality', d.modality, IMAGING_MODALITIES);
      if (!d.scanner || typeof d.scanner !== 'object') throw new ValidationError('REQUIRED', 'scanner: expected { vendor, model }', { field: 'scanner' });
      const data: ImageAcquiredData = {
        imageId,
        trialId,
        siteId,
        subjectId,
        modality,
        scanner: { vendor: requireText('scanner.vendor', d.scanner.vendor, 100), model: requireText('scanner.model', d.scanner.model, 100) },
        fieldStrengthT: requireFiniteNumber('fieldStrengthT', d.fieldStrengthT, { min: 0.1, max: 11.7 }),
        trMs: requireFiniteNumber('trMs', d.trMs, { min: 0 }),
        teMs: requireFiniteNumber('teMs', d.teMs, { min: 0 }),
        sliceThicknessMm: requireFiniteNumber('sliceThicknessMm', d.sliceThicknessMm, { min: 0.01, max: 20 }),
        contrast: d.contrast
          ? {
              agent: requireText('contrast.agent', d.contrast.agent, 100),
              injectionRateMlPerS: requireFiniteNumber('contrast.injectionRateMlPerS', d.contrast.injectionRateMlPerS, { min: 0 }),
              delayS: requireFiniteNumber('contrast.delayS', d.contrast.delayS, { min: 0 }),
            }
          : null,
        artifactSha256: requireSha256('artifactSha256', d.artifactSha256),
        studyUidHash: optionalSha('studyUidHash', d.studyUidHash),
        seriesUidHash: optionalSha('seriesUidHash', d.seriesUidHash),
        protocolId: null,
      };
      const protocol = trial.protocols[modality];
      if (!protocol) return [{ type: 'ImageAcquired', data }];
      data.protocolId = protocol.protocolId;
      const deviations = protocolDeviations(protocol, data);
      const acquired: ImagingEvent = { type: 'ImageAcquired', data };
      // A mismatch is recorded beside the acquisition, never silently accepted nor refused: the image exists.
      return deviations.length === 0 ? [acquired] : [acquired, { type: 'ProtocolDeviationDetected', data: { imageId, trialId, siteId, protocolId: protocol.protocolId, deviations } }];
    }
    case 'ApplyPreprocessing': {
      const d = command.data;
      const imageId = requireId('imageId', d.imageId);
      if (state.imageId === null) throw new NotFoundError(`imageId: image ${imageId} does not exist`, { field: 'imageId' });
      const inputSha256 = requireSha256('inputSha256', d.inputSha256);
      const outputSha256 = requireSha256('outputSha256', d.outputSha256);
      if (!state.versions.includes(inputSha256)) {
        throw new NotFoundError(`inputSha256: ${inputSha256} is not a version of image ${imageId}`, { field: 'inputSha256' });
      }
      if (state.versions.includes(outputSha256)) {
        throw new IllegalStateError('PREPROCESSING_NO_CHANGE', `outputSha256: ${outputSha256} is already a version of image ${imageId}`, { field: 'outputSha256' });
      }
      if (d.parameters === null || typeof d.parameters !== 'object' || Array.isArray(d.parameters)) {
        throw new ValidationError('REQUIRED', 'parameters: expected an object of tool parameters', { field: 'parameters' });
      }
      return [
        {
          type: 'PreprocessingApplied',
          data: {
            imageId,
            stepId: requireId('stepId', d.stepId),
            tool: requireText('tool', d.tool, 100),
            toolVersion: requireText('toolVersion', d.toolVersion, 50),
            parameters: d.parameters,
            inputSha256,
            outputSha256,
          },
        },
      ];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: ImageState, event: ImagingEvent): ImageState {
  switch (event.type) {
    case 'ImageAcquired': {
      const d = event.data;
      return { ...state, imageId: d.imageId, trialId: d.trialId, siteId: d.siteId, subjectId: d.subjectId, modality: d.modality, versions: [d.artifactSha256] };
    }
    case 'ProtocolDeviationDetected':
      return { ...state, deviations: state.deviations + 1 };
    case 'PreprocessingApplied':
      return { ...state, versions: [...state.versions, event.data.outputSha256] };
    default:
      return ignoreUnknown(state, event);
  }
}

export const imagingDecider = { decide, evolve, initialState };
