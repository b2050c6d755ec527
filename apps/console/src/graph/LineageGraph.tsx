import { useEffect, useRef } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';

export interface GraphNode {
  id: string;
  type: string;
  kind: string;
  label?: string | null;
  depth: number;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  relation: string;
}

/** Colour per lineage node type (W3C PROV: entities as boxes, activities as ellipses, agents as diamonds). */
const COLOURS: Record<string, string> = {
  image: '#2b6cb0',
  'mask-version': '#2f855a',
  segmentation: '#2f855a',
  'feature-set': '#b7791f',
  'model-version': '#6b46c1',
  decision: '#c53030',
  signature: '#4a5568',
  preprocessing: '#0987a0',
};

export interface DrawTiming {
  nodes: number;
  edges: number;
  ms: number;
}

/**
 * The lineage as a graph (cytoscape.js, canvas). A breadth-first layout from the root keeps a
 * 1,000-node graph interactive; the draw time (elements → layout → first frame) is reported.
 */
export function LineageGraph(props: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  rootId: string;
  selectedId?: string;
  /** Nodes to outline (what a comparison with an earlier ledger position found new). */
  highlighted?: ReadonlySet<string>;
  onSelect: (id: string | undefined) => void;
  onDrawn?: (t: DrawTiming) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core>(undefined);
  const { nodes, edges, rootId, onSelect, onDrawn } = props;

  useEffect(() => {
    if (!box.current) return;
    const started = performance.now();
    const ids = new Set(nodes.map((n) => n.id));
    const elements: ElementDefinition[] = [
      ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.label ?? n.id, type: n.type, kind: n.kind, root: n.id === rootId ? 1 : 0 } })),
      ...edges.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e) => ({ group: 'edges' as const, data: { id: `e:${e.id}`, source: e.from, target: e.to, label: e.relation } })),
    ];
    const big = nodes.length > 300;
    const instance = cytoscape({
      container: box.current,
      elements,
      minZoom: 0.05,
      maxZoom: 3,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      style: [
        {
          selector: 'node',
          style: {
            label: big ? '' : 'data(label)',
            'font-size': 9,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'text-wrap': 'ellipsis',
            'text-max-width': '110px',
            width: 18,
            height: 18,
            'background-color': (ele) => COLOURS[ele.data('type') as string] ?? '#718096',
            shape: (ele) => (ele.data('kind') === 'activity' ? 'ellipse' : ele.data('kind') === 'agent' ? 'diamond' : 'round-rectangle'),
          },
        },
        { selector: 'node[root = 1]', style: { 'border-width': 3, 'border-color': '#1a202c', width: 26, height: 26 } },
        { selector: 'node.added', style: { 'border-width': 3, 'border-color': '#38a169', 'border-style': 'double' } },
        { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#d69e2e' } },
        {
          selector: 'edge',
          style: { width: 1, 'line-color': '#a0aec0', 'target-arrow-color': '#a0aec0', 'target-arrow-shape': 'triangle', 'curve-style': big ? 'haystack' : 'bezier', 'arrow-scale': 0.7 },
        },
      ],
      layout: { name: 'breadthfirst', directed: true, roots: ids.has(rootId) ? [rootId] : undefined, spacingFactor: big ? 0.6 : 1, animate: false, fit: true, padding: 20 } as cytoscape.LayoutOptions,
    });
    cy.current = instance;
    instance.on('tap', 'node', (evt) => onSelect(evt.target.id() as string));
    instance.on('tap', (evt) => {
      if (evt.target === instance) onSelect(undefined);
    });
    // The layout ran synchronously above; the next frame is the first one drawn with it.
    requestAnimationFrame(() => {
      requestAnimationFrame(() => onDrawn?.({ nodes: nodes.length, edges: elements.length - nodes.length, ms: performance.now() - started }));
    });
    return () => {
      instance.destroy();
      cy.current = undefined;
    };
  }, [nodes, edges, rootId, onSelect, onDrawn]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.nodes().removeClass('added');
    for (const id of props.highlighted ?? []) instance.getElementById(id).addClass('added');
  }, [props.highlighted, nodes]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.nodes(':selected').unselect();
    if (props.selectedId) instance.getElementById(props.selectedId).select();
  }, [props.selectedId]);

  return <div ref={box} className="graph" role="img" aria-label={`Lineage graph: ${nodes.length} nodes, ${edges.length} edges; the same nodes are listed in the table below`} data-testid="lineage-graph" />;
}
