import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client.js';

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p className="error" role="alert">
      {code ? <strong>{code}: </strong> : null}
      {message}
    </p>
  );
}

export function Hash({ value, length = 16 }: { value?: string | null; length?: number }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <code title={value} className="hash">
      {value.length > length ? `${value.slice(0, length)}…` : value}
    </code>
  );
}

export function when(iso?: string | null): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Runs a GraphQL read when its inputs change; `reload` runs it again. */
export function useQuery<T>(run: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Verdict({ ok, label }: { ok: boolean | null; label: string }) {
  if (ok === null) return <span className="verdict neutral">{label}: not checked</span>;
  return <span className={`verdict ${ok ? 'pass' : 'fail'}`}>{`${label}: ${ok ? 'PASS' : 'FAIL'}`}</span>;
}

/** An audit-trail entry as both audit pages show it. */
export interface AuditEntryCellsProps {
  globalPosition: number | string;
  eventId: string;
  eventType: string;
  recordedAt: string | null;
  actor: string | null;
  actorName: string | null;
  role: string | null;
  reason: string | null;
  summary: string;
}

/** One audit-trail entry as the audit trail and the saved reviews fetch it. */
export interface AuditEntryRow extends AuditEntryCellsProps {
  globalPosition: number;
  eventHash: string;
  siteId: string | null;
  subjectId: string | null;
}

/** The shared cells of an audit row: position (linking to its inclusion proof), when, who, what, why. */
export function AuditEntryCells({ e }: { e: AuditEntryCellsProps }) {
  return (
    <>
      <td>
        <a href={`#/ledger?event=${encodeURIComponent(e.eventId)}`} title="Inclusion proof">
          {e.globalPosition}
        </a>
      </td>
      <td>{when(e.recordedAt)}</td>
      <td>
        {e.actorName ?? e.actor ?? '—'} <small className="muted">{e.role ?? ''}</small>
      </td>
      <td>
        <strong>{e.eventType}</strong> {e.summary}
      </td>
      <td>{e.reason ?? ''}</td>
    </>
  );
}
