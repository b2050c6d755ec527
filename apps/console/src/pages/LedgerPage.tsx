import { useEffect, useState, type FormEvent } from 'react';
import { downloadText, graphql } from '../api/client.js';
import { INCLUSION_PROOF, LEDGER_STATUS, RECENT_EVENTS } from '../api/documents.js';
import { checkInclusion, type OfflineCheck } from '../proof.js';
import { ErrorNote, Hash, Verdict, useQuery, when } from './common.js';

interface LedgerStatusData {
  ledgerStatus: { size: number; lastHash: string; rootHash: string; latestCheckpoint: { treeSize: number; rootHash: string; issuedAt: string; note: string } | null };
  projectionStatus: Array<{ projection: string; lastPosition: number; lag: number }>;
}

interface ProofData {
  inclusionProof: { eventId: string; leafIndex: number; treeSize: number; leafHash: string; rootHash: string; proof: string[]; checkpoint: string | null; canonical: string | null; blinded: boolean; bundleJson: string };
}

interface EventsData {
  auditTrail: { edges: Array<{ node: { globalPosition: number; eventId: string; eventType: string; recordedAt: string | null; actorName: string | null; summary: string } }> };
}

export function LedgerPage({ initialEventId, trialId }: { initialEventId?: string; trialId: string }) {
  const status = useQuery(() => graphql<LedgerStatusData>(LEDGER_STATUS), []);
  const recent = useQuery(() => graphql<EventsData>(RECENT_EVENTS, { filter: { trialId }, first: 8 }), [trialId]);
  const [eventId, setEventId] = useState(initialEventId ?? '');
  const [proof, setProof] = useState<ProofData['inclusionProof']>();
  const [check, setCheck] = useState<OfflineCheck>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function prove(id: string) {
    setBusy(true);
    setError(undefined);
    setProof(undefined);
    setCheck(undefined);
    try {
      const data = await graphql<ProofData>(INCLUSION_PROOF, { eventId: id.trim() });
      setProof(data.inclusionProof);
      setCheck(await checkInclusion(data.inclusionProof));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (initialEventId) void prove(initialEventId);
  }, [initialEventId]);

  const s = status.data?.ledgerStatus;
  return (
    <>
      <h1>Ledger</h1>
      <section aria-labelledby="status-h">
        <h2 id="status-h">Status</h2>
        <ErrorNote error={status.error} />
        {s ? (
          <dl className="facts" data-testid="ledger-status">
            <dt>Events</dt>
            <dd data-testid="ledger-size">{s.size}</dd>
            <dt>Merkle root (RFC 9162)</dt>
            <dd>
              <Hash value={s.rootHash} length={64} />
            </dd>
            <dt>Last event hash</dt>
            <dd>
              <Hash value={s.lastHash} length={64} />
            </dd>
            <dt>Latest signed checkpoint</dt>
            <dd>{s.latestCheckpoint ? `${s.latestCheckpoint.treeSize} events, ${when(s.latestCheckpoint.issuedAt)}` : 'none yet'}</dd>
          </dl>
        ) : status.loading ? (
          <p>Loading…</p>
        ) : null}
        {s?.latestCheckpoint ? (
          <details>
            <summary>Checkpoint note (C2SP signed note)</summary>
            <pre data-testid="checkpoint-note">{s.latestCheckpoint.note}</pre>
          </details>
        ) : null}
        {status.data ? (
          <p className="muted small">
            Read models:{' '}
            {status.data.projectionStatus.map((p) => `${p.projection} ${p.lag === 0 ? 'up to date' : `${p.lag} behind`}`).join(' · ')}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="proof-h">
        <h2 id="proof-h">Inclusion proof of an event</h2>
        <form
          className="row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void prove(eventId);
          }}
        >
          <label>
            Event id
            <input value={eventId} onChange={(e) => setEventId(e.target.value)} placeholder="uuid of any event" size={40} required />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Proving…' : 'Prove inclusion'}
          </button>
        </form>
        {recent.data && recent.data.auditTrail.edges.length > 0 ? (
          <p className="small">
            Recent events of {trialId}:{' '}
            {recent.data.auditTrail.edges.map(({ node }) => (
              <button key={node.eventId} type="button" className="chip" onClick={() => {
                setEventId(node.eventId);
                void prove(node.eventId);
              }}>
                #{node.globalPosition} {node.eventType}
              </button>
            ))}
          </p>
        ) : null}
        <ErrorNote error={error} />
        {proof && check ? (
          <div className="card" data-testid="inclusion-proof">
            <p>
              Event <code>{proof.eventId}</code> is leaf {proof.leafIndex} of a tree of {proof.treeSize} events{proof.blinded ? ' (payload blinded to you; the proof still holds)' : ''}.
            </p>
            <p className="verdicts" data-testid="offline-check">
              <Verdict ok={check.leafHashMatches} label="Leaf hash from the event's bytes" />
              <Verdict ok={check.rootMatches} label="Root from the audit path" />
              <Verdict ok={check.checkpointNamesRoot} label="Signed checkpoint names this root" />
            </p>
            <p className="muted small">Checked in this browser (WebCrypto SHA-256, RFC 9162 §2.1.3.2); nothing was sent. {check.problem ?? ''}</p>
            <dl className="facts">
              <dt>Leaf hash</dt>
              <dd>
                <Hash value={proof.leafHash} length={64} />
              </dd>
              <dt>Root</dt>
              <dd>
                <Hash value={proof.rootHash} length={64} />
              </dd>
              <dt>Audit path</dt>
              <dd>
                <ol className="path">
                  {proof.proof.map((h, i) => (
                    <li key={i}>
                      <Hash value={h} length={64} />
                    </li>
                  ))}
                </ol>
              </dd>
            </dl>
            <button type="button" onClick={() => downloadText(`inclusion-proof-${proof.eventId}.json`, proof.bundleJson, 'application/json')}>
              Download proof bundle (for radledger verify-proof)
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}
