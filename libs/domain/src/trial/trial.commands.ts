import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';

export const RegisterTrialInput = S.obj({
  trialId: S.id(),
  title: S.text(300),
  sponsor: S.text(300),
  phase: S.optional(S.label(50)),
  blinded: S.optional(S.bool('Blinded trial: monitors never see what the model decided.')),
});
export const EnrollSiteInput = S.obj({ trialId: S.id(), siteId: S.id(), name: S.text(300) });
export const EnrollSubjectInput = S.obj({ trialId: S.id(), siteId: S.id(), subjectId: S.pseudonym() });
export const CloseSiteEnrolmentInput = S.obj({ trialId: S.id(), siteId: S.id(), reason: S.optional(S.reason()) });
export const DefineImagingProtocolInput = S.obj({
  trialId: S.id(),
  protocolId: S.id(),
  modality: S.oneOf(IMAGING_MODALITIES),
  fieldStrengthT: S.optional(S.num()),
  trMs: S.optional(S.range()),
  teMs: S.optional(S.range()),
  contrast: S.optional(S.obj({ agent: S.optional(S.text(100)), injectionRateMlPerS: S.range(), delayS: S.range() })),
});

export type RegisterTrial = Command<'RegisterTrial', Static<typeof RegisterTrialInput>>;
export type EnrollSite = Command<'EnrollSite', Static<typeof EnrollSiteInput>>;
/** `subjectId` is the trial pseudonym, never a name, date or hospital number. */
export type EnrollSubject = Command<'EnrollSubject', Static<typeof EnrollSubjectInput>>;
export type DefineImagingProtocol = Command<'DefineImagingProtocol', Static<typeof DefineImagingProtocolInput>>;
/** The site enrols no more subjects; what its subjects do goes on (their images, segmentations, decisions). */
export type CloseSiteEnrolment = Command<'CloseSiteEnrolment', Static<typeof CloseSiteEnrolmentInput>>;

export type TrialCommand = RegisterTrial | EnrollSite | EnrollSubject | DefineImagingProtocol | CloseSiteEnrolment;
