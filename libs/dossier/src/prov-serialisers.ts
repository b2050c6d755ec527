import type { HashingWriter } from './hashing-writer.js';
import type { ProvNode, ProvRelation, ProvStatement } from './prov-statements.js';

/** Every node id is a URN under this namespace (ids are compact IRIs `rl:<type>:<id>`). */
export const RADLEDGER_NS = 'urn:radledger:';
const VOCAB = 'https://radledger.org/ns/dossier#';

/** IRI-safe node ids: anything outside the unreserved set and ':' '@' '/' is percent-encoded. */
export function provIri(id: string): string {
  return `rl:${id.replace(/[^A-Za-z0-9._~:@/-]/g, (c) => encodeURIComponent(c))}`;
}

const PROV_CLASS: Record<ProvNode['kind'], string> = { entity: 'prov:Entity', activity: 'prov:Activity', agent: 'prov:Agent' };

/**
 * W3C PROV-O (a W3C Recommendation) as JSON-LD 1.1, written one graph node per statement:
 * JSON-LD merges node objects with the same @id, so relations can be emitted as soon as
 * their event is read and the file streams in ledger order.
 */
export class ProvJsonLdWriter {
  private first = true;

  constructor(readonly out: HashingWriter) {}

  async begin(): Promise<void> {
    const context = {
      prov: 'http://www.w3.org/ns/prov#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
      rl: RADLEDGER_NS,
      rld: VOCAB,
    };
    await this.out.write(`{"@context":${JSON.stringify(context)},"@graph":[\n`);
  }

  /** One event's statements, written in one call (the per-event cost dominates large exports). */
  async statements(sts: readonly ProvStatement[]): Promise<void> {
    if (sts.length === 0) return;
    let text = '';
    for (const st of sts) {
      text += `${this.first ? '' : ',\n'}${JSON.stringify(jsonLdNode(st))}`;
      this.first = false;
    }
    await this.out.write(text);
  }

  async end(): Promise<void> {
    await this.out.write('\n]}\n');
  }
}

const JSONLD_PROPERTY: Record<ProvRelation['relation'], string> = {
  used: 'prov:used',
  wasGeneratedBy: 'prov:wasGeneratedBy',
  wasDerivedFrom: 'prov:wasDerivedFrom',
  wasRevisionOf: 'prov:wasRevisionOf',
  wasAssociatedWith: 'prov:wasAssociatedWith',
  wasAttributedTo: 'prov:wasAttributedTo',
  actedOnBehalfOf: 'prov:actedOnBehalfOf',
};

function jsonLdNode(st: ProvStatement): Record<string, unknown> {
  if ('node' in st) {
    const { node } = st;
    const out: Record<string, unknown> = {
      '@id': provIri(node.id),
      '@type': [PROV_CLASS[node.kind], `rld:${node.type}`],
      'rdfs:label': node.label,
      'rld:recordedByEvent': node.eventId,
    };
    if (node.kind === 'activity') out['prov:startedAtTime'] = { '@value': node.time, '@type': 'xsd:dateTime' };
    if (node.kind === 'entity') out['prov:generatedAtTime'] = { '@value': node.time, '@type': 'xsd:dateTime' };
    for (const [k, v] of Object.entries(node.attributes)) if (v !== null) out[`rld:${k}`] = v;
    return out;
  }
  const { relation } = st;
  const node: Record<string, unknown> = { '@id': provIri(relation.from), [JSONLD_PROPERTY[relation.relation]]: { '@id': provIri(relation.to) } };
  return node;
}

type Section = 'entity' | 'activity' | 'agent' | ProvRelation['relation'];
const SECTIONS: Section[] = ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasRevisionOf', 'wasAssociatedWith', 'wasAttributedTo', 'actedOnBehalfOf'];

/** PROV-JSON (W3C Member Submission) argument names per relation. */
const PROV_JSON_ARGS: Record<ProvRelation['relation'], [string, string]> = {
  used: ['prov:activity', 'prov:entity'],
  wasGeneratedBy: ['prov:entity', 'prov:activity'],
  wasDerivedFrom: ['prov:generatedEntity', 'prov:usedEntity'],
  wasRevisionOf: ['prov:generatedEntity', 'prov:usedEntity'],
  wasAssociatedWith: ['prov:activity', 'prov:agent'],
  wasAttributedTo: ['prov:entity', 'prov:agent'],
  actedOnBehalfOf: ['prov:delegate', 'prov:responsible'],
};

/**
 * PROV-JSON groups records by kind, so each group is streamed into its own scratch part
 * (see BundleSink) and the parts are joined into one object at the end.
 */
export class ProvJsonWriter {
  private readonly counts = new Map<Section, number>();
  private relationIds = 0;

  constructor(private readonly part: (section: Section) => HashingWriter) {}

  static readonly sections = SECTIONS;

  static header(): string {
    return `{"prefix":${JSON.stringify({ rl: RADLEDGER_NS, rld: VOCAB, xsd: 'http://www.w3.org/2001/XMLSchema#' })}`;
  }

  /** One event's statements: grouped by section, one write per section touched. */
  async statements(sts: readonly ProvStatement[]): Promise<void> {
    const texts = new Map<Section, string>();
    for (const st of sts) {
      if ('node' in st) {
        const { node } = st;
        const record: Record<string, unknown> = { 'prov:type': `rld:${node.type}`, 'prov:label': node.label, 'rld:recordedByEvent': node.eventId };
        if (node.kind === 'activity') record['prov:startTime'] = node.time;
        for (const [k, v] of Object.entries(node.attributes)) if (v !== null) record[`rld:${k}`] = v;
        this.add(texts, node.kind, provIri(node.id), record);
        continue;
      }
      const { relation } = st;
      const [a, b] = PROV_JSON_ARGS[relation.relation];
      const record: Record<string, unknown> = { [a]: provIri(relation.from), [b]: provIri(relation.to), 'rld:recordedByEvent': relation.eventId };
      if (relation.role) record['prov:role'] = relation.role;
      if (relation.relation === 'wasRevisionOf') {
        record['prov:type'] = 'prov:Revision';
        this.add(texts, 'wasDerivedFrom', `_:r${this.relationIds++}`, record);
      } else {
        this.add(texts, relation.relation, `_:r${this.relationIds++}`, record);
      }
    }
    for (const [section, text] of texts) await this.part(section).write(text);
  }

  private add(texts: Map<Section, string>, section: Section, key: string, record: unknown): void {
    const count = this.counts.get(section) ?? 0;
    this.counts.set(section, count + 1);
    texts.set(section, `${texts.get(section) ?? ''}${count === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(record)}\n`);
  }

  /** Sections that received records, in output order. */
  usedSections(): Section[] {
    return SECTIONS.filter((s) => (this.counts.get(s) ?? 0) > 0);
  }
}

export type ProvJsonSection = Section;
