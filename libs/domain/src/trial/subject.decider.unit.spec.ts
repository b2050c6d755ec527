import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../shared/decider.js';
import { subjectDecider, subjectSite } from './subject.decider.js';
import { trialDecider } from './trial.decider.js';
import type { TrialEvent } from './trial.events.js';

const spec = deciderSpec(subjectDecider);
const registered: TrialEvent = { type: 'TrialRegistered', data: { trialId: 'T1', title: 'Glioma', sponsor: 'S', phase: null, blinded: false } };
const site: TrialEvent = { type: 'SiteEnrolled', data: { trialId: 'T1', siteId: 'SITE-A', name: 'A' } };
const ok = { type: 'EnrollSubject' as const, data: { trialId: 'T1', siteId: 'SITE-A', subjectId: 'T1-A-001' } };
const enrolled: TrialEvent = { type: 'SubjectEnrolled', data: ok.data };
const trialOf = (events: TrialEvent[]) => ({ trial: fold(trialDecider, events) });

test('EnrollSubject: a registered trial, an enrolled site, a pseudonym, once', () => {
  spec.given().withFacts(trialOf([registered, site])).when(ok).then([enrolled]);
  spec.given().withFacts(trialOf([])).when(ok).thenThrows('NOT_FOUND', 'trialId');
  spec.given().withFacts(trialOf([registered])).when(ok).thenThrows('NOT_FOUND', 'siteId');
  spec.given([enrolled]).withFacts(trialOf([registered, site])).when(ok).thenThrows('SUBJECT_ALREADY_ENROLLED', 'subjectId');
  for (const phi of ['DOE^JANE', 'John Smith', 'Smith, John', '19750412', '1975-04-12', '00123456', 'jane.doe', 'MRN 4455']) {
    spec.given().withFacts(trialOf([registered, site])).when({ type: 'EnrollSubject', data: { ...ok.data, subjectId: phi } }).thenThrows('PHI_REJECTED', 'subjectId');
  }
});

test('a subject enrolled on the trial stream by an older ledger is still enrolled, at its site', () => {
  const legacyTrial = trialOf([registered, site, enrolled]);
  spec.given().withFacts(legacyTrial).when(ok).thenThrows('SUBJECT_ALREADY_ENROLLED', 'subjectId');
  assert.equal(subjectSite(undefined, legacyTrial.trial, 'T1-A-001'), 'SITE-A');
  assert.equal(subjectSite(undefined, legacyTrial.trial, 'T1-A-002'), null);
  const own = fold(subjectDecider, [enrolled]);
  assert.equal(subjectSite(own, fold(trialDecider, [registered, site]), 'T1-A-001'), 'SITE-A');
  // A subject stream of another trial never answers for this one.
  assert.equal(subjectSite({ ...own, trialId: 'T2' }, fold(trialDecider, [registered, site]), 'T1-A-001'), null);
});

test('EnrollSubject at a site closed to enrolment is SITE_ENROLMENT_CLOSED; another site still enrols', () => {
  const closed: TrialEvent = { type: 'SiteEnrolmentClosed', data: { trialId: 'T1', siteId: 'SITE-A', reason: 'Recruitment target reached' } };
  const siteB: TrialEvent = { type: 'SiteEnrolled', data: { trialId: 'T1', siteId: 'SITE-B', name: 'B' } };
  spec.given().withFacts(trialOf([registered, site, siteB, closed])).when(ok).thenThrows('SITE_ENROLMENT_CLOSED', 'siteId');
  const atB = { type: 'EnrollSubject' as const, data: { trialId: 'T1', siteId: 'SITE-B', subjectId: 'T1-B-001' } };
  spec.given().withFacts(trialOf([registered, site, siteB, closed])).when(atB).then([{ type: 'SubjectEnrolled', data: atB.data }]);
});
