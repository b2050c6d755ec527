import { defineEvent, type EventOf } from '../shared/event.js';
import { S, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';

export const TrialRegisteredEvent = defineEvent(
  'TrialRegistered',
  S.obj({ trialId: S.id(), title: S.text(300), sponsor: S.text(300), phase: S.nullable(S.label(50)), blinded: S.bool() }),
);
export const SiteEnrolledEvent = defineEvent('SiteEnrolled', S.obj({ trialId: S.id(), siteId: S.id(), name: S.text(300) }));
export const SubjectEnrolledEvent = defineEvent('SubjectEnrolled', S.obj({ trialId: S.id(), siteId: S.id(), subjectId: S.id() }));
export const SiteEnrolmentClosedEvent = defineEvent('SiteEnrolmentClosed', S.obj({ trialId: S.id(), siteId: S.id(), reason: S.text(2000) }));

const imagingProtocol = {
  protocolId: S.id(),
  modality: S.oneOf(IMAGING_MODALITIES),
  /** Tesla; an acquisition must match within ±0.05 T. */
  fieldStrengthT: S.nullable(S.num()),
  trMs: S.nullable(S.range()),
  teMs: S.nullable(S.range()),
  contrast: S.nullable(S.obj({ agent: S.nullable(S.text(100)), injectionRateMlPerS: S.range(), delayS: S.range() })),
};
const ImagingProtocolSchema = S.obj(imagingProtocol);
export type ImagingProtocol = Static<typeof ImagingProtocolSchema>;
/** Re-defining a protocol for a modality supersedes the earlier one from that point on. */
export const ImagingProtocolDefinedEvent = defineEvent('ImagingProtocolDefined', S.obj({ trialId: S.id(), ...imagingProtocol }));

export type TrialRegistered = EventOf<typeof TrialRegisteredEvent>;
export type SiteEnrolled = EventOf<typeof SiteEnrolledEvent>;
export type SubjectEnrolled = EventOf<typeof SubjectEnrolledEvent>;
export type ImagingProtocolDefined = EventOf<typeof ImagingProtocolDefinedEvent>;
export type SiteEnrolmentClosed = EventOf<typeof SiteEnrolmentClosedEvent>;

export const trialEvents = [TrialRegisteredEvent, SiteEnrolledEvent, SubjectEnrolledEvent, ImagingProtocolDefinedEvent, SiteEnrolmentClosedEvent] as const;
export type TrialEvent = TrialRegistered | SiteEnrolled | SubjectEnrolled | ImagingProtocolDefined | SiteEnrolmentClosed;
