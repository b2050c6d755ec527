import { useState, type FormEvent } from 'react';
import { graphql } from '../api/client.js';
import { COMPLIANCE, EXPORT_DOSSIER } from '../api/documents.js';
import { ErrorNote, Hash, useQuery, when } from './common.js';
import { modelVersionsOf, type ComplianceData } from './MonitorPage.js';

interface DossierData {
  exportDossier: {
    trialId: string;
    modelVersion: string | null;
    downloadUrl: string;
    downloadExpiresAt: string;
    sha256: string;
    bytes: number;
    eventCount: number;
    decisionCount: number;
    publicKey: string;
    checkpoint: { origin: string; treeSize: number; rootHash: string; issuedAt: string; reused: boolean };
    verification: { ok: boolean; checks: Array<{ check: string; status: string; detail: string; failures: string[] | null }> };
    checklists: {
      filledFromLedger: number;
      forPeople: number;
      items: ChecklistItem[];
      rqs: { ledgerScore: number; possibleMin: number; possibleMax: number; maximum: number; ledgerPercent: number };
    };
  };
}

interface ChecklistItem {
  checklist: string;
  item: string;
  title: string;
  status: string;
  evidence: string | null;
  evidenceTruncated: boolean;
  sourceEventIds: string[];
  sourceEventCount: number;
  why: string | null;
  score: { points: number | null; min: number; max: number; remainderForPeople: string | null } | null;
}

