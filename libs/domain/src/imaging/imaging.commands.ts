import type { Command } from '../shared/decider.js';
import type { ImagingModality } from './imaging-modality.js';

export interface AcquireImageData {
  /** Filled by the CommandService when absent. */
  imageId?: string;
  trialId: string;
  siteId: string;
  subjectId: string;
  modality: ImagingModality;
  scanner: { vendor: string; model: string };
  fieldStrengthT: number;
  trMs: number;
  teMs: number;
  sliceThicknessMm: number;
  contrast?: { agent: string; injectionRateMlPerS: number; delayS: number };
  /** sha256 of the uploaded image artifact (NIfTI/DICOM). */
  artifactSha256: string;
  /** De-identified DICOM UIDs: sha256 of the UID, never the UID itself. */
  studyUidHash?: string;
  seriesUidHash?: string;
}
export type AcquireImage = Command<'AcquireImage', AcquireImageData>;
export type ApplyPreprocessing = Command<
  'ApplyPreprocessing',
  { imageId: string; stepId?: string; tool: string; toolVersion: string; parameters: Record<string, unknown>; inputSha256: string; outputSha256: string }
>;

export type ImagingCommand = AcquireImage | ApplyPreprocessing;
