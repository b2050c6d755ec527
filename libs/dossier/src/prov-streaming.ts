import type { RecordedEvent } from '@radledger/ledger';
import { toProvJson, toProvOJsonLd, type ProvGraphInput } from '@radledger/projections';
import type { HashingWriter } from './hashing-writer.js';
import type { ProvStatement } from './prov-statements.js';

/**
 * The read side's PROV serialisers (libs/projections `toProvOJsonLd`, `toProvJson`) are pure
 * functions over a whole graph. A dossier may hold a million events, so they are applied to
 * one event's statements at a time and the fragments are streamed: JSON-LD merges node
 * objects with the same @id, and PROV-JSON records are keyed uniquely (nodes are declared by
 * the one event that creates them, relations get `<position>:<ordinal>` ids).
 */
export function eventGraph(event: RecordedEvent, statements: readonly ProvStatement[]): ProvGraphInput {
  const createdBy = { eventId: event.eventId, type: event.type, hash: event.hash, globalPosition: Number(event.globalPosition), recordedAt: event.meta.recordedAt };
  const nodes: Array<ProvGraphInput['nodes'][number]> = [];
  const edges: Array<ProvGraphInput['edges'][number]> = [];
  for (const st of statements) {
    if ('node' in st) nodes.push({ id: st.node.id, kind: st.node.kind, type: st.node.type, label: st.node.label, attributes: st.node.attributes, createdBy });
    else edges.push({ id: `${event.globalPosition}:${edges.length}`, relation: st.relation.relation, from: st.relation.from, to: st.relation.to, role: st.relation.role, createdBy });
  }
  return { nodes, edges };
}

/** prov.jsonld: W3C PROV-O in JSON-LD, one @graph element per node fragment, in ledger order. */
export class ProvJsonLdStream {
  private first = true;

  constructor(readonly out: HashingWriter) {}

  async begin(documentId: string): Promise<void> {
    const empty = toProvOJsonLd({ nodes: [], edges: [] });
    await this.out.write(`{"@context":${JSON.stringify(empty['@context'])},"@id":${JSON.stringify(documentId)},"@graph":[\n`);
  }

  async add(graph: ProvGraphInput): Promise<void> {
    if (graph.nodes.length === 0 && graph.edges.length === 0) return;
    let text = '';
    for (const node of toProvOJsonLd(graph)['@graph'] as unknown[]) {
      text += `${this.first ? '' : ',\n'}${JSON.stringify(node)}`;
      this.first = false;
    }
    await this.out.write(text);
  }

  async end(): Promise<void> {
    await this.out.write('\n]}\n');
  }
}

/** Output order of the PROV-JSON sections (any other section the serialiser adds follows). */
const SECTION_ORDER = ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasAssociatedWith', 'wasAttributedTo', 'actedOnBehalfOf'];

/**
 * prov.json: PROV-JSON groups records by kind, so each kind streams into its own scratch
 * part (see BundleSink) and the parts are joined into one object at the end.
 */
export class ProvJsonStream {
  private readonly counts = new Map<string, number>();

  constructor(private readonly part: (section: string) => HashingWriter) {}

  header(): string {
    return `{"prefix":${JSON.stringify(toProvJson({ nodes: [], edges: [] })['prefix'])}`;
  }

  async add(graph: ProvGraphInput): Promise<void> {
    if (graph.nodes.length === 0 && graph.edges.length === 0) return;
    for (const [section, records] of Object.entries(toProvJson(graph))) {
      if (section === 'prefix') continue;
      let text = '';
      let count = this.counts.get(section) ?? 0;
      for (const [key, record] of Object.entries(records as Record<string, unknown>)) {
        text += `${count === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(record)}\n`;
        count++;
      }
      this.counts.set(section, count);
      await this.part(section).write(text);
    }
  }

  /** Sections that received records, in output order. */
  sections(): string[] {
    const used = [...this.counts.keys()];
    return [...SECTION_ORDER.filter((s) => used.includes(s)), ...used.filter((s) => !SECTION_ORDER.includes(s)).sort()];
  }
}
