import { escapeHtml } from './html-escape.js';
import type { CappedTable, ReportCollector } from './report.collector.js';
import { lineageSvg } from './lineage-svg.js';
import type { GraphEdge, GraphNode } from './lineage-graph.collector.js';
import type { ChecklistItem, RqsSummary } from '../checklists.collector.js';

export interface ReportSummary {
  title: string;
  scope: { trialId: string; modelVersion: string | null };
  createdAt: string;
  radledgerVersion: string;
  checkpoint: { origin: string; treeSize: number; rootHash: string; issuedAt: string };
  publicKey: string;
  eventCount: number;
  reproducibility: Record<string, number>;
  modelFindings: string[];
  checklist: { filled: number; forPeople: number; items: ChecklistItem[]; rqs: RqsSummary };
}

/** Evidence text of one item: the value as compact JSON, cut to a readable length (checklists.json holds all of it). */
const MAX_EVIDENCE_CHARS = 600;
function evidence(item: ChecklistItem): string {
  if (item.status === 'for-people') return '';
  const text = JSON.stringify(item.value ?? null);
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}…` : text;
}

function checklistTables(items: ChecklistItem[], rqs: RqsSummary): string {
  const guidelines = [...new Set(items.map((i) => i.guideline))];
  const row = (i: ChecklistItem) => {
    const score = i.score ? (i.score.points === null ? `for people (${i.score.min} to ${i.score.max})` : `${i.score.points} of ${i.score.max}${i.score.remainderForPeople ? `; for people: ${i.score.remainderForPeople}` : ''}`) : '';
    const sources = i.status === 'filled-from-ledger' ? `${i.sourceEventCount ?? 0} event(s)${i.sourceEventIds && i.sourceEventIds.length > 0 ? `: ${i.sourceEventIds.slice(0, 5).join(', ')}${i.sourceEventIds.length > 5 ? ', …' : ''}` : ''}` : '';
    return `<tr class="${i.status}"><td>${escapeHtml(i.item)}</td><td>${escapeHtml(i.topic)}</td><td>${i.status === 'filled-from-ledger' ? 'from the ledger' : '<strong>for people</strong>'}</td><td><code>${escapeHtml(evidence(i))}</code></td><td class="mono">${escapeHtml(sources)}</td><td>${escapeHtml(i.why ?? '')}</td>${i.guideline === 'RQS' ? `<td>${escapeHtml(score)}</td>` : ''}</tr>`;
  };
  return guidelines
    .map((g) => {
      const list = items.filter((i) => i.guideline === g);
      const id = `checklist-${g.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const rqsLine = g === 'RQS' ? `<p>RQS from the ledger: <strong>${rqs.ledgerScore}</strong> of ${rqs.maximum} (${rqs.ledgerPercent}%); once people score their items the total lies between ${rqs.possibleRange[0]} and ${rqs.possibleRange[1]}.</p>` : '';
      return `<h3 id="${id}">${escapeHtml(g)} <span class="note">(${list.filter((i) => i.status === 'filled-from-ledger').length} from the ledger, ${list.filter((i) => i.status === 'for-people').length} for people)</span></h3>${rqsLine}
<table class="checklist" id="table-${id}"><thead><tr><th>item</th><th>topic</th><th>answered</th><th>evidence</th><th>source events</th><th>why left for people</th>${g === 'RQS' ? '<th>points</th>' : ''}</tr></thead><tbody>
${list.map(row).join('\n')}
</tbody></table>`;
    })
    .join('\n');
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1b1b;max-width:1400px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccd;padding-bottom:4px}
table{border-collapse:collapse;font-size:12px;margin:8px 0;width:100%}
th,td{border:1px solid #d4d7de;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#eef1f6}tr:nth-child(even) td{background:#fafbfc}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
.figure{overflow:auto;border:1px solid #d4d7de;padding:6px;background:#fff}
.note{color:#555;font-size:12px}.warn{color:#8a3b00}
tr.for-people td{background:#fff8e6}table.checklist td:nth-child(1){min-width:170px}table.checklist td:nth-child(3){white-space:nowrap}table.checklist td:nth-child(5){max-width:220px}h3{font-size:15px;margin-top:18px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:13px}dt{font-weight:600}
`;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[0-9a-f]{64}$/.test(text) ? `<span class="mono" title="${text}">${text.slice(0, 12)}…</span>` : escapeHtml(text);
}

function table(id: string, title: string, t: CappedTable, empty: string): string {
  const head = `<h2 id="${id}">${escapeHtml(title)} <span class="note">(${t.total})</span></h2>`;
  if (t.total === 0) return `${head}<p class="note">${escapeHtml(empty)}</p>`;
  const more = t.total > t.rows.length ? `<p class="note">First ${t.rows.length} of ${t.total} rows; every row is in events.ndjson.</p>` : '';
  const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n');
  return `${head}<table id="table-${id}"><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>${more}`;
}

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no external
 * resource), so it opens offline and shows exactly what the bundle holds.
 */
export function renderReport(summary: ReportSummary, tables: ReportCollector, graph: { nodes: GraphNode[]; edges: GraphEdge[]; collapsed: boolean }): string {
  const counts = [...tables.counts].sort((a, b) => a[0].localeCompare(b[0]));
  const dl = (items: Array<[string, string]>) => `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const trials = [...tables.trials].map(([id, title]) => `${escapeHtml(id)}: ${escapeHtml(title)}`).join('<br>');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(summary.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(summary.title)}</h1>
<h2 id="summary">Summary</h2>
${dl([
  ['Trial', trials || escapeHtml(summary.scope.trialId)],
  ['Model version', escapeHtml(summary.scope.modelVersion ?? 'all versions')],
  ['Events in bundle', String(summary.eventCount)],
  ['Decisions', String(tables.counts.get('ModelDecisionMade') ?? 0)],
  ['Sites / subjects', `${tables.sites.size} / ${tables.subjects.size}`],
  ['Recorded between', `${escapeHtml(tables.firstRecordedAt ?? '')} and ${escapeHtml(tables.lastRecordedAt ?? '')}`],
  ['Checkpoint', `<span class="mono">${escapeHtml(summary.checkpoint.origin)} size ${summary.checkpoint.treeSize} root ${escapeHtml(summary.checkpoint.rootHash)}</span> issued ${escapeHtml(summary.checkpoint.issuedAt)}`],
  ['Checkpoint public key', `<span class="mono">${escapeHtml(summary.publicKey)}</span>`],
  ['Reproducibility', escapeHtml(Object.entries(summary.reproducibility).map(([k, v]) => `${k}: ${v}`).join(', ') || 'nothing to re-compute')],
  ['Model findings', summary.modelFindings.length === 0 ? 'none' : `<span class="warn">${summary.modelFindings.map(escapeHtml).join('<br>')}</span>`],
  ['Checklists', `${summary.checklist.filled} items filled from the ledger, ${summary.checklist.forPeople} left for people (<a href="#checklists">every item below</a>, checklists.json)`],
  ['RQS', `${summary.checklist.rqs.ledgerScore} of ${summary.checklist.rqs.maximum} from the ledger; ${summary.checklist.rqs.possibleRange[0]} to ${summary.checklist.rqs.possibleRange[1]} once people score their items`],
  ['Created', `${escapeHtml(summary.createdAt)} by RadLedger ${escapeHtml(summary.radledgerVersion)}`],
])}
<p class="note">Verify this bundle offline: <code>radledger verify-dossier &lt;bundle&gt; --public-key &lt;key&gt;</code>. This page is derived from events.ndjson; the events and their proofs are the evidence.</p>
<table id="table-event-types"><thead><tr><th>event type</th><th>count</th></tr></thead><tbody>
${counts.map(([t, n]) => `<tr><td>${escapeHtml(t)}</td><td>${n}</td></tr>`).join('\n')}
</tbody></table>
<h2 id="lineage">Lineage</h2>
<p class="note">Columns by kind, upstream on the left. Yellow: entities, blue: activities, orange: sites (W3C PROV colours). Arrows point from a record to what it was derived from or used.${graph.collapsed ? ' The lineage is too large to draw node by node: one box per kind, with counts.' : ''}</p>
<div class="figure">${lineageSvg(graph.nodes, graph.edges)}</div>
${table('acquisitions', 'Acquisitions', tables.acquisitions, 'No acquisitions in this lineage.')}
${table('protocol-deviations', 'Protocol deviations', tables.deviations, 'No protocol deviations were recorded for the included images.')}
${table('preprocessing', 'Preprocessing', tables.preprocessing, 'No preprocessing was recorded.')}
${table('segmentation-edits', 'Segmentation versions, edits and reviews', tables.segmentationEdits, 'No segmentations.')}
${table('feature-settings', 'Feature extraction settings (IBSI)', tables.featureSettings, 'No feature sets.')}
${table('model-versions', 'Model versions', tables.modelVersions, 'No model versions.')}
${table('lock-gates', 'Lock gates each lock met (change-control plan)', tables.lockGates, 'No locks.')}
${table('decisions', 'Decisions', tables.decisions, 'No decisions.')}
${table('signatures', 'Electronic signatures (21 CFR 11.50: printed name, time, meaning)', tables.signatures, 'No signatures on the included records.')}
<h2 id="checklists">Reporting checklists <span class="note">(${summary.checklist.items.length} items)</span></h2>
<p class="note">Every item of TRIPOD+AI, CLAIM 2024, METRICS, CLEAR, RQS and PROBAST+AI that this dossier addresses: the evidence the ledger holds, with its source events, or why it is left for people to write.</p>
${checklistTables(summary.checklist.items, summary.checklist.rqs)}
</body></html>
`;
}