/** The items grouped by checklist, in the order the bundle lists them. */
function byChecklist(items: ChecklistItem[]): Array<{ checklist: string; items: ChecklistItem[]; filled: number; forPeople: number }> {
  const groups = new Map<string, ChecklistItem[]>();
  for (const i of items) groups.set(i.checklist, [...(groups.get(i.checklist) ?? []), i]);
  return [...groups].map(([checklist, list]) => ({ checklist, items: list, filled: list.filter((i) => i.status === 'filled-from-ledger').length, forPeople: list.filter((i) => i.status !== 'filled-from-ledger').length }));
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function Evidence({ item }: { item: ChecklistItem }) {
  if (item.status !== 'filled-from-ledger') return <span className="muted">For people: {item.why ?? 'not recorded in the ledger'}</span>;
  const text = item.evidence ?? '';
  const sources =
    item.sourceEventCount > 0 ? (
      <span className="small muted">
        {' '}
        from {item.sourceEventCount} event{item.sourceEventCount === 1 ? '' : 's'}
        {item.sourceEventIds[0] ? (
          <>
            {', first '}
            <a href={`#/ledger?event=${encodeURIComponent(item.sourceEventIds[0])}`} title="Inclusion proof of the first source event">
              {item.sourceEventIds[0].slice(0, 8)}…
            </a>
          </>
        ) : null}
      </span>
    ) : null;
  return (
    <>
      {text.length <= 240 ? (
        <code className="evidence">{text}</code>
      ) : (
        <details>
          <summary>
            <code className="evidence">{text.slice(0, 200)}…</code>
          </summary>
          <pre className="evidence">{text}</pre>
          {item.evidenceTruncated ? <p className="small muted">Cut here: checklists.json in the bundle holds it whole.</p> : null}
        </details>
      )}
      {sources}
    </>
  );
}

function Checklists({ checklists }: { checklists: DossierData['exportDossier']['checklists'] }) {
  return (
    <section aria-labelledby="checklists-h" data-testid="dossier-checklists">
      <h2 id="checklists-h">Reporting checklists</h2>
      <p data-testid="checklist-totals">
        {checklists.items.length} items: {checklists.filledFromLedger} with evidence from the ledger, {checklists.forPeople} left for people. RQS from the ledger {checklists.rqs.ledgerScore} of {checklists.rqs.maximum} ({checklists.rqs.ledgerPercent.toFixed(1)} %); once people score their items {checklists.rqs.possibleMin} to {checklists.rqs.possibleMax}.
      </p>
      {byChecklist(checklists.items).map((g) => (
        <section key={g.checklist} className="checklist" data-testid={`checklist-${slug(g.checklist)}`} aria-labelledby={`checklist-${slug(g.checklist)}-h`}>
          <h3 id={`checklist-${slug(g.checklist)}-h`}>
            {g.checklist}{' '}
            <span className="muted small" data-testid="checklist-counts">
              {g.filled} with evidence, {g.forPeople} left for people
            </span>
          </h3>
          <table>
            <caption className="sr-only">{g.checklist} items</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Status</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((i) => (
                <tr key={i.item} data-status={i.status}>
                  <td>
                    {i.title} <small className="muted">{i.item}</small>
                    {i.score ? <small className="muted"> · RQS {i.score.points ?? '?'} ({i.score.min} to {i.score.max}){i.score.remainderForPeople ? `; for people: ${i.score.remainderForPeople}` : ''}</small> : null}
                  </td>
                  <td>
                    <span className={`verdict ${i.status === 'filled-from-ledger' ? 'pass' : 'neutral'}`}>{i.status === 'filled-from-ledger' ? 'filled' : 'for people'}</span>
                  </td>
                  <td>
                    <Evidence item={i} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

export function RegulatoryPage({ trialId }: { trialId: string }) {
  const [modelVersion, setModelVersion] = useState('');
  const [reason, setReason] = useState('Regulatory submission package');
  const [result, setResult] = useState<DossierData['exportDossier']>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const locks = useQuery(async () => {
    const c = await graphql<ComplianceData>(COMPLIANCE, { trialId });
    return modelVersionsOf(c.lockedAlgorithmCompliance);
  }, [trialId]);

  async function exportNow(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const variables: Record<string, unknown> = { trialId, options: { reason } };
      if (modelVersion.trim()) variables['modelVersion'] = modelVersion.trim();
      const data = await graphql<DossierData>(EXPORT_DOSSIER, variables);
      setResult(data.exportDossier);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Regulatory dossier</h1>
      <p className="muted">Everything behind the trial's decisions, provably unaltered: exported, verified offline on the server, ready to download.</p>
      <form className="row controls" onSubmit={exportNow} aria-label="Export a dossier">
        <label>
          Model version (optional: &lt;modelId&gt;@&lt;version&gt;)
          <input value={modelVersion} onChange={(e) => setModelVersion(e.target.value)} size={28} />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} size={36} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Exporting…' : `Export dossier of ${trialId}`}
        </button>
      </form>
      {busy ? (
        <p role="status" className="progress">
          <progress aria-label="Export in progress" /> Assembling the bundle, proving every event against a signed checkpoint and verifying it…
        </p>
      ) : null}
      <ErrorNote error={error} />
      {result ? (
        <section aria-labelledby="result-h" className="card" data-testid="dossier-result">
          <h2 id="result-h">
            Verification verdict:{' '}
            <span className={`verdict ${result.verification.ok ? 'pass' : 'fail'}`} data-testid="dossier-verdict">
              {result.verification.ok ? 'PASS' : 'FAIL'}
            </span>
          </h2>
          <p>
            {result.eventCount} events, {result.decisionCount} decisions, {(result.bytes / 1024).toFixed(0)} KiB; checkpoint of {result.checkpoint.treeSize} events ({result.checkpoint.origin}), {when(result.checkpoint.issuedAt)}.
          </p>
          <p>
            <a href={result.downloadUrl} download data-testid="dossier-download">
              Download the dossier (.zip)
            </a>{' '}
            <span className="muted small">link for you only, until {when(result.downloadExpiresAt)}; sha256 <Hash value={result.sha256} length={64} /></span>
          </p>
          <p className="small">
            Check it yourself: <code>radledger verify-dossier &lt;file.zip&gt; --public-key '{result.publicKey}'</code>
          </p>
          <table data-testid="dossier-checks">
            <caption>Checklist: every check of the offline verifier</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {result.verification.checks.map((c) => (
                <tr key={c.check}>
                  <td>{c.check}</td>
                  <td>
                    <span className={`verdict ${c.status === 'PASS' ? 'pass' : c.status === 'WARN' ? 'neutral' : 'fail'}`}>{c.status}</span>
                  </td>
                  <td>
                    {c.detail}
                    {c.failures && c.failures.length > 0 ? <ul>{c.failures.map((f) => <li key={f}>{f}</li>)}</ul> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {result ? <Checklists checklists={result.checklists} /> : null}
      <section aria-labelledby="locks-h">
        <h2 id="locks-h">Model lock cards</h2>
        <ErrorNote error={locks.error} />
        <div className="cards" data-testid="lock-cards">
          {(locks.data ?? []).map((m) => {
            const lock = m.locks.find((l) => l.trialId === trialId && l.current) ?? m.locks.find((l) => l.trialId === trialId);
            return (
              <article key={m.id} className="card">
                <h3>{m.id}</h3>
                <p>{lock ? `${lock.current ? 'Locked' : 'Was locked'} ${when(lock.lockedAt)} by ${lock.lockedBy ?? '—'}` : 'Not locked in this trial'}{m.retiredAt ? `; retired ${when(m.retiredAt)}` : ''}</p>
                <p className="small">
                  ONNX sha256 <Hash value={m.artifactSha256} length={20} />
                </p>
                {m.intendedUse ? <p className="small">{m.intendedUse}</p> : null}
                <ul className="small">
                  {m.signatures.map((s) => (
                    <li key={s.signatureId}>
                      {s.meaning} — {s.printedName}, {when(s.signedAt)}
                    </li>
                  ))}
                </ul>
              </article>
            );
          })}
        </div>
      </section>
    </>
  );
}
