import { loadDemoTrial, type DemoTrialSummary } from '@radledger/demo';
import { ProjectionRunner } from '@radledger/projections';
import type { RecordedEvent } from '@radledger/ledger';
import type { RoleGrant } from '@radledger/domain';
import { startTestApi, type TestApi } from './api-test-harness.js';

export const TRIAL = 'GLIO-RAD-01';
export const OTHER_TRIAL = 'OTHER-01';
export const OWN_SITE = 'SITE-BER';
export const OTHER_SITE = 'SITE-BOS';

const OPERATOR = { actor: 'test-operator', role: 'admin', correlationId: 'fixture', client: 'radledger-test' };

/** Records of the demo trial at SITE-BER (and one at SITE-BOS), found in the ledger, for access tests. */
export interface TrialRecords {
  subjectId: string;
  imageId: string;
  imageEventId: string;
  imageArtifactSha256: string;
  imageSha256: string;
  segmentationId: string;
  maskVersionId: string;
  maskSha256: string;
  featureSetId: string;
  decisionId: string;
  decisionNodeId: string;
  modelId: string;
  modelVersion: string;
  /** A decision at the other site. */
  otherSiteDecisionId: string;
}

export interface TwoTrialApi {
  api: TestApi;
  demo: DemoTrialSummary;
  records: TrialRecords;
  events: () => Promise<RecordedEvent[]>;
  caughtUp: () => Promise<void>;
}

/**
 * A real API on SQLite with the demo trial GLIO-RAD-01 (three sites, images, masks, features,
 * locked models, decisions) and a second trial OTHER-01 with one site and no records, so a
 * caller can be scoped to this trial, this site, another site or another trial.
 */
export async function startTwoTrialApi(env: Record<string, string> = {}): Promise<TwoTrialApi> {
  // Many logins from one test client: the per-address login limit is not what these tests are about.
  const api = await startTestApi('sqlite', { RADLEDGER_LOGIN_RATE_LIMIT: '10000', ...env });
  const runtime = api.application.runtime;
  const demo = (await loadDemoTrial(runtime)) as DemoTrialSummary;
  await runtime.commands.execute({ type: 'RegisterTrial', data: { trialId: OTHER_TRIAL, title: 'Another trial', sponsor: 'Another sponsor' } }, OPERATOR);
  await runtime.commands.execute({ type: 'EnrollSite', data: { trialId: OTHER_TRIAL, siteId: 'SITE-OTH', name: 'Other site' } }, OPERATOR);
  const runner = api.app.get(ProjectionRunner);
  await runner.caughtUp();
  const events = async () => {
    const out: RecordedEvent[] = [];
    for (let from = 0; ; from += 1000) {
      const page = await runtime.store.readAll(from, 1000);
      out.push(...page);
      if (page.length < 1000) return out;
    }
  };
  const all = await events();
  const data = (e: RecordedEvent) => e.data as Record<string, unknown>;
  const decision = all.find((e) => e.type === 'ModelDecisionMade' && data(e)['siteId'] === OWN_SITE)!;
  const d = data(decision);
  const featureSet = all.find((e) => e.type === 'FeaturesComputed' && data(e)['featureSetId'] === d['featureSetId'])!;
  const f = data(featureSet);
  const image = all.find((e) => e.type === 'ImageAcquired' && data(e)['imageId'] === f['imageId'])!;
  const otherDecision = all.find((e) => e.type === 'ModelDecisionMade' && data(e)['siteId'] === OTHER_SITE)!;
  return {
    api,
    demo,
    events,
    caughtUp: () => runner.caughtUp(),
    records: {
      subjectId: String(d['subjectId']),
      imageId: String(f['imageId']),
      imageEventId: image.eventId,
      imageArtifactSha256: String(data(image)['artifactSha256']),
      imageSha256: String(f['imageSha256']),
      segmentationId: String(f['segmentationId']),
      maskVersionId: String(f['maskVersionId']),
      maskSha256: String(f['maskSha256']),
      featureSetId: String(d['featureSetId']),
      decisionId: String(d['decisionId']),
      decisionNodeId: `decision:${String(d['decisionId'])}`,
      modelId: String(d['modelId']),
      modelVersion: String(d['modelVersion']),
      otherSiteDecisionId: String(data(otherDecision)['decisionId']),
    },
  };
}

/** Where a caller's grant sits relative to the records above. */
export const SCOPES = ['global', 'trial', 'own-site', 'other-site', 'other-trial'] as const;
export type ScopeLabel = (typeof SCOPES)[number];

export function grantAt(role: RoleGrant['role'], scope: ScopeLabel): RoleGrant {
  switch (scope) {
    case 'global':
      return { role };
    case 'trial':
      return { role, trialId: TRIAL };
    case 'own-site':
      return { role, trialId: TRIAL, siteId: OWN_SITE };
    case 'other-site':
      return { role, trialId: TRIAL, siteId: OTHER_SITE };
    case 'other-trial':
      return { role, trialId: OTHER_TRIAL };
  }
}
