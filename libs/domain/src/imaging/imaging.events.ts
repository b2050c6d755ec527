import type { DomainEvent } from '../shared/decider.js';
import type { ImagingModality } from './imaging-modality.js';

export interface ImageAcquiredData {
  imageId: string;
  trialId: string;
  siteId: string;
  subjectId: string;
  modality: ImagingModality;
  scanner: { vendor: string; model: string };
  fieldStrengthT: number;
  trMs: number;
  teMs: number;
  /** Added in schema v2; v1 events are upcast with `null` = "not recorded". */
  sliceThicknessMm: number | null;
  contrast: { agent: string; injectionRateMlPerS: number; delayS: number } | null;
  artifactSha256: string;
  studyUidHash: string | null;
  seriesUidHash: string | null;
  /** The protocol in force when the acquisition was recorded, if the trial defines one for the modality. */
  protocolId: string | null;
}
export type ImageAcquired = DomainEvent<'ImageAcquired', ImageAcquiredData>;

export interface ProtocolDeviation {
  field: 'fieldStrengthT' | 'trMs' | 'teMs' | 'contrast' | 'contrast.injectionRateMlPerS' | 'contrast.delayS';
  expected: string;
  actual: string;
}
export type ProtocolDeviationDetected = DomainEvent<'ProtocolDeviationDetected', { imageId: string; trialId: string; siteId: string; protocolId: string; deviations: ProtocolDeviation[] }>;
export type PreprocessingApplied = DomainEvent<
  'PreprocessingApplied',
  { imageId: string; stepId: string; tool: string; toolVersion: string; parameters: Record<string, unknown>; inputSha256: string; outputSha256: string }
>;

export type ImagingEvent = ImageAcquired | ProtocolDeviationDetected | PreprocessingApplied;
