import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireFiniteNumber, requireId, requireOneOf, requireRange, requireReason, requireText } from '../shared/guards.js';
import { findPhiInIdentifier } from '../phi/phi-detector.js';
import { PhiRejectedError } from '../phi/phi-rejected.error.js';
import { IMAGING_MODALITIES, type ImagingModality } from '../imaging/imaging-modality.js';
import type { TrialCommand } from './trial.commands.js';
import type { ImagingProtocol, TrialEvent } from './trial.events.js';

export interface TrialState {
  trialId: string | null;
  title: string | null;
  blinded: boolean;
  sites: Readonly<Record<string, { name: string; enrolmentClosed?: boolean }>>;
  subjects: Readonly<Record<string, { siteId: string }>>;
  protocols: Readonly<Partial<Record<ImagingModality, ImagingProtocol>>>;
}

export type TrialFacts = Record<string, never>;

/** FDA/EMA contrast timing guidance used by the issue: 2–5 ml/s, 60–120 s. Protocols may narrow it. */
export const CONTRAST_INJECTION_RATE_LIMITS = { min: 2, max: 5 } as const;
export const CONTRAST_DELAY_LIMITS = { min: 60, max: 120 } as const;

export function initialState(): TrialState {
  return { trialId: null, title: null, blinded: false, sites: {}, subjects: {}, protocols: {} };
}

function requireRegistered(state: TrialState, trialId: string): void {
  if (state.trialId === null) throw new NotFoundError(`trialId: trial ${trialId} is not registered`, { field: 'trialId', trialId });
}

/** A subject id must be a pseudonym: refused before it is even checked for format, so a name never reaches an error message. */
export function requirePseudonym(field: string, value: unknown): string {
  if (typeof value === 'string') {
    const finding = findPhiInIdentifier(value);
    if (finding) throw new PhiRejectedError(field, finding);
  }
  return requireId(field, value);
}

function within(outer: { min: number; max: number }, inner: { min: number; max: number }): boolean {
  return inner.min >= outer.min && inner.max <= outer.max;
}

/** The trial's own stream: registration, sites and protocols. Subjects have streams of their own (subject.decider.ts). */
export type TrialStreamCommand = Exclude<TrialCommand, { type: 'EnrollSubject' }>;

export function decide(command: TrialStreamCommand, state: TrialState, ctx: CommandContext<TrialFacts>): TrialEvent[] {
  switch (command.type) {
    case 'RegisterTrial': {
      const d = command.data;
      const trialId = requireId('trialId', d.trialId);
      if (state.trialId !== null) throw new IllegalStateError('TRIAL_ALREADY_REGISTERED', `trialId: trial ${trialId} is already registered`, { field: 'trialId' });
      return [
        {
          type: 'TrialRegistered',
          data: { trialId, title: requireText('title', d.title, 300), sponsor: requireText('sponsor', d.sponsor, 300), phase: d.phase ?? null, blinded: d.blinded ?? false },
        },
      ];
    }
    case 'EnrollSite': {
      const d = command.data;
      const trialId = requireId('trialId', d.trialId);
      requireRegistered(state, trialId);
      const siteId = requireId('siteId', d.siteId);
      if (state.sites[siteId]) throw new IllegalStateError('SITE_ALREADY_ENROLLED', `siteId: site ${siteId} is already enrolled in trial ${trialId}`, { field: 'siteId' });
      return [{ type: 'SiteEnrolled', data: { trialId, siteId, name: requireText('name', d.name, 300) } }];
    }
    case 'CloseSiteEnrolment': {
      const d = command.data;
      const trialId = requireId('trialId', d.trialId);
      requireRegistered(state, trialId);
      const siteId = requireId('siteId', d.siteId);
      const site = state.sites[siteId];
      if (!site) throw new NotFoundError(`siteId: site ${siteId} is not enrolled in trial ${trialId}`, { field: 'siteId' });
      if (site.enrolmentClosed) throw new IllegalStateError('SITE_ENROLMENT_CLOSED', `siteId: site ${siteId} is already closed to enrolment`, { field: 'siteId' });
      return [{ type: 'SiteEnrolmentClosed', data: { trialId, siteId, reason: requireReason('reason', d.reason ?? ctx.reason) } }];
    }
    case 'DefineImagingProtocol': {
      const d = command.data;
      const trialId = requireId('trialId', d.trialId);
      requireRegistered(state, trialId);
      const protocol: ImagingProtocol = {
        protocolId: requireId('protocolId', d.protocolId),
        modality: requireOneOf('modality', d.modality, IMAGING_MODALITIES),
        fieldStrengthT: d.fieldStrengthT === undefined || d.fieldStrengthT === null ? null : requireFiniteNumber('fieldStrengthT', d.fieldStrengthT, { min: 0.1, max: 11.7 }),
        trMs: d.trMs ? requireRange('trMs', d.trMs) : null,
        teMs: d.teMs ? requireRange('teMs', d.teMs) : null,
        contrast: null,
      };
      if (d.contrast) {
        const injectionRateMlPerS = requireRange('contrast.injectionRateMlPerS', d.contrast.injectionRateMlPerS);
        const delayS = requireRange('contrast.delayS', d.contrast.delayS);
        if (!within(CONTRAST_INJECTION_RATE_LIMITS, injectionRateMlPerS)) {
          throw new ValidationError('OUT_OF_RANGE', `contrast.injectionRateMlPerS: expected a range within 2–5 ml/s, got ${injectionRateMlPerS.min}–${injectionRateMlPerS.max}`, { field: 'contrast.injectionRateMlPerS' });
        }
        if (!within(CONTRAST_DELAY_LIMITS, delayS)) {
          throw new ValidationError('OUT_OF_RANGE', `contrast.delayS: expected a range within 60–120 s, got ${delayS.min}–${delayS.max}`, { field: 'contrast.delayS' });
        }
        protocol.contrast = { agent: d.contrast.agent ? requireText('contrast.agent', d.contrast.agent, 100) : null, injectionRateMlPerS, delayS };
      }
      return [{ type: 'ImagingProtocolDefined', data: { trialId, ...protocol } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: TrialState, event: TrialEvent): TrialState {
  switch (event.type) {
    case 'TrialRegistered':
      return { ...state, trialId: event.data.trialId, title: event.data.title, blinded: event.data.blinded };
    case 'SiteEnrolled':
      return { ...state, sites: { ...state.sites, [event.data.siteId]: { name: event.data.name } } };
    case 'SiteEnrolmentClosed': {
      const site = state.sites[event.data.siteId];
      return site ? { ...state, sites: { ...state.sites, [event.data.siteId]: { ...site, enrolmentClosed: true } } } : state;
    }
    case 'SubjectEnrolled': // ledgers written before subjects had streams of their own
      return { ...state, subjects: { ...state.subjects, [event.data.subjectId]: { siteId: event.data.siteId } } };
    case 'ImagingProtocolDefined': {
      const { trialId: _t, ...protocol } = event.data;
      return { ...state, protocols: { ...state.protocols, [protocol.modality]: protocol } };
    }
    default:
      return ignoreUnknown(state, event);
  }
}

export const trialDecider = { decide, evolve, initialState };
