import type { DemoTrialSummary } from './load-demo-trial.js';

export interface DemoExampleQuery {
  title: string;
  /** A GraphQL document that runs as printed against apps/api (no variables). */
  query: string;
}

/**
 * The three questions the start-up log shows a new user, filled with ids from the demo:
 * where a decision came from (lineage), who did what to one subject (audit trail), and
 * whether every decision came from the locked algorithm (compliance).
 */
export function demoExampleQueries(summary: {
  trialId: string;
  example: Pick<DemoTrialSummary['example'], 'decisionId' | 'subjectId' | 'modelId' | 'modelVersion'>;
}): DemoExampleQuery[] {
  const { trialId, example } = summary;
  return [
    {
      title: `Lineage of decision ${example.decisionId} (${example.modelId} v${example.modelVersion} on ${example.subjectId})`,
      query: `{ lineage(id: "decision:${example.decisionId}", direction: UPSTREAM, maxDepth: 8) { root { id kind type label } nodes { id kind type label } edges { relation from to } complete } }`,
    },
    {
      title: `Audit trail of subject ${example.subjectId}: who did what, when and why`,
      query: `{ auditTrail(filter: { trialId: "${trialId}", subjectId: "${example.subjectId}" }, first: 50) { edges { node { globalPosition eventType actorName role reason recordedAt summary } } pageInfo { hasNextPage endCursor } } }`,
    },
    {
      title: `Locked-algorithm compliance for trial ${trialId}`,
      query: `{ lockedAlgorithmCompliance(trialId: "${trialId}") { totalDecisions compliantDecisions currentLocks { modelId version artifactSha256 } counts { modelId modelVersion siteId decisions compliant deviations } deviations { decisionId siteId modelId modelVersion reasons } } }`,
    },
  ];
}
