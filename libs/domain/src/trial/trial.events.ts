import type { DomainEvent } from '../shared/decider.js';
import type { NumericRange } from '../shared/guards.js';
import type { ImagingModality } from '../imaging/imaging-modality.js';

export type TrialRegistered = DomainEvent<'TrialRegistered', { trialId: string; title: string; sponsor: string; phase: string | null; blinded: boolean }>;
export type SiteEnrolled = DomainEvent<'SiteEnrolled', { trialId: string; siteId: string; name: string }>;
export type SubjectEnrolled = DomainEvent<'SubjectEnrolled', { trialId: string; siteId: string; subjectId: string }>;

export interface ImagingProtocol {
  protocolId: string;
  modality: ImagingModality;
  /** Tesla; an acquisition must match within ±0.05 T. */
  fieldStrengthT: number | null;
  trMs: NumericRange | null;
  teMs: NumericRange | null;
  contrast: { agent: string | null; injectionRateMlPerS: NumericRange; delayS: NumericRange } | null;
}
/** Re-defining a protocol for a modality supersedes the earlier one from that point on. */
export type ImagingProtocolDefined = DomainEvent<'ImagingProtocolDefined', { trialId: string } & ImagingProtocol>;

export type TrialEvent = TrialRegistered | SiteEnrolled | SubjectEnrolled | ImagingProtocolDefined;
