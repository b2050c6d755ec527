import { ROLES } from '../shared/access-scope.js';
import { defineCommand, defineQuery, exposeCommand } from '../shared/operation.js';
import { S } from '../shared/schema.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from './trial.decider.js';
import { subjectDecider } from './subject.decider.js';
import { CloseSiteEnrolmentInput, DefineImagingProtocolInput, EnrollSiteInput, EnrollSubjectInput, RegisterTrialInput } from './trial.commands.js';

const trialStream = (d: { trialId: string }) => streamIds.trial(d.trialId);

export const RegisterTrialCommand = defineCommand({ type: 'RegisterTrial', context: 'trial', input: RegisterTrialInput, decider: trialDecider, stream: trialStream });
export const EnrollSiteCommand = defineCommand({ type: 'EnrollSite', context: 'trial', input: EnrollSiteInput, decider: trialDecider, stream: trialStream });
export const EnrollSubjectCommand = defineCommand({
  type: 'EnrollSubject',
  context: 'trial',
  input: EnrollSubjectInput,
  decider: subjectDecider,
  stream: (d) => streamIds.subject(d.trialId, d.subjectId),
  facts: async (d, _own, read) => ({ trial: (await read.load(streamIds.trial(d.trialId), trialDecider)).state }),
});
export const DefineImagingProtocolCommand = defineCommand({ type: 'DefineImagingProtocol', context: 'trial', input: DefineImagingProtocolInput, decider: trialDecider, stream: trialStream });
export const CloseSiteEnrolmentCommand = defineCommand({ type: 'CloseSiteEnrolment', context: 'trial', input: CloseSiteEnrolmentInput, decider: trialDecider, stream: trialStream });

export const trialCommands = [RegisterTrialCommand, EnrollSiteCommand, EnrollSubjectCommand, DefineImagingProtocolCommand, CloseSiteEnrolmentCommand] as const;

export const trialOperations = [
  exposeCommand(RegisterTrialCommand, { description: 'Register a clinical trial (global admin).', access: { roles: ['admin'], scope: { kind: 'global' } } }),
  exposeCommand(EnrollSiteCommand, {
    description: "Enrol a site in a trial (the trial's admin).",
    access: { roles: ['admin'], scope: { kind: 'input', trial: (d) => d.trialId } },
  }),
  exposeCommand(EnrollSubjectCommand, {
    description: 'Enrol a subject (pseudonym only) at a site.',
    access: { roles: ['site-operator', 'admin'], scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId } },
  }),
  exposeCommand(DefineImagingProtocolCommand, {
    description: "Define the trial's imaging protocol for one modality.",
    access: { roles: ['admin', 'data-scientist'], scope: { kind: 'input', trial: (d) => d.trialId } },
  }),
  exposeCommand(CloseSiteEnrolmentCommand, {
    description: "Close a site to enrolment (the trial's admin; a reason is required). Its subjects' work goes on; new enrolments there are SITE_ENROLMENT_CLOSED.",
    access: { roles: ['admin'], scope: { kind: 'input', trial: (d) => d.trialId } },
  }),
  defineQuery({
    field: 'trialSites',
    context: 'trial',
    description: "The trial's sites and whether each still enrols (site staff see their own site).",
    input: S.obj({ trialId: S.gid(), siteId: S.optional(S.gid()) }),
    access: { roles: ROLES, scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId }, match: 'any' },
    result: 'rows',
  }),
] as const;
