import { ValidationError } from '@radledger/platform';
import type { LineageNode } from '@radledger/projections';
import { contentHashOf, InteropGraph, interopFile, sha256Hex, softwareOf, type InteropFile, type InteropSource } from '../interop-source.js';

type Json = Record<string, unknown>;

/** The JSON-LD context and version the BEP028 examples name. */
export const BIDS_PROV_CONTEXT = 'https://purl.org/nidash/bidsprov/context.json';
export const BIDS_PROV_VERSION = '0.0.1';
/** The `prov-<label>` entity of our files (BIDS: alphanumeric label). */
export const BIDS_PROV_LABEL = 'radledger';

/** BIDS labels are alphanumeric: `SUBJ-000002` → `SUBJ000002`. */
export function bidsLabel(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '') || 'x';
}

const slug = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
/** `bids::prov#<label>-<uid>`: BIDS identifiers for activities, software and environments; the uid is derived from what the object stands for. */
const provId = (label: string, key: string) => `bids::prov#${slug(label)}-${sha256Hex(key).slice(0, 8)}`;

function entityId(node: LineageNode): string {
  const hash = contentHashOf(node);
  return hash && hash.of === 'artifact' ? `bids::prov#entity-${hash.sha256.slice(0, 16)}` : provId(`entity-${node.type}`, node.id);
}

/**
 * BIDS-Prov (BEP028) files for one subject: `prov/prov-radledger_act.json` (Activities),
 * `_soft.json` (Software), `_ent.json` (Entities with their SHA-256 digests), a
 * `provenance.tsv` label file, and the aggregated JSON-LD (`@context`, `BIDSProvVersion`,
 * `Records` with Software, Activities, Entities and Agents) as the BEP's examples ship it.
 */
export function toBidsProv(source: InteropSource): InteropFile[] {
  const { scope } = source;
  if (!scope.subjectId) throw new ValidationError('SUBJECT_REQUIRED', 'subjectId: BIDS-Prov files describe one subject; name the subject', { field: 'subjectId' });
  const graph = new InteropGraph(source);
  const activities = source.nodes.filter((n) => n.kind === 'activity' && n.type !== 'model-lock').sort((a, b) => a.createdBy.globalPosition - b.createdBy.globalPosition);
  const software = new Map<string, Json>();
  const agents = new Map<string, Json>();
  const entities = new Map<string, Json>();

  const agentId = (node: LineageNode): string => {
    if (node.type === 'software') {
      const s = softwareOf(node);
      const id = provId(s.name, node.id);
      if (!software.has(id)) software.set(id, { Id: id, Label: s.name, ...(s.version ? { Version: s.version } : {}) });
      return id;
    }
    const id = provId(`${node.type}-${node.refId ?? node.id}`, node.id);
    if (!agents.has(id)) agents.set(id, { Id: id, Label: node.label ?? node.refId ?? node.id, Type: node.type === 'site' ? 'prov:Organization' : 'prov:Person' });
    return id;
  };
  const entity = (node: LineageNode): string => {
    const id = entityId(node);
    if (!entities.has(id)) {
      const hash = contentHashOf(node);
      const generator = graph.generatedBy(node);
      entities.set(id, {
        Id: id,
        Label: node.label ?? node.id,
        ...(generator && generator.type !== 'model-lock' ? { GeneratedBy: activityId(generator) } : {}),
        ...(hash?.of === 'artifact' ? { Digest: { 'SHA-256': hash.sha256 } } : {}),
      });
    }
    return id;
  };
  const activityId = (node: LineageNode) => provId(node.type, node.createdBy.eventId || node.id);

  const records = activities.map((activity) => {
    const associated = graph.agents(activity).map((a) => agentId(a.node));
    const used = graph.inputs(activity).map((i) => entity(i.node));
    for (const output of graph.outputs(activity)) entity(output);
    const at = activity.createdBy.recordedAt;
    return {
      Id: activityId(activity),
      Label: activity.label ?? activity.type,
      ...(associated.length === 1 ? { AssociatedWith: associated[0] } : associated.length > 1 ? { AssociatedWith: associated } : {}),
      ...(used.length > 0 ? { Used: used } : {}),
      ...(at ? { StartedAtTime: at, EndedAtTime: at } : {}),
    };
  });

  const dir = `prov/prov-${BIDS_PROV_LABEL}`;
  const softwareList = [...software.values()];
  const entityList = [...entities.values()];
  const merged = {
    '@context': BIDS_PROV_CONTEXT,
    BIDSProvVersion: BIDS_PROV_VERSION,
    Records: { Software: softwareList, Activities: records, Entities: entityList, Agents: [...agents.values()] },
  };
  const description = `RadLedger ledger provenance of subject ${scope.subjectId} (sub-${bidsLabel(scope.subjectId)}) in trial ${scope.trialId}, as of ledger position ${source.asOfPosition}`;
  return [
    interopFile(`${dir}/prov-${BIDS_PROV_LABEL}_act.json`, 'application/json', { Activities: records }),
    interopFile(`${dir}/prov-${BIDS_PROV_LABEL}_soft.json`, 'application/json', { Software: softwareList }),
    interopFile(`${dir}/prov-${BIDS_PROV_LABEL}_ent.json`, 'application/json', { Entities: entityList }),
    interopFile('prov/provenance.tsv', 'text/tab-separated-values', `provenance_id\tdescription\nprov-${BIDS_PROV_LABEL}\t${description.replace(/[\t\n]/g, ' ')}\n`),
    interopFile(`${dir}/prov-${BIDS_PROV_LABEL}.prov.jsonld`, 'application/ld+json', merged),
  ];
}
