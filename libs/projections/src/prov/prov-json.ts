import { agentProvType, domainType, PROV_NS, provId, RADLEDGER_NS, XSD_NS, type ProvEventRef, type ProvGraphInput } from './prov-graph.js';

type JsonObject = Record<string, unknown>;

const qualified = (name: string) => ({ $: name, type: 'prov:QUALIFIED_NAME' });

function recordedBy(ref: ProvEventRef): JsonObject {
  return {
    'radledger:eventId': ref.eventId,
    'radledger:eventType': ref.type,
    'radledger:eventHash': ref.hash,
    'radledger:globalPosition': { $: String(ref.globalPosition), type: 'xsd:long' },
  };
}

/**
 * PROV-JSON (W3C Member Submission, 24 April 2013): one object per record type keyed by
 * identifier; relations get blank-node ids (`_:<edge id>`) carrying the ledger event that
 * recorded them. Mask edits are `wasDerivedFrom` with `prov:type` `prov:Revision` (PROV-DM §5.2.2).
 */
export function toProvJson(graph: ProvGraphInput): JsonObject {
  const doc: Record<string, JsonObject> = {
    prefix: { prov: PROV_NS, xsd: XSD_NS, radledger: RADLEDGER_NS } as JsonObject,
  };
  const section = (name: string): JsonObject => (doc[name] ??= {});
  for (const node of graph.nodes) {
    const attributes: JsonObject = {};
    if (node.label) attributes['prov:label'] = node.label;
    if (node.kind === 'agent') attributes['prov:type'] = [qualified(agentProvType(node.type)), qualified(domainType(node.type))];
    else attributes['prov:type'] = qualified(domainType(node.type));
    if (node.kind === 'activity' && node.createdBy.recordedAt) {
      attributes['prov:startTime'] = node.createdBy.recordedAt;
      attributes['prov:endTime'] = node.createdBy.recordedAt;
    }
    for (const [key, value] of Object.entries(node.attributes)) {
      if (value === null || value === undefined) continue;
      attributes[`radledger:${key}`] = typeof value === 'object' ? JSON.stringify(value) : value;
    }
    Object.assign(attributes, recordedBy(node.createdBy));
    section(node.kind)[provId(node.id)] = attributes;
  }
  for (const edge of graph.edges) {
    const id = `_:${edge.id}`;
    const from = provId(edge.from);
    const to = provId(edge.to);
    const common = { ...(edge.role ? { 'prov:role': edge.role } : {}), ...recordedBy(edge.createdBy) };
    switch (edge.relation) {
      case 'used':
        section('used')[id] = { 'prov:activity': from, 'prov:entity': to, ...(edge.createdBy.recordedAt ? { 'prov:time': edge.createdBy.recordedAt } : {}), ...common };
        break;
      case 'wasGeneratedBy':
        section('wasGeneratedBy')[id] = { 'prov:entity': from, 'prov:activity': to, ...(edge.createdBy.recordedAt ? { 'prov:time': edge.createdBy.recordedAt } : {}), ...common };
        break;
      case 'wasDerivedFrom':
        section('wasDerivedFrom')[id] = { 'prov:generatedEntity': from, 'prov:usedEntity': to, ...common };
        break;
      case 'wasRevisionOf':
        section('wasDerivedFrom')[id] = { 'prov:generatedEntity': from, 'prov:usedEntity': to, 'prov:type': qualified('prov:Revision'), ...common };
        break;
      case 'wasAssociatedWith':
        section('wasAssociatedWith')[id] = { 'prov:activity': from, 'prov:agent': to, ...common };
        break;
      case 'wasAttributedTo':
        section('wasAttributedTo')[id] = { 'prov:entity': from, 'prov:agent': to, ...common };
        break;
      case 'actedOnBehalfOf':
        section('actedOnBehalfOf')[id] = { 'prov:delegate': from, 'prov:responsible': to, ...common };
        break;
    }
  }
  return doc;
}
