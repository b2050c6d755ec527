import { useState, type FormEvent } from 'react';
import { downloadText, graphql } from '../api/client.js';
import { RECENT_EVENTS } from '../api/documents.js';
import { AuditEntryCells, ErrorNote, Hash, useQuery, type AuditEntryRow } from './common.js';

type Entry = AuditEntryRow;
interface AuditData {
  auditTrail: { edges: Array<{ cursor: string; node: Entry }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface Filter {
  subjectId: string;
  siteId: string;
  actor: string;
  types: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { subjectId: '', siteId: '', actor: '', types: '', from: '', to: '' };
const PAGE = 25;

function toInput(trialId: string, f: Filter): Record<string, unknown> {
  const input: Record<string, unknown> = { trialId };
  if (f.subjectId.trim()) input['subjectId'] = f.subjectId.trim();
  if (f.siteId.trim()) input['siteId'] = f.siteId.trim();
  if (f.actor.trim()) input['actor'] = f.actor.trim();
  const types = f.types.split(',').map((t) => t.trim()).filter(Boolean);
  if (types.length > 0) input['types'] = types;
  if (f.from) input['from'] = new Date(f.from).toISOString();
  if (f.to) input['to'] = new Date(f.to).toISOString();
  return input;
}

export function AuditTrailPage({ trialId }: { trialId: string }) {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  // Cursors of the pages seen so far: "Previous" goes back one, "Next" forward (Relay paging, first/after).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1];
  const page = useQuery(() => graphql<AuditData>(RECENT_EVENTS, { filter: toInput(trialId, filter), first: PAGE, ...(after ? { after } : {}) }), [trialId, filter, after]);
  const field = (name: keyof Filter, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
    </label>
  );
  const rows = page.data?.auditTrail.edges ?? [];

  return (
    <>
      <h1>Audit trail</h1>
      <p className="muted">Who did what, when and why, in ledger order (21 CFR 11.10(e)). Trial {trialId}.</p>
      <form
        className="row controls"
        aria-label="Filter the audit trail"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setFilter(draft);
          setCursors([null]);
        }}
      >
        {field('subjectId', 'Subject')}
        {field('siteId', 'Site')}
        {field('actor', 'User id')}
        {field('types', 'Event types (comma-separated)')}
        {field('from', 'From', 'datetime-local')}
        {field('to', 'To', 'datetime-local')}
        <button type="submit">Apply filters</button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY);
            setFilter(EMPTY);
            setCursors([null]);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorNote error={page.error} />
      <table data-testid="audit-table">
        <caption className="sr-only">Audit trail entries</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Recorded (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Why</th>
            <th scope="col">Site / subject</th>
            <th scope="col">Event hash</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node: e }) => (
            <tr key={e.eventId}>
              <AuditEntryCells e={e} />
              <td>
                {e.siteId ?? ''} {e.subjectId ?? ''}
              </td>
              <td>
                <Hash value={e.eventHash} length={12} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.loading ? <p>Loading…</p> : rows.length === 0 ? <p>No entries match.</p> : null}
      <p className="row pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <span data-testid="audit-page">Page {cursors.length}</span>
        <button type="button" disabled={!page.data?.auditTrail.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, page.data!.auditTrail.pageInfo.endCursor])}>
          Next page
        </button>
        <button
          type="button"
          disabled={rows.length === 0}
          onClick={() =>
            downloadText(
              `audit-trail-${trialId}-page-${cursors.length}.csv`,
              ['position,recorded_at,actor,role,event_type,summary,reason,site,subject,event_id,event_hash']
                .concat(rows.map(({ node: e }) => [e.globalPosition, e.recordedAt, e.actor, e.role, e.eventType, e.summary, e.reason, e.siteId, e.subjectId, e.eventId, e.eventHash].map((v) => `"${String(v ?? '').replace(/"/g, '""')}"`).join(',')))
                .join('\r\n'),
              'text/csv',
            )
          }
        >
          Export this page as CSV
        </button>
      </p>
    </>
  );
}
