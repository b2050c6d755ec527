import { agentProvType, domainType, PROV_NS, provId, RADLEDGER_NS, RDFS_NS, XSD_NS, type ProvEventRef, type ProvGraphInput } from './prov-graph.js';

type JsonObject = Record<string, unknown>;

/** The ledger event behind a statement, as RadLedger-namespaced properties. */
function recordedBy(ref: ProvEventRef): JsonObject {
  return {
    'radledger:eventId': ref.eventId,
    'radledger:eventType': ref.type,
    'radledger:eventHash': ref.hash,
    'radledger:globalPosition': { '@value': ref.globalPosition, '@type': 'xsd:integer' },
  };
}

function time(value: string | null): JsonObject | undefined {
  return value ? { '@value': value, '@type': 'xsd:dateTime' } : undefined;
}

function push(node: JsonObject, property: string, value: unknown): void {
  const existing = node[property];
  if (existing === undefined) node[property] = [value];
  else (existing as unknown[]).push(value);
}

/**
 * W3C PROV-O (Recommendation, 30 April 2013) in JSON-LD 1.1: starting-point terms
 * (prov:Entity/Activity/Agent, prov:used, prov:wasGeneratedBy, prov:wasDerivedFrom,
 * prov:wasAttributedTo, prov:wasAssociatedWith, prov:actedOnBehalfOf) plus qualified
 * usage/association (PROV-O §3.3) where a role is known, and prov:wasRevisionOf for mask edits.
 */
export function toProvOJsonLd(graph: ProvGraphInput, options: { documentId?: string; extra?: JsonObject } = {}): JsonObject {
  const nodes = new Map<string, JsonObject>();
  for (const node of graph.nodes) {
    const out: JsonObject = { '@id': provId(node.id) };
    if (node.kind === 'entity') {
      out['@type'] = ['prov:Entity', domainType(node.type)];
      const generated = time(node.createdBy.recordedAt);
      if (generated) out['prov:generatedAtTime'] = generated;
    } else if (node.kind === 'activity') {
      out['@type'] = ['prov:Activity', domainType(node.type)];
      // An activity is recorded by one event: it started and ended as far as the ledger can attest at recordedAt.
      const at = time(node.createdBy.recordedAt);
      if (at) {
        out['prov:startedAtTime'] = at;
        out['prov:endedAtTime'] = at;
      }
    } else {
      out['@type'] = ['prov:Agent', agentProvType(node.type)];
    }
    if (node.label) out['rdfs:label'] = node.label;
    for (const [key, value] of Object.entries(node.attributes)) {
      if (value === null || value === undefined) continue;
      out[`radledger:${key}`] = typeof value === 'object' ? { '@value': JSON.stringify(value), '@type': '@json' } : value;
    }
    Object.assign(out, recordedBy(node.createdBy));
    nodes.set(node.id, out);
  }
  const subject = (id: string): JsonObject => {
    let node = nodes.get(id);
    if (!node) {
      // Referenced but not recorded in this graph: still a valid IRI, typed by the relation alone.
      node = { '@id': provId(id) };
      nodes.set(id, node);
    }
    return node;
  };
  for (const edge of graph.edges) {
    const from = subject(edge.from);
    const to = { '@id': provId(edge.to) };
    switch (edge.relation) {
      case 'used':
        push(from, 'prov:used', to);
        if (edge.role) push(from, 'prov:qualifiedUsage', { '@type': 'prov:Usage', 'prov:entity': to, 'prov:hadRole': { '@id': `radledger:role/${encodeURIComponent(edge.role)}` }, ...recordedBy(edge.createdBy) });
        break;
      case 'wasGeneratedBy':
        push(from, 'prov:wasGeneratedBy', to);
        break;
      case 'wasDerivedFrom':
        push(from, 'prov:wasDerivedFrom', to);
        break;
      case 'wasRevisionOf':
        push(from, 'prov:wasRevisionOf', to);
        break;
      case 'wasAttributedTo':
        push(from, 'prov:wasAttributedTo', to);
        break;
      case 'wasAssociatedWith':
        push(from, 'prov:wasAssociatedWith', to);
        if (edge.role) push(from, 'prov:qualifiedAssociation', { '@type': 'prov:Association', 'prov:agent': to, 'prov:hadRole': { '@id': `radledger:role/${encodeURIComponent(edge.role)}` }, ...recordedBy(edge.createdBy) });
        break;
      case 'actedOnBehalfOf':
        push(from, 'prov:actedOnBehalfOf', to);
        break;
    }
  }
  return {
    '@context': { prov: PROV_NS, xsd: XSD_NS, rdfs: RDFS_NS, radledger: RADLEDGER_NS },
    ...(options.documentId ? { '@id': options.documentId } : {}),
    ...(options.extra ?? {}),
    '@graph': [...nodes.values()],
  };
}
