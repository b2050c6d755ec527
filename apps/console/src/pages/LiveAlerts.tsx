/** Live alerts for monitors: filled in by the GraphQL subscription (graphql-ws). */
export function LiveAlerts({ trialId }: { trialId: string }) {
  return (
    <section aria-labelledby="alerts-h" className="card">
      <h2 id="alerts-h">Live alerts</h2>
      <p className="muted small">Deviations, refused decisions, locks and retirements of {trialId} appear here as they are recorded.</p>
    </section>
  );
}
