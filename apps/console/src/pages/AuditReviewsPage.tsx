import { useEffect, useState, type FormEvent } from 'react';
import { graphql } from '../api/client.js';
import { COMPLETE_AUDIT_REVIEW, COMPLETED_AUDIT_REVIEWS, REVIEW_EDITS_AFTER_LOCK, REVIEW_OUTSIDE_SITE_HOURS, REVIEW_UNUSUAL_VOLUME, SIGN_RECORD } from '../api/documents.js';
import { AuditEntryCells, ErrorNote, Hash, useQuery, when, type AuditEntryRow } from './common.js';

type QueryName = 'editsAfterLock' | 'actionsOutsideSiteHours' | 'unusualVolumePerUser';

const SAVED: ReadonlyArray<{ name: QueryName; title: string }> = [
  { name: 'editsAfterLock', title: "Edits and corrections after the trial's first model lock" },
  { name: 'actionsOutsideSiteHours', title: 'Actions outside site hours or at weekends' },
  { name: 'unusualVolumePerUser', title: 'User-days with unusually many actions' },
];

type EntryRow = AuditEntryRow;
interface VolumeRow {
  actor: string;
  actorName: string | null;
  day: string;
  events: number;
  medianPerUserDay: number;
}
interface ReviewResult {
  query: string;
  parametersJson: string;
  resultSha256: string;
  truncated: boolean;
  rows: Array<EntryRow | VolumeRow>;
}

interface CompletedReview {
  reviewId: string;
  queryName: string | null;
  parametersJson: string | null;
  resultSha256: string | null;
  conclusion: string | null;
  reviewer: string | null;
  event: { eventId: string; globalPosition: number; recordedAt: string | null; hash: string };
  signatures: Array<{ signatureId: string; signerId: string | null; printedName: string | null; meaning: string | null; signedAt: string | null; signedEventHash: string | null }>;
}

interface Params {
  startHourUtc: number;
  endHourUtc: number;
  includeWeekends: boolean;
  factor: number;
  minEvents: number;
}
const DEFAULTS: Params = { startHourUtc: 7, endHourUtc: 19, includeWeekends: true, factor: 3, minEvents: 20 };

/** The arguments a saved query runs with (and a completed review names), as the API names them. */
function argumentsOf(name: QueryName, p: Params): Record<string, unknown> | undefined {
  if (name === 'actionsOutsideSiteHours') return { startHourUtc: p.startHourUtc, endHourUtc: p.endHourUtc, includeWeekends: p.includeWeekends };
  if (name === 'unusualVolumePerUser') return { factor: p.factor, minEvents: p.minEvents };
  return undefined;
}

async function runSaved(trialId: string, name: QueryName, p: Params): Promise<ReviewResult> {
  if (name === 'editsAfterLock') return (await graphql<{ editsAfterLock: ReviewResult }>(REVIEW_EDITS_AFTER_LOCK, { trialId })).editsAfterLock;
  if (name === 'actionsOutsideSiteHours') return (await graphql<{ actionsOutsideSiteHours: ReviewResult }>(REVIEW_OUTSIDE_SITE_HOURS, { trialId, ...argumentsOf(name, p) })).actionsOutsideSiteHours;
  return (await graphql<{ unusualVolumePerUser: ReviewResult }>(REVIEW_UNUSUAL_VOLUME, { trialId, ...argumentsOf(name, p) })).unusualVolumePerUser;
}

const isVolume = (r: EntryRow | VolumeRow): r is VolumeRow => 'day' in r;

/**
 * Saved audit reviews (QA): run a saved query, read its rows, record the review as completed
 * (bound to the result's sha256: refused if the query now answers something else) and sign the
 * recorded event with the password re-entered (21 CFR 11.50, 11.200(a)(1)); then the completed
 * reviews of the trial with their signatures.
 */
