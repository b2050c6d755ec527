import { useMemo, useState } from 'react';
import { graphql } from '../api/client.js';
import { COMPLIANCE, MODEL_VERSION } from '../api/documents.js';
import { ErrorNote, Hash, useQuery, when } from './common.js';
import { LiveAlerts } from './LiveAlerts.js';

export interface ComplianceData {
  lockedAlgorithmCompliance: {
    trialId: string;
    siteId: string | null;
    totalDecisions: number;
    compliantDecisions: number;
    deviationsTruncated: boolean;
    counts: Array<{ siteId: string | null; modelId: string | null; modelVersion: string | null; decisions: number; compliant: number; deviations: number }>;
    currentLocks: Array<{ modelId: string; version: string; artifactSha256: string | null; lockedAtPosition: number }>;
    deviations: Array<{ decisionId: string; siteId: string | null; subjectId: string | null; modelId: string | null; modelVersion: string | null; lockedVersion: string | null; reasons: string[]; recordedAt: string | null; event: { eventId: string; globalPosition: number } }>;
  };
  protocolDeviations: Array<{ imageId: string | null; siteId: string | null; subjectId: string | null; protocolId: string | null; detectedBy: string | null; deviations: Array<{ field: string; expected: string; actual: string }>; event: { eventId: string; globalPosition: number; recordedAt: string | null } }>;
}

export interface ModelVersionData {
  modelVersion: {
    id: string;
    modelId: string;
    version: string;
    artifactSha256: string | null;
    intendedUse: string | null;
    retiredAt: string | null;
    retiredReason: string | null;
    locks: Array<{ trialId: string; version: string | null; current: boolean; lockedAt: string | null; lockedBy: string | null; supersedesVersion: string | null; artifactSha256: string | null; event: { eventId: string; globalPosition: number } }>;
    signatures: Array<{ signatureId: string; printedName: string | null; meaning: string | null; signedAt: string | null }>;
  };
}

/** Every model version named by the compliance answer, with its lock history (for the timeline and the lock cards). */
export async function modelVersionsOf(c: ComplianceData['lockedAlgorithmCompliance']): Promise<ModelVersionData['modelVersion'][]> {
  const ids = new Set<string>();
  for (const l of c.currentLocks) ids.add(`${l.modelId}@${l.version}`);
  for (const k of c.counts) if (k.modelId && k.modelVersion) ids.add(`${k.modelId}@${k.modelVersion}`);
  const answers = await Promise.all([...ids].sort().map((id) => graphql<ModelVersionData>(MODEL_VERSION, { id }).then((d) => d.modelVersion, () => undefined)));
  return answers.filter((m): m is ModelVersionData['modelVersion'] => m !== undefined);
}

