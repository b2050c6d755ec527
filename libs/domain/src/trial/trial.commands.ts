import type { Command } from '../shared/decider.js';
import type { NumericRange } from '../shared/guards.js';
import type { ImagingModality } from '../imaging/imaging-modality.js';

export type RegisterTrial = Command<'RegisterTrial', { trialId: string; title: string; sponsor: string; phase?: string; blinded?: boolean }>;
export type EnrollSite = Command<'EnrollSite', { trialId: string; siteId: string; name: string }>;
/** `subjectId` is the trial pseudonym, never a name, date or hospital number. */
export type EnrollSubject = Command<'EnrollSubject', { trialId: string; siteId: string; subjectId: string }>;
export type DefineImagingProtocol = Command<
  'DefineImagingProtocol',
  {
    trialId: string;
    protocolId: string;
    modality: ImagingModality;
    fieldStrengthT?: number;
    trMs?: NumericRange;
    teMs?: NumericRange;
    contrast?: { agent?: string; injectionRateMlPerS: NumericRange; delayS: NumericRange };
  }
>;

export type TrialCommand = RegisterTrial | EnrollSite | EnrollSubject | DefineImagingProtocol;
