import { LAYERS, type GraphEdge, type GraphNode } from './lineage-graph.collector.js';
import { escapeHtml } from './html-escape.js';

const COLUMN_WIDTH = 210;
const NODE_WIDTH = 170;
const NODE_HEIGHT = 26;
const ROW_HEIGHT = 36;
const MARGIN = 30;
const HEADER = 30;

const FILL: Record<string, string> = { entity: '#fff4b3', activity: '#cfe0f7', agent: '#fddcbc' };
const ACTIVITY_TYPES = new Set([
  'acquisition', 'preprocessing', 'segmentation', 'segmentation-edit', 'segmentation-review', 'feature-extraction', 'model-registration',
  'model-lock', 'inference', 'decision-override', 'protocol-deviation', 'model-validation', 'signature', 'partition-assignment',
]);

function provKind(node: GraphNode): 'entity' | 'activity' | 'agent' {
  if (node.type === 'site' || node.type === 'user' || node.type === 'software') return 'agent';
  return ACTIVITY_TYPES.has(node.type) ? 'activity' : 'entity';
}

/**
 * Lays the lineage out in columns by kind (LAYERS, upstream left) and orders each column by
 * the mean row of its neighbours in the columns already placed (one barycentre sweep), which
 * keeps most edges short without a layout library. Output is a standalone inline <svg>.
 */
export function lineageSvg(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  const columns = LAYERS.map((_, i) => nodes.filter((n) => n.layer === i)).filter((c) => c.length > 0);
  const layerNames = LAYERS.map((l) => l.name);
  const row = new Map<string, number>();
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  columns.forEach((column, ci) => {
    const score = (n: GraphNode) => {
      const placed = (neighbours.get(n.id) ?? []).map((id) => row.get(id)).filter((r): r is number => r !== undefined);
      return placed.length > 0 ? placed.reduce((a, b) => a + b, 0) / placed.length : Number.POSITIVE_INFINITY;
    };
    const ordered = ci === 0 ? [...column].sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id)) : [...column].sort((a, b) => score(a) - score(b) || a.id.localeCompare(b.id));
    ordered.forEach((n, i) => row.set(n.id, i));
  });
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((column, ci) => {
    for (const n of column) pos.set(n.id, { x: MARGIN + ci * COLUMN_WIDTH, y: MARGIN + HEADER + row.get(n.id)! * ROW_HEIGHT });
  });
  const height = MARGIN * 2 + HEADER + Math.max(1, ...columns.map((c) => c.length)) * ROW_HEIGHT;
  const width = MARGIN * 2 + Math.max(1, columns.length) * COLUMN_WIDTH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="lineage-graph" role="img" aria-label="lineage graph" width="${width}" height="${height}" style="max-width:100%;height:auto" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#667"/></marker></defs>',
  );
  columns.forEach((column, ci) => {
    const layer = column[0]!.layer;
    parts.push(`<text x="${MARGIN + ci * COLUMN_WIDTH}" y="${MARGIN + 12}" font-weight="bold" fill="#333">${escapeHtml(layerNames[layer] ?? '')}</text>`);
  });
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    // PROV edges point from the dependent to what it depends on; draw them towards the dependency.
    const [x1, y1] = a.x >= b.x ? [a.x, a.y + NODE_HEIGHT / 2] : [a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2];
    const [x2, y2] = a.x >= b.x ? [b.x + NODE_WIDTH, b.y + NODE_HEIGHT / 2] : [b.x, b.y + NODE_HEIGHT / 2];
    const bend = a.x === b.x ? 40 : 0;
    const mx = (x1 + x2) / 2 + bend;
    parts.push(
      `<path class="edge" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="#889" stroke-width="${Math.min(4, 1 + Math.log10(e.count))}" marker-end="url(#arrow)"><title>${escapeHtml(`${e.relation}${e.count > 1 ? ` ×${e.count}` : ''}`)}</title></path>`,
    );
  }
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const kind = provKind(n);
    const rx = kind === 'entity' ? 13 : kind === 'agent' ? 2 : 4;
    const label = n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label;
    parts.push(
      `<g class="node ${kind}" data-type="${escapeHtml(n.type)}"><title>${escapeHtml(`${n.type}: ${n.label} (${n.id})`)}</title>`,
      `<rect x="${p.x}" y="${p.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${rx}" fill="${FILL[kind]}" stroke="#556"/>`,
      `<text x="${p.x + 8}" y="${p.y + 17}" fill="#111">${escapeHtml(label)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
