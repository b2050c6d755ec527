import type { DossierNodeType, ProvStatement } from '../prov-statements.js';

/** Left-to-right layers of the picture: upstream context first, decisions and signatures last. */
export const LAYERS: Array<{ name: string; types: DossierNodeType[] }> = [
  { name: 'trial & sites', types: ['trial', 'site', 'protocol', 'subject'] },
  { name: 'acquisition', types: ['image', 'acquisition', 'protocol-deviation'] },
  { name: 'preprocessing', types: ['preprocessed-image', 'preprocessing'] },
  { name: 'segmentation', types: ['mask-version', 'segmentation', 'segmentation-edit', 'segmentation-review'] },
  { name: 'features', types: ['feature-set', 'feature-extraction', 'partition-assignment'] },
  { name: 'model', types: ['model-version', 'model-registration', 'change-control-plan', 'model-validation', 'model-lock'] },
  { name: 'decision', types: ['decision', 'inference', 'decision-override'] },
  { name: 'signatures', types: ['signature'] },
];

export interface GraphNode {
  id: string;
  type: DossierNodeType;
  label: string;
  layer: number;
  count: number;
}
export interface GraphEdge {
  from: string;
  to: string;
  relation: string;
  count: number;
}

/** Above this many nodes the picture collapses to one node per kind with counts (still the same layers). */
export const MAX_DRAWN_NODES = 150;

const layerOf = new Map<DossierNodeType, number>();
LAYERS.forEach((l, i) => l.types.forEach((t) => layerOf.set(t, i)));

/**
 * Keeps the lineage graph for the picture: entities and activities (agents are listed in the
 * tables, not drawn). Stores at most MAX_DRAWN_NODES nodes plus per-kind totals, so memory is
 * bounded whatever the bundle size.
 */
export class LineageGraphCollector {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges: GraphEdge[] = [];
  private overflow = false;
  private readonly typeOfNode = new Map<string, DossierNodeType>();
  private readonly kindCounts = new Map<DossierNodeType, number>();
  private readonly kindEdges = new Map<string, GraphEdge>();

  add(st: ProvStatement): void {
    if ('node' in st) {
      const { node } = st;
      if (node.kind === 'agent' && node.type !== 'site') return;
      this.kindCounts.set(node.type, (this.kindCounts.get(node.type) ?? 0) + 1);
      if (this.typeOfNode.size < MAX_DRAWN_NODES * 20) this.typeOfNode.set(node.id, node.type);
      if (this.nodes.size < MAX_DRAWN_NODES) this.nodes.set(node.id, { id: node.id, type: node.type, label: node.label, layer: layerOf.get(node.type) ?? 0, count: 1 });
      else this.overflow = true;
      return;
    }
    const { relation } = st;
    if (relation.relation === 'wasAssociatedWith' && relation.role !== 'site') return;
    if (relation.relation === 'actedOnBehalfOf') return;
    if (this.nodes.has(relation.from) && this.nodes.has(relation.to) && this.edges.length < MAX_DRAWN_NODES * 4) {
      this.edges.push({ from: relation.from, to: relation.to, relation: relation.relation, count: 1 });
    }
    const a = this.typeOfNode.get(relation.from);
    const b = this.typeOfNode.get(relation.to);
    if (a && b && a !== b) {
      const key = `${a}>${b}`;
      const e = this.kindEdges.get(key) ?? { from: `kind:${a}`, to: `kind:${b}`, relation: relation.relation, count: 0 };
      e.count++;
      this.kindEdges.set(key, e);
    }
  }

  /** The graph to draw: the real one when small enough, else one node per kind. */
  graph(): { nodes: GraphNode[]; edges: GraphEdge[]; collapsed: boolean } {
    if (!this.overflow) return { nodes: [...this.nodes.values()], edges: this.edges, collapsed: false };
    const nodes = [...this.kindCounts].map(([type, count]) => ({ id: `kind:${type}`, type, label: `${type} ×${count}`, layer: layerOf.get(type) ?? 0, count }));
    return { nodes, edges: [...this.kindEdges.values()], collapsed: true };
  }
}
