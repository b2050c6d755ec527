import { defineCommand, exposeCommand } from '../shared/operation.js';
import { streamIds } from '../shared/stream-ids.js';
import { trialDecider } from './trial.decider.js';
import { subjectDecider } from './subject.decider.js';
import { DefineImagingProtocolInput, EnrollSiteInput, EnrollSubjectInput, RegisterTrialInput } from './trial.commands.js';

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

export const trialCommands = [RegisterTrialCommand, EnrollSiteCommand, EnrollSubjectCommand, DefineImagingProtocolCommand] as const;

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
] as const;
