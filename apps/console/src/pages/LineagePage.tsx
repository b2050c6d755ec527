import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { downloadText, graphql } from '../api/client.js';
import { LEDGER_SIZE, LINEAGE, PROV_DOCUMENT, RECENT_EVENTS } from '../api/documents.js';
import { LineageGraph, type DrawTiming } from '../graph/LineageGraph.js';
import { ErrorNote } from './common.js';

type Direction = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

interface Node {
  id: string;
  type: string;
  kind: string;
  label: string | null;
  depth: number;
  refId: string | null;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  createdBy: { eventId: string; globalPosition: number; recordedAt: string | null };
}
interface Edge {
  id: string;
  from: string;
  to: string;
  relation: string;
  role: string | null;
}
interface LineageData {
  lineage: { complete: boolean; asOfPosition: number; truncatedAtDepth: number | null; unresolvedNodeIds: string[]; root: { id: string }; nodes: Node[]; edges: Edge[] };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function lineageCsv(nodes: Node[], edges: Edge[]): string {
  const rows = [['record', 'id', 'type_or_relation', 'kind', 'label', 'depth', 'from', 'to', 'trial', 'site', 'subject', 'recorded_by_event', 'ledger_position', 'recorded_at']];
  for (const n of nodes) rows.push(['node', n.id, n.type, n.kind, n.label ?? '', String(n.depth), '', '', n.trialId ?? '', n.siteId ?? '', n.subjectId ?? '', n.createdBy.eventId, String(n.createdBy.globalPosition), n.createdBy.recordedAt ?? '']);
  for (const e of edges) rows.push(['edge', e.id, e.relation, e.role ?? '', '', '', e.from, e.to, '', '', '', '', '', '']);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function LineagePage({ trialId, initialId }: { trialId: string; initialId?: string }) {
  const [id, setId] = useState(initialId ?? '');
  const [root, setRoot] = useState(initialId ?? '');
  const [direction, setDirection] = useState<Direction>('UPSTREAM');
  const [depth, setDepth] = useState(10);
  const [asOf, setAsOf] = useState('');
  const [graph, setGraph] = useState<{ nodes: Node[]; edges: Edge[]; rootId: string; complete: boolean; asOfPosition: number; truncatedAtDepth: number | null }>();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [timing, setTiming] = useState<DrawTiming>();
  const [comparePosition, setComparePosition] = useState('');
  const [diff, setDiff] = useState<{ position: number; added: Node[]; removed: string[] }>();
  /** The ledger's size when the page opened: the slider runs from position 0 to the last one ("now"). */
  const [ledgerSize, setLedgerSize] = useState<number>();

  useEffect(() => {
    graphql<{ ledgerStatus: { size: number } }>(LEDGER_SIZE).then(
      (d) => setLedgerSize(d.ledgerStatus.size),
      () => setLedgerSize(undefined),
    );
  }, []);

  // Open on the trial's first recorded decision when no id is given.
  useEffect(() => {
    if (root) return;
    graphql<{ auditTrail: { edges: Array<{ node: { entityId: string | null } }> } }>(RECENT_EVENTS, { filter: { trialId, types: ['ModelDecisionMade'] }, first: 1 }).then(
      (d) => {
        const first = d.auditTrail.edges[0]?.node.entityId;
        if (first) {
          const lineageId = first.startsWith('decision:') ? first : `decision:${first}`;
          setId(lineageId);
          setRoot(lineageId);
        }
      },
      (e: unknown) => setError(e),
    );
  }, [trialId, root]);

  const load = useCallback(async (rootId: string, dir: Direction, maxDepth: number, position: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const variables: Record<string, unknown> = { id: rootId, direction: dir, maxDepth };
      if (position.trim() !== '') variables['asOf'] = { position: Number(position) };
      const { lineage } = await graphql<LineageData>(LINEAGE, variables);
      setGraph({ nodes: lineage.nodes, edges: lineage.edges, rootId: lineage.root.id, complete: lineage.complete, asOfPosition: lineage.asOfPosition, truncatedAtDepth: lineage.truncatedAtDepth });
      setSelected(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    if (root) void load(root, direction, depth, asOf);
    // Depth and direction apply at once; the id and asOf when the form is sent.
  }, [root, direction, depth, load]);

  /** The slider let go at `value`: the graph as of that position (its far end is "now"). */
  function showAsOf(value: string) {
    if (!root || ledgerSize === undefined) return;
    void load(root, direction, depth, Number(value) >= ledgerSize - 1 ? '' : value);
  }

  async function expand(nodeId: string) {
    if (!graph) return;
    setBusy(true);
    try {
      const variables: Record<string, unknown> = { id: nodeId, direction: 'BOTH', maxDepth: 1 };
      if (asOf.trim() !== '') variables['asOf'] = { position: Number(asOf) };
      const { lineage } = await graphql<LineageData>(LINEAGE, variables);
      const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
      for (const n of lineage.nodes) if (!nodes.has(n.id)) nodes.set(n.id, { ...n, depth: (nodes.get(nodeId)?.depth ?? 0) + 1 });
      const edges = new Map(graph.edges.map((e) => [e.id, e]));
      for (const e of lineage.edges) edges.set(e.id, e);
      setGraph({ ...graph, nodes: [...nodes.values()], edges: [...edges.values()] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  /** The same walk at an earlier ledger position: what the lineage gained (or lost) since. */
  async function compare() {
    if (!graph || comparePosition.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      const { lineage } = await graphql<LineageData>(LINEAGE, { id: graph.rootId, direction, maxDepth: depth, asOf: { position: Number(comparePosition) } });
      const before = new Set(lineage.nodes.map((n) => n.id));
      const now = new Set(graph.nodes.map((n) => n.id));
      setDiff({ position: lineage.asOfPosition, added: graph.nodes.filter((n) => !before.has(n.id)), removed: [...before].filter((id) => !now.has(id)) });
    } catch (e) {
      setError(e);
      setDiff(undefined);
    } finally {
      setBusy(false);
    }
  }

  async function exportProv() {
    if (!graph) return;
    try {
      const variables: Record<string, unknown> = { id: graph.rootId, format: 'PROV_O_JSONLD', maxDepth: Math.max(depth, 1) };
      if (asOf.trim() !== '') variables['asOf'] = { position: Number(asOf) };
      const { provDocument } = await graphql<{ provDocument: { document: string; mediaType: string } }>(PROV_DOCUMENT, variables);
      downloadText(`lineage-${graph.rootId.replace(/[^A-Za-z0-9._-]/g, '_')}.prov.jsonld`, provDocument.document, provDocument.mediaType);
    } catch (e) {
      setError(e);
    }
  }

  const node = useMemo(() => graph?.nodes.find((n) => n.id === selected), [graph, selected]);
  const added = useMemo(() => new Set(diff?.added.map((n) => n.id) ?? []), [diff]);
  const onDrawn = useCallback((t: DrawTiming) => setTiming(t), []);
  const counts = useMemo(() => {
    const by = new Map<string, number>();
    for (const n of graph?.nodes ?? []) by.set(n.type, (by.get(n.type) ?? 0) + 1);
    return [...by.entries()].sort();
  }, [graph]);

  return (
    <>
      <h1>Lineage explorer</h1>
      <form
        className="row controls"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (id.trim() === root) void load(root, direction, depth, asOf);
          else setRoot(id.trim());
        }}
      >
        <label>
          Start from (lineage id or domain id)
          <input value={id} onChange={(e) => setId(e.target.value)} size={40} required />
        </label>
        <label>
          Direction
          <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
            <option value="UPSTREAM">Upstream (where it came from)</option>
            <option value="DOWNSTREAM">Downstream (impact)</option>
            <option value="BOTH">Both</option>
          </select>
        </label>
        <label>
          Depth <output>{depth}</output>
          <input type="range" min={1} max={50} value={depth} onChange={(e) => setDepth(Number(e.target.value))} />
        </label>
        <label>
          As of ledger position
          <input value={asOf} onChange={(e) => setAsOf(e.target.value.replace(/[^0-9]/g, ''))} placeholder="now" size={8} inputMode="numeric" />
        </label>
        {ledgerSize !== undefined && ledgerSize > 1 ? (
          <label>
            Time travel <output>{asOf === '' ? 'now' : `position ${asOf}`}</output>
            <input
              type="range"
              data-testid="as-of-slider"
              min={0}
              max={ledgerSize - 1}
              value={asOf === '' ? ledgerSize - 1 : Math.min(Number(asOf), ledgerSize - 1)}
              // Dragging sets the position; letting go (or a key) shows the graph as it was then.
              onChange={(e) => setAsOf(Number(e.target.value) >= ledgerSize - 1 ? '' : e.target.value)}
              onPointerUp={(e) => showAsOf((e.target as HTMLInputElement).value)}
              onKeyUp={(e) => showAsOf((e.target as HTMLInputElement).value)}
            />
          </label>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Loading…' : 'Show lineage'}
        </button>
      </form>
      <ErrorNote error={error} />
      {graph ? (
        <>
          <p className="small" data-testid="lineage-summary">
            {graph.nodes.length} nodes, {graph.edges.length} edges{graph.complete ? ', complete' : ', incomplete'} as of ledger position {graph.asOfPosition}
            {graph.truncatedAtDepth !== null ? `; cut at depth ${graph.truncatedAtDepth} (raise the depth to see more)` : ''}. {counts.map(([t, n]) => `${t} ${n}`).join(' · ')}
            {timing ? <span className="muted" data-testid="lineage-draw-ms" data-ms={timing.ms.toFixed(1)}>{` · drawn in ${timing.ms.toFixed(0)} ms`}</span> : null}
          </p>
          <div className="graph-layout">
            <LineageGraph nodes={graph.nodes} edges={graph.edges} rootId={graph.rootId} selectedId={selected} onSelect={setSelected} onDrawn={onDrawn} highlighted={added} />
            <aside className="card" aria-label="Selected node">
              {node ? (
                <>
                  <h2>{node.label ?? node.id}</h2>
                  <dl className="facts">
                    <dt>Id</dt>
                    <dd>
                      <code>{node.id}</code>
                    </dd>
                    <dt>Type</dt>
                    <dd>
                      {node.type} ({node.kind})
                    </dd>
                    <dt>Depth</dt>
                    <dd>{node.depth}</dd>
                    <dt>Site / subject</dt>
                    <dd>
                      {node.siteId ?? '—'} / {node.subjectId ?? '—'}
                    </dd>
                    <dt>Recorded</dt>
                    <dd>
                      #{node.createdBy.globalPosition} {node.createdBy.recordedAt ?? ''}
                    </dd>
                  </dl>
                  <p className="row">
                    <button type="button" onClick={() => {
                      setId(node.id);
                      setRoot(node.id);
                    }}>
                      Focus on this node
                    </button>
                    <button type="button" onClick={() => void expand(node.id)} disabled={busy}>
                      Expand neighbours
                    </button>
                    <a href={`#/ledger?event=${encodeURIComponent(node.createdBy.eventId)}`}>Inclusion proof</a>
                  </p>
                </>
              ) : (
                <p className="muted">Select a node in the graph (or in the table) to focus on it, expand it, or prove the event that recorded it.</p>
              )}
              <p className="row">
                <button type="button" onClick={() => downloadText(`lineage-${graph.rootId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`, lineageCsv(graph.nodes, graph.edges), 'text/csv')}>
                  Export CSV
                </button>
                <button type="button" onClick={() => void exportProv()}>
                  Export PROV
                </button>
              </p>
              <form
                className="row"
                aria-label="Compare with an earlier ledger position"
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  void compare();
                }}
              >
                <label>
                  Compare with ledger position
                  <input value={comparePosition} onChange={(e) => setComparePosition(e.target.value.replace(/[^0-9]/g, ''))} size={8} inputMode="numeric" required />
                </label>
                <button type="submit" disabled={busy}>
                  Compare
                </button>
              </form>
              {diff ? (
                <p className="small" data-testid="lineage-diff">
                  Since position {diff.position}: {diff.added.length} nodes added{diff.removed.length > 0 ? `, ${diff.removed.length} no longer reached` : ''} (outlined in green).{' '}
                  {diff.added.slice(0, 8).map((n) => (
                    <button key={n.id} type="button" className="chip" onClick={() => setSelected(n.id)}>
                      {n.label ?? n.id}
                    </button>
                  ))}
                </p>
              ) : null}
            </aside>
          </div>
          <details>
            <summary>Nodes as a table ({graph.nodes.length})</summary>
            <table data-testid="lineage-table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Type</th>
                  <th scope="col">Depth</th>
                  <th scope="col">Site</th>
                  <th scope="col">Recorded at</th>
                </tr>
              </thead>
              <tbody>
                {graph.nodes.slice(0, 500).map((n) => (
                  <tr key={n.id}>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(n.id)}>
                        {n.label ?? n.id}
                      </button>
                    </td>
                    <td>{n.type}</td>
                    <td>{n.depth}</td>
                    <td>{n.siteId ?? ''}</td>
                    <td>{n.createdBy.recordedAt ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </>
  );
}
