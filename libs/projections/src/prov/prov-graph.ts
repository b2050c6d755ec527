/**
 * The input of the PROV serialisers: a lineage graph as returned by LineageQuery (or built
 * by the dossier from a bundle). Pure data, so the serialisers are pure functions.
 */
export interface ProvEventRef {
  eventId: string;
  type: string;
  hash: string;
  globalPosition: number;
  recordedAt: string | null;
}

export interface ProvNodeInput {
  id: string;
  kind: 'entity' | 'activity' | 'agent';
  type: string;
  label: string | null;
  attributes: Record<string, unknown>;
  createdBy: ProvEventRef;
}

export interface ProvEdgeInput {
  id: string;
  relation: 'used' | 'wasGeneratedBy' | 'wasDerivedFrom' | 'wasRevisionOf' | 'wasAssociatedWith' | 'wasAttributedTo' | 'actedOnBehalfOf';
  from: string;
  to: string;
  role: string | null;
  createdBy: ProvEventRef;
}

export interface ProvGraphInput {
  nodes: readonly ProvNodeInput[];
  edges: readonly ProvEdgeInput[];
}

export const PROV_NS = 'http://www.w3.org/ns/prov#';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema#';
export const RDFS_NS = 'http://www.w3.org/2000/01/rdf-schema#';
export const RADLEDGER_NS = 'https://radledger.dev/ns#';

/** Compact IRI of a lineage id (`image:IMG-1` → `radledger:image:IMG-1`); characters outside IRI fragments are percent-encoded. */
export function provId(id: string): string {
  return `radledger:${id.replace(/[^A-Za-z0-9._~:@/!$&'()*+,;=-]/g, (c) => encodeURIComponent(c))}`;
}

/** PROV-DM agent subtypes (§5.3.1) for our agents. */
export function agentProvType(type: string): 'prov:Person' | 'prov:Organization' | 'prov:SoftwareAgent' {
  if (type === 'site') return 'prov:Organization';
  if (type === 'software') return 'prov:SoftwareAgent';
  return 'prov:Person';
}

/** `mask-version` → `radledger:MaskVersion`. */
export function domainType(type: string): string {
  return `radledger:${type.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
}
