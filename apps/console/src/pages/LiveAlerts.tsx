import { useEffect, useState } from 'react';
import { createClient } from 'graphql-ws';
import { loadSession } from '../api/client.js';
import { MONITOR_ALERTS } from '../api/documents.js';
import { when } from './common.js';

interface Alert {
  alertId: string;
  kind: string;
  siteId: string | null;
  subjectId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  code: string | null;
  message: string;
  eventId: string | null;
  globalPosition: number | null;
  at: string;
}

const LABELS: Record<string, string> = {
  PROTOCOL_DEVIATION: 'Protocol deviation',
  DECISION_REFUSED: 'Decision refused',
  MODEL_LOCKED: 'Model locked',
  MODEL_RETIRED: 'Model retired',
  VERIFICATION_FAILED: 'Ledger verification failed',
  WITNESS_FORK: 'A witness refuses a checkpoint as a rewritten history',
};

/**
 * Live alerts for monitors: the `monitorAlerts` subscription over graphql-ws on the API's own
 * /graphql (same origin, the session's bearer token as connection parameter).
 */
export function LiveAlerts({ trialId, onAlert }: { trialId: string; onAlert?: (kind: string) => void }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'closed'>('connecting');
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const session = loadSession();
    if (!session) return;
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
    // A client replaced by a newer one (another trial, a remount) no longer sets the state.
    let current = true;
    const client = createClient({
      url,
      connectionParams: { authorization: `Bearer ${session.token}` },
      // A monitor leaves the page open: reconnect after a lost socket or a server restart, for as
      // long as the page shows (graphql-ws waits longer between attempts each time). A refusal
      // (FORBIDDEN, UNAUTHENTICATED) ends the subscription through `error`, not through a retry.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      on: {
        connecting: () => current && setState('connecting'),
        connected: () => current && setState('live'),
        closed: () => current && setState('closed'),
      },
    });
    const stop = client.subscribe<{ monitorAlerts: Alert }>(
      { query: MONITOR_ALERTS, variables: { trialId } },
      {
        next: (message) => {
          if (!current) return;
          if (message.errors?.[0]) setProblem(message.errors[0].message);
          const alert = message.data?.monitorAlerts;
          if (alert) {
            setAlerts((list) => [alert, ...list].slice(0, 50));
            onAlert?.(alert.kind);
          }
        },
        error: (error: unknown) => {
          if (!current) return;
          setProblem(Array.isArray(error) ? String((error[0] as { message?: string })?.message) : 'the alert connection was closed');
          setState('closed');
        },
        complete: () => current && setState('closed'),
      },
    );
    return () => {
      current = false;
      stop();
      void client.dispose();
    };
    // onAlert is read when an alert arrives; a new callback does not reconnect.
  }, [trialId]);

  return (
    <section aria-labelledby="alerts-h" className="card" data-testid="live-alerts">
      <h2 id="alerts-h">
        Live alerts <small className={`verdict ${state === 'live' ? 'pass' : 'neutral'}`} data-testid="alerts-state">{state}</small>
      </h2>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {alerts.length === 0 ? (
        <p className="muted small">Deviations, refused decisions, locks, retirements and verification failures of {trialId} appear here as they are recorded.</p>
      ) : (
        <ul className="alerts" aria-live="polite">
          {alerts.map((a) => (
            <li key={a.alertId}>
              <strong>{LABELS[a.kind] ?? a.kind}</strong> {a.siteId ? `· ${a.siteId}` : ''} {a.code ? <code>{a.code}</code> : null} — {a.message}{' '}
              <span className="muted small">{when(a.at)}</span>{' '}
              {a.eventId ? <a href={`#/ledger?event=${encodeURIComponent(a.eventId)}`}>proof</a> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