export function AuditReviewsPage({ trialId, canComplete }: { trialId: string; canComplete: boolean }) {
  const [name, setName] = useState<QueryName>('editsAfterLock');
  const [params, setParams] = useState<Params>(DEFAULTS);
  const [ran, setRan] = useState<{ name: QueryName; params: Params; result: ReviewResult }>();
  const [runError, setRunError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const [conclusion, setConclusion] = useState('');
  const [password, setPassword] = useState('');
  const [unsigned, setUnsigned] = useState<{ eventId: string; streamId: string }>();
  const [signError, setSignError] = useState<unknown>();
  const [signing, setSigning] = useState(false);
  const [done, setDone] = useState<string>();
  const completed = useQuery(() => graphql<{ completedAuditReviews: CompletedReview[] }>(COMPLETED_AUDIT_REVIEWS, { trialId }), [trialId]);
  // The list is a read model: a signature just recorded shows once the projection has applied it.
  // After signing, ask again (every 250 ms, for up to 30 s) until the signed review lists it.
  const [awaiting, setAwaiting] = useState<{ eventId: string; until: number }>();
  const { data: completedData, reload: reloadCompleted } = completed;
  useEffect(() => {
    if (!awaiting || !completedData) return;
    const review = completedData.completedAuditReviews.find((r) => r.event.eventId === awaiting.eventId);
    if ((review && review.signatures.length > 0) || Date.now() > awaiting.until) {
      setAwaiting(undefined);
      return;
    }
    const timer = setTimeout(reloadCompleted, 250);
    return () => clearTimeout(timer);
  }, [awaiting, completedData, reloadCompleted]);

  async function run(e: FormEvent) {
    e.preventDefault();
    setRunning(true);
    setRunError(undefined);
    setRan(undefined);
    setDone(undefined);
    setUnsigned(undefined);
    try {
      setRan({ name, params, result: await runSaved(trialId, name, params) });
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  }

  async function sign(target: { eventId: string; streamId: string }) {
    await graphql(SIGN_RECORD, { input: { eventId: target.eventId, streamId: target.streamId, meaning: 'reviewed' }, credentials: { password } }, { signing: true });
    setUnsigned(undefined);
    setPassword('');
    setConclusion('');
    setDone(`Review recorded and signed (event ${target.eventId}).`);
    setAwaiting({ eventId: target.eventId, until: Date.now() + 30_000 });
    completed.reload();
  }

  async function complete(e: FormEvent) {
    e.preventDefault();
    if (!ran) return;
    setSigning(true);
    setSignError(undefined);
    try {
      let target = unsigned;
      if (!target) {
        const args = argumentsOf(ran.name, ran.params);
        const answer = await graphql<{ completeAuditReview: { streamId: string; events: Array<{ eventId: string }> } }>(COMPLETE_AUDIT_REVIEW, {
          input: { trialId, queryName: ran.name, resultSha256: ran.result.resultSha256, conclusion, ...(args ? { arguments: args } : {}) },
        });
        target = { eventId: answer.completeAuditReview.events[0]!.eventId, streamId: answer.completeAuditReview.streamId };
        // Recorded; the signature follows. If it is refused (a mistyped password), signing again signs this event.
        setUnsigned(target);
        completed.reload();
      }
      await sign(target);
    } catch (err) {
      setSignError(err);
    } finally {
      setSigning(false);
    }
  }

  const rows = ran?.result.rows ?? [];
  return (
    <>
      <h1>Audit reviews</h1>
      <p className="muted">Saved queries over the audit trail of {trialId}: run one, review what it finds, record the review as completed and sign it.</p>
      <form className="row controls" onSubmit={run} aria-label="Run a saved review query">
        <label>
          Saved query
          <select value={name} onChange={(e) => setName(e.target.value as QueryName)}>
            {SAVED.map((q) => (
              <option key={q.name} value={q.name}>
                {q.title}
              </option>
            ))}
          </select>
        </label>
        {name === 'actionsOutsideSiteHours' ? (
          <>
            <label>
              Site hours from (UTC)
              <input type="number" min={0} max={24} value={params.startHourUtc} onChange={(e) => setParams({ ...params, startHourUtc: Number(e.target.value) })} />
            </label>
            <label>
              until (UTC)
              <input type="number" min={0} max={24} value={params.endHourUtc} onChange={(e) => setParams({ ...params, endHourUtc: Number(e.target.value) })} />
            </label>
            <label>
              <input type="checkbox" checked={params.includeWeekends} onChange={(e) => setParams({ ...params, includeWeekends: e.target.checked })} /> Weekends count as outside
            </label>
          </>
        ) : null}
        {name === 'unusualVolumePerUser' ? (
          <>
            <label>
              Times the median
              <input type="number" min={1} step={0.5} value={params.factor} onChange={(e) => setParams({ ...params, factor: Number(e.target.value) })} />
            </label>
            <label>
              At least (actions a day)
              <input type="number" min={1} value={params.minEvents} onChange={(e) => setParams({ ...params, minEvents: Number(e.target.value) })} />
            </label>
          </>
        ) : null}
        <button type="submit" disabled={running}>
          {running ? 'Running…' : 'Run query'}
        </button>
      </form>
      <ErrorNote error={runError} />
      {ran ? (
        <section aria-labelledby="review-result-h" className="card" data-testid="review-result">
          <h2 id="review-result-h">
            {SAVED.find((q) => q.name === ran.name)!.title}: <span data-testid="review-row-count">{rows.length}</span> {rows.length === 1 ? 'row' : 'rows'}
            {ran.result.truncated ? ' (more matched than listed)' : ''}
          </h2>
          <p className="small">
            Result sha256 <Hash value={ran.result.resultSha256} length={64} /> — a completed review is bound to exactly this result.
          </p>
          {rows.length === 0 ? (
            <p>Nothing found.</p>
          ) : (
            <table data-testid="review-rows">
              <caption className="sr-only">Rows of the saved query</caption>
              {isVolume(rows[0]!) ? (
                <>
                  <thead>
                    <tr>
                      <th scope="col">User</th>
                      <th scope="col">Day</th>
                      <th scope="col">Actions</th>
                      <th scope="col">Median per user-day</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(rows as VolumeRow[]).map((r) => (
                      <tr key={`${r.actor} ${r.day}`}>
                        <td>{r.actorName ?? r.actor}</td>
                        <td>{r.day}</td>
                        <td>{r.events}</td>
                        <td>{r.medianPerUserDay}</td>
                      </tr>
                    ))}
                  </tbody>
                </>
              ) : (
                <>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Recorded (UTC)</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(rows as EntryRow[]).map((r) => (
                      <tr key={r.eventId}>
                        <AuditEntryCells e={r} />
                      </tr>
                    ))}
                  </tbody>
                </>
              )}
            </table>
          )}
          {canComplete ? (
            <form onSubmit={complete} aria-label="Complete and sign the review" className="controls">
              <label className="block">
                Conclusion
                <textarea value={conclusion} onChange={(e) => setConclusion(e.target.value)} rows={3} cols={70} required maxLength={2000} disabled={!!unsigned} />
              </label>
              <label>
                Your password (re-entered to sign: 21 CFR 11.200)
                <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
              </label>
              <p className="small muted">Signature meaning: reviewed.</p>
              <button type="submit" disabled={signing}>
                {signing ? 'Signing…' : unsigned ? 'Sign the recorded review' : 'Complete and sign review'}
              </button>
            </form>
          ) : (
            <p className="muted small">Reviews are completed and signed by QA and regulatory affairs.</p>
          )}
          {unsigned ? <p className="small">The review is recorded (event {unsigned.eventId}) but not yet signed.</p> : null}
          <ErrorNote error={signError} />
          {done ? (
            <p role="status" data-testid="review-done">
              {done}
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="completed-h">
        <h2 id="completed-h">Completed reviews</h2>
        <ErrorNote error={completed.error} />
        {completed.data && completed.data.completedAuditReviews.length === 0 ? <p>No review of this trial is recorded yet.</p> : null}
        {completed.data && completed.data.completedAuditReviews.length > 0 ? (
          <table data-testid="completed-reviews">
            <caption className="sr-only">Completed audit reviews with their signatures</caption>
            <thead>
              <tr>
                <th scope="col">Recorded (UTC)</th>
                <th scope="col">Query</th>
                <th scope="col">Conclusion</th>
                <th scope="col">Reviewer</th>
                <th scope="col">Signatures</th>
                <th scope="col">Result sha256</th>
              </tr>
            </thead>
            <tbody>
              {completed.data.completedAuditReviews.map((r) => (
                <tr key={r.reviewId}>
                  <td>
                    <a href={`#/ledger?event=${encodeURIComponent(r.event.eventId)}`} title="Inclusion proof">
                      {when(r.event.recordedAt)}
                    </a>
                  </td>
                  <td>
                    {r.queryName ?? '—'} {r.parametersJson && r.parametersJson !== '{}' ? <small className="muted">{r.parametersJson}</small> : null}
                  </td>
                  <td>{r.conclusion ?? ''}</td>
                  <td>{r.reviewer ?? '—'}</td>
                  <td>
                    {r.signatures.length === 0 ? (
                      <span className="verdict neutral">unsigned</span>
                    ) : (
                      <ul className="small">
                        {r.signatures.map((s) => (
                          <li key={s.signatureId}>
                            {s.meaning} — {s.printedName ?? s.signerId}, {when(s.signedAt)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <Hash value={r.resultSha256} length={12} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}
