import { test } from 'node:test';
import { deciderSpec } from '../testing/decider-spec.js';
import { trialDecider } from './trial.decider.js';
import type { TrialEvent } from './trial.events.js';

const spec = deciderSpec(trialDecider);
const registered: TrialEvent = { type: 'TrialRegistered', data: { trialId: 'T1', title: 'Glioma', sponsor: 'S', phase: null, blinded: false } };
const site: TrialEvent = { type: 'SiteEnrolled', data: { trialId: 'T1', siteId: 'SITE-A', name: 'A' } };

test('RegisterTrial records the trial; twice is refused', () => {
  spec.given().when({ type: 'RegisterTrial', data: { trialId: 'T1', title: 'Glioma', sponsor: 'S' } }).then([registered]);
  spec.given([registered]).when({ type: 'RegisterTrial', data: { trialId: 'T1', title: 'Glioma', sponsor: 'S' } }).thenThrows('TRIAL_ALREADY_REGISTERED', 'trialId');
});

test('EnrollSite needs a registered trial and a new site', () => {
  spec.given().when({ type: 'EnrollSite', data: { trialId: 'T1', siteId: 'SITE-A', name: 'A' } }).thenThrows('NOT_FOUND', 'trialId');
  spec.given([registered]).when({ type: 'EnrollSite', data: { trialId: 'T1', siteId: 'SITE-A', name: 'A' } }).then([site]);
  spec.given([registered, site]).when({ type: 'EnrollSite', data: { trialId: 'T1', siteId: 'SITE-A', name: 'A' } }).thenThrows('SITE_ALREADY_ENROLLED');
});

test('CloseSiteEnrolment: an enrolled site, once, with a reason (PHI-free)', () => {
  const close = (reason?: string) => ({ type: 'CloseSiteEnrolment' as const, data: { trialId: 'T1', siteId: 'SITE-A', ...(reason === undefined ? {} : { reason }) } });
  const closed: TrialEvent = { type: 'SiteEnrolmentClosed', data: { trialId: 'T1', siteId: 'SITE-A', reason: 'Recruitment target reached' } };
  spec.given([registered, site]).when(close('Recruitment target reached')).then([closed]);
  spec.given([registered, site]).when(close()).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([registered, site]).when(close('   ')).thenThrows('REASON_REQUIRED', 'reason');
  spec.given([registered, site]).when(close('Closed after patient John Smith born 12.04.1975 withdrew')).thenThrows('PHI_REJECTED', 'reason');
  spec.given([registered]).when(close('r')).thenThrows('NOT_FOUND', 'siteId');
  spec.given([registered, site, closed]).when(close('again')).thenThrows('SITE_ENROLMENT_CLOSED', 'siteId');
});

test('DefineImagingProtocol keeps contrast timing within 2–5 ml/s and 60–120 s', () => {
  const base = { trialId: 'T1', protocolId: 'P1', modality: 'T1c' as const, fieldStrengthT: 3, contrast: { injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } } };
  spec.given([registered]).when({ type: 'DefineImagingProtocol', data: base }).thenEvents((e) => {
    if (e[0]!.type !== 'ImagingProtocolDefined' || e[0]!.data.contrast?.delayS.max !== 120) throw new Error('protocol not recorded');
  });
  spec.given([registered]).when({ type: 'DefineImagingProtocol', data: { ...base, contrast: { ...base.contrast, injectionRateMlPerS: { min: 1, max: 5 } } } }).thenThrows('OUT_OF_RANGE', 'contrast.injectionRateMlPerS');
  spec.given([registered]).when({ type: 'DefineImagingProtocol', data: { ...base, contrast: { ...base.contrast, delayS: { min: 60, max: 200 } } } }).thenThrows('OUT_OF_RANGE', 'contrast.delayS');
  spec.given([registered]).when({ type: 'DefineImagingProtocol', data: { ...base, trMs: { min: 900, max: 100 } } }).thenThrows('INVALID_RANGE', 'trMs');
  spec.given().when({ type: 'DefineImagingProtocol', data: base }).thenThrows('NOT_FOUND');
});