export function MonitorPage({ trialId }: { trialId: string }) {
  const [siteId, setSiteId] = useState('');
  const all = useQuery(() => graphql<ComplianceData>(COMPLIANCE, { trialId }), [trialId]);
  const scoped = useQuery(() => graphql<ComplianceData>(COMPLIANCE, siteId ? { trialId, siteId } : { trialId }), [trialId, siteId]);
  const models = useQuery(async () => (all.data ? modelVersionsOf(all.data.lockedAlgorithmCompliance) : []), [all.data]);
  const sites = useMemo(() => [...new Set((all.data?.lockedAlgorithmCompliance.counts ?? []).map((k) => k.siteId).filter((s): s is string => !!s))].sort(), [all.data]);
  const c = scoped.data?.lockedAlgorithmCompliance;
  const timeline = useMemo(
    () =>
      (models.data ?? [])
        .flatMap((m) => [
          ...m.locks.filter((l) => l.trialId === trialId).map((l) => ({ at: l.lockedAt ?? '', what: `${m.modelId}@${l.version ?? m.version} locked`, by: l.lockedBy, note: l.supersedesVersion ? `supersedes ${l.supersedesVersion}` : '', current: l.current, kind: 'lock' as const })),
          ...(m.retiredAt ? [{ at: m.retiredAt, what: `${m.id} retired`, by: null, note: m.retiredReason ?? '', current: false, kind: 'retire' as const }] : []),
        ])
        .sort((a, b) => a.at.localeCompare(b.at)),
    [models.data, trialId],
  );
  const pct = c && c.totalDecisions > 0 ? ((100 * c.compliantDecisions) / c.totalDecisions).toFixed(1) : '—';

  return (
    <>
      <h1>Locked-algorithm compliance</h1>
      <p className="muted">Did every decision of trial {trialId} come from the locked algorithm, with the locked bytes?</p>
      <LiveAlerts
        trialId={trialId}
        onAlert={() => {
          // What the alert is about is in the read models a moment later: refresh the tables.
          setTimeout(() => {
            all.reload();
            scoped.reload();
          }, 300);
        }}
      />
      <div className="row">
        <label>
          Site
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={scoped.error} />
      {c ? (
        <section aria-labelledby="summary-h">
          <h2 id="summary-h">{siteId || 'All sites'}</h2>
          <p className="kpis" data-testid="compliance-summary">
            <span className="kpi">
              <strong>{c.totalDecisions}</strong> decisions
            </span>
            <span className="kpi">
              <strong>{c.compliantDecisions}</strong> from the locked version ({pct} %)
            </span>
            <span className={`kpi ${c.deviations.length > 0 ? 'bad' : 'good'}`}>
              <strong>{c.deviations.length}</strong> decision deviations
            </span>
          </p>
          <table data-testid="compliance-table">
            <caption>Decisions per site and model version</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Model version</th>
                <th scope="col">Decisions</th>
                <th scope="col">From the locked version</th>
                <th scope="col">Deviations</th>
              </tr>
            </thead>
            <tbody>
              {c.counts.map((k, i) => (
                <tr key={i}>
                  <td>{k.siteId ?? '—'}</td>
                  <td>
                    {k.modelId}@{k.modelVersion}
                  </td>
                  <td>{k.decisions}</td>
                  <td>{k.compliant}</td>
                  <td className={k.deviations > 0 ? 'bad' : ''}>{k.deviations}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.deviations.length > 0 ? (
            <table>
              <caption>Decisions not made by the locked version or bytes</caption>
              <thead>
                <tr>
                  <th scope="col">Decision</th>
                  <th scope="col">Site / subject</th>
                  <th scope="col">Model used</th>
                  <th scope="col">Locked</th>
                  <th scope="col">Why</th>
                  <th scope="col">Recorded</th>
                </tr>
              </thead>
              <tbody>
                {c.deviations.map((d) => (
                  <tr key={d.decisionId}>
                    <td>
                      <a href={`#/qa/lineage?id=${encodeURIComponent(`decision:${d.decisionId}`)}`}>{d.decisionId}</a>
                    </td>
                    <td>
                      {d.siteId} {d.subjectId}
                    </td>
                    <td>
                      {d.modelId}@{d.modelVersion}
                    </td>
                    <td>{d.lockedVersion ?? 'none'}</td>
                    <td>{d.reasons.join('; ')}</td>
                    <td>{when(d.recordedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : scoped.loading ? (
        <p>Loading…</p>
      ) : null}

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Lock timeline</h2>
        <ErrorNote error={models.error} />
        <ol className="timeline" data-testid="lock-timeline">
          {timeline.map((t, i) => (
            <li key={i} className={t.kind}>
              <time>{when(t.at)}</time> <strong>{t.what}</strong> {t.by ? `by ${t.by}` : ''} {t.note} {t.current ? <span className="tag">current</span> : null}
            </li>
          ))}
        </ol>
        {timeline.length === 0 && !models.loading ? <p>No model locked in this trial yet.</p> : null}
        {c && c.currentLocks.length > 0 ? (
          <p className="small">
            Locked now:{' '}
            {c.currentLocks.map((l) => (
              <span key={l.modelId} className="chip">
                {l.modelId}@{l.version} <Hash value={l.artifactSha256} length={10} />
              </span>
            ))}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="protocol-h">
        <h2 id="protocol-h">Protocol deviations</h2>
        <ErrorNote error={all.error} />
        <table data-testid="protocol-deviations">
          <caption className="sr-only">Acquisitions outside the imaging protocol</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Subject</th>
              <th scope="col">Protocol</th>
              <th scope="col">Outside the protocol</th>
              <th scope="col">Recorded</th>
            </tr>
          </thead>
          <tbody>
            {(scoped.data?.protocolDeviations ?? []).filter((p) => !siteId || p.siteId === siteId).map((p) => (
              <tr key={p.event.eventId}>
                <td>{p.siteId}</td>
                <td>{p.subjectId}</td>
                <td>{p.protocolId}</td>
                <td>{p.deviations.map((d) => `${d.field}: ${d.actual} (expected ${d.expected})`).join('; ')}</td>
                <td>
                  <a href={`#/ledger?event=${encodeURIComponent(p.event.eventId)}`}>{when(p.event.recordedAt)}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
