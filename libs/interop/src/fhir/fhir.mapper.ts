import type { AuditEntry, LineageNode } from '@radledger/projections';
import { contentHashOf, exportText, InteropGraph, sha256Hex, softwareOf, uuidOf, type InteropSource, type LedgerInclusion } from '../interop-source.js';

type Json = Record<string, unknown>;

const SYSTEM = {
  sha256: 'urn:radledger:sha256',
  user: 'urn:radledger:user',
  site: 'urn:radledger:site',
  software: 'urn:radledger:software',
  stream: 'urn:radledger:stream',
  subject: 'urn:radledger:subject',
  trial: 'urn:radledger:trial',
  activity: 'https://radledger.dev/fhir/CodeSystem/activity-type',
  eventType: 'https://radledger.dev/fhir/CodeSystem/event-type',
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  participant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  dcm: 'http://dicom.nema.org/resources/ontology/DCM',
  securityRole: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
};
/** Extension carrying the ledger event behind a resource and its RFC 9162 inclusion proof. */
export const LEDGER_EVENT_EXTENSION = 'https://radledger.dev/fhir/StructureDefinition/ledger-event';

/** Entities derived by an activity: each gets one Provenance. */
const DERIVED: ReadonlySet<string> = new Set(['preprocessed-image', 'mask-version', 'feature-set', 'decision']);

/** A FHIR id ([A-Za-z0-9-.]{1,64}) derived from what the resource stands for: the same export twice is the same Bundle. */
const fhirId = (kind: string, key: string) => `${kind}-${sha256Hex(`${kind}\n${key}`).slice(0, 40)}`;

function ledgerExtension(ref: { eventId: string; hash: string; globalPosition: number }, proof: LedgerInclusion | undefined): Json {
  const parts: Json[] = [
    { url: 'eventId', valueString: ref.eventId },
    { url: 'eventHash', valueString: ref.hash },
    { url: 'globalPosition', valueString: String(ref.globalPosition) },
  ];
  if (proof) parts.push({ url: 'inclusionProof', valueString: JSON.stringify({ leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: proof.leafHash, auditPath: proof.auditPath, rootHash: proof.rootHash, checkpoint: proof.checkpoint }) });
  return { url: LEDGER_EVENT_EXTENSION, extension: parts };
}

const byHash = (node: LineageNode): Json => {
  const hash = contentHashOf(node);
  return {
    ...(hash ? { identifier: { system: SYSTEM.sha256, value: hash.sha256 } } : { identifier: { system: 'urn:radledger:lineage', value: node.id } }),
    display: node.label ?? node.id,
  };
};

function agentReference(node: LineageNode): Json {
  if (node.type === 'software') {
    const s = softwareOf(node);
    return { identifier: { system: SYSTEM.software, value: s.version ? `${s.name}@${s.version}` : s.name }, display: node.label ?? s.name };
  }
  return { identifier: { system: node.type === 'site' ? SYSTEM.site : SYSTEM.user, value: node.refId ?? node.id }, display: node.label ?? node.refId ?? node.id };
}

const PARTICIPANT: Record<string, [string, string]> = { user: ['author', 'Author'], software: ['assembler', 'Assembler'], site: ['custodian', 'Custodian'] };

function provenanceOf(graph: InteropGraph, entity: LineageNode, source: InteropSource): Json {
  const activity = graph.generatedBy(entity);
  const at = activity?.createdBy.recordedAt ?? entity.createdBy.recordedAt ?? source.generatedAt;
  const agents = (activity ? graph.agents(activity) : []).map(({ node, role }) => {
    const [code, display] = PARTICIPANT[node.type] ?? ['performer', 'Performer'];
    return { type: { coding: [{ system: SYSTEM.participant, code, display }] }, ...(role ? { role: [{ text: role }] } : {}), who: agentReference(node) };
  });
  const site = entity.siteId ? graph.byId.get(`site:${entity.siteId}`) : undefined;
  if (site && !agents.some((a) => (a.who as Json)['display'] === (site.label ?? site.refId))) agents.push({ type: { coding: [{ system: SYSTEM.participant, code: 'custodian', display: 'Custodian' }] }, who: agentReference(site) });
  if (agents.length === 0) {
    agents.push({ type: { coding: [{ system: SYSTEM.participant, code: 'assembler', display: 'Assembler' }] }, who: { identifier: { system: SYSTEM.software, value: `${source.software.name}@${source.software.version}` }, display: `${source.software.name} ${source.software.version}` } });
  }
  const derivedFrom = new Set(graph.targets(entity.id, 'wasDerivedFrom').map((t) => t.node.id));
  const revisionOf = new Set(graph.targets(entity.id, 'wasRevisionOf').map((t) => t.node.id));
  const inputs = activity ? graph.inputs(activity) : [];
  const isEdit = activity?.type === 'segmentation-edit' || revisionOf.size > 0;
  const reason = typeof entity.attributes['reason'] === 'string' ? (entity.attributes['reason'] as string) : undefined;
  return {
    resourceType: 'Provenance',
    id: fhirId('provenance', entity.id),
    extension: [ledgerExtension(activity?.createdBy ?? entity.createdBy, activity ? graph.proof(activity) : graph.proof(entity))],
    target: [byHash(entity)],
    occurredDateTime: at,
    recorded: at,
    ...(reason ? { reason: [{ text: exportText(reason) }] } : {}),
    activity: {
      coding: [
        { system: SYSTEM.dataOperation, code: isEdit ? 'UPDATE' : 'CREATE', display: isEdit ? 'revise' : 'create' },
        ...(activity ? [{ system: SYSTEM.activity, code: activity.type }] : []),
      ],
      ...(activity?.label ? { text: exportText(activity.label) } : {}),
    },
    agent: agents,
    ...(inputs.length > 0
      ? {
          entity: inputs.map(({ node, role }) => ({
            role: revisionOf.has(node.id) ? 'revision' : derivedFrom.has(node.id) ? 'derivation' : 'source',
            what: { ...byHash(node), ...(role ? { display: `${node.label ?? node.id} (${role})` } : {}) },
          })),
        }
      : {}),
  };
}

const UPDATE = /(Edited|Overridden|Retired|Assigned|Unlocked|Revoked|Set)$/;

/** One AuditEvent per recorded change (IHE BALP ideas: DICOM event type, CRUDE action, the user as requestor, the application as source, the subject as a Patient-role entity). */
function auditEventOf(entry: AuditEntry, source: InteropSource): Json {
  const action = entry.eventType === 'PayloadRedacted' ? 'D' : UPDATE.test(entry.eventType) ? 'U' : entry.eventType === 'RecordSigned' ? 'E' : 'C';
  const agents: Json[] = [];
  if (entry.actor) {
    agents.push({
      type: { coding: [{ system: SYSTEM.securityRole, code: 'humanuser', display: 'human user' }] },
      ...(entry.role ? { role: [{ text: entry.role }] } : {}),
      who: { identifier: { system: SYSTEM.user, value: entry.actor }, display: entry.actorName ?? entry.actor },
      requestor: true,
    });
  }
  if (entry.onBehalfOf) agents.push({ who: { identifier: { system: SYSTEM.user, value: entry.onBehalfOf } }, requestor: false });
  agents.push({ type: { coding: [{ system: SYSTEM.dcm, code: '110150', display: 'Application' }] }, who: { display: entry.client ?? source.software.name }, requestor: agents.length === 0 });
  const details: Json[] = [
    { type: 'eventId', valueString: entry.eventId },
    { type: 'eventHash', valueString: entry.eventHash },
    { type: 'globalPosition', valueString: String(entry.globalPosition) },
  ];
  if (entry.reason) details.push({ type: 'reason', valueString: exportText(entry.reason) });
  const entities: Json[] = [
    {
      what: { identifier: { system: SYSTEM.stream, value: entry.streamId }, ...(entry.entityId ? { display: entry.entityId } : {}) },
      type: { system: SYSTEM.entityType, code: '2', display: 'System Object' },
      description: exportText(entry.summary),
      detail: details,
    },
  ];
  if (entry.subjectId) {
    entities.push({
      what: { identifier: { system: `${SYSTEM.subject}:${entry.trialId ?? source.scope.trialId}`, value: entry.subjectId } },
      type: { system: SYSTEM.entityType, code: '1', display: 'Person' },
      role: { system: SYSTEM.objectRole, code: '1', display: 'Patient' },
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: fhirId('audit', entry.eventId),
    type: entry.subjectId ? { system: SYSTEM.dcm, code: '110110', display: 'Patient Record' } : { system: SYSTEM.dcm, code: '110100', display: 'Application Activity' },
    subtype: [{ system: SYSTEM.eventType, code: entry.eventType }],
    action,
    recorded: entry.recordedAt ?? source.generatedAt,
    outcome: '0',
    agent: agents,
    source: sourceOf(source),
    entity: entities,
  };
}

function sourceOf(source: InteropSource): Json {
  return {
    site: source.software.name,
    observer: { identifier: { system: SYSTEM.software, value: `${source.software.name}@${source.software.version}` }, display: `${source.software.name} ${source.software.version}` },
    type: [{ system: SYSTEM.sourceType, code: '4', display: 'Application Server' }],
  };
}

/** The export itself is an access to the trial's records (BALP: DICOM 110106 Export). */
function exportAuditEvent(source: InteropSource): Json {
  const { scope } = source;
  return {
    resourceType: 'AuditEvent',
    id: fhirId('export', `${scope.trialId}\n${scope.siteId ?? ''}\n${scope.subjectId ?? ''}\n${source.generatedAt}\n${source.requestedBy ?? ''}`),
    type: { system: SYSTEM.dcm, code: '110106', display: 'Export' },
    subtype: [{ system: SYSTEM.eventType, code: 'interopExport' }],
    action: 'R',
    recorded: source.generatedAt,
    outcome: '0',
    agent: [
      source.requestedBy
        ? { type: { coding: [{ system: SYSTEM.securityRole, code: 'humanuser', display: 'human user' }] }, who: { identifier: { system: SYSTEM.user, value: source.requestedBy } }, requestor: true }
        : { type: { coding: [{ system: SYSTEM.dcm, code: '110150', display: 'Application' }] }, who: { display: `${source.software.name} command line` }, requestor: true },
    ],
    source: sourceOf(source),
    entity: [
      {
        what: { identifier: { system: SYSTEM.trial, value: scope.trialId } },
        type: { system: SYSTEM.entityType, code: '2', display: 'System Object' },
        description: `FHIR export of trial ${scope.trialId}${scope.siteId ? ` site ${scope.siteId}` : ''}${scope.subjectId ? ` subject ${scope.subjectId}` : ''} as of ledger position ${source.asOfPosition}`,
      },
      ...(scope.subjectId
        ? [{ what: { identifier: { system: `${SYSTEM.subject}:${scope.trialId}`, value: scope.subjectId } }, type: { system: SYSTEM.entityType, code: '1', display: 'Person' }, role: { system: SYSTEM.objectRole, code: '1', display: 'Patient' } }]
        : []),
    ],
  };
}

/**
 * A FHIR R4 Bundle (type collection) of one Provenance per derived artefact (preprocessed
 * image, mask version, feature set, decision; targets and sources named by content hash) and
 * one AuditEvent per recorded change in scope plus one for this export.
 */
export function toFhirBundle(source: InteropSource): Json {
  const graph = new InteropGraph(source);
  const provenances = source.nodes.filter((n) => n.kind === 'entity' && DERIVED.has(n.type) && n.depth === 0).map((n) => provenanceOf(graph, n, source));
  const audits = [...source.audit].sort((a, b) => a.globalPosition - b.globalPosition).map((e) => auditEventOf(e, source));
  const resources = [...provenances, ...audits, exportAuditEvent(source)];
  const { scope } = source;
  return {
    resourceType: 'Bundle',
    id: fhirId('bundle', `${scope.trialId}\n${scope.siteId ?? ''}\n${scope.subjectId ?? ''}\n${source.asOfPosition}`),
    meta: { lastUpdated: source.generatedAt },
    identifier: { system: 'urn:radledger:export', value: `${scope.trialId}${scope.siteId ? `/${scope.siteId}` : ''}${scope.subjectId ? `/${scope.subjectId}` : ''}@${source.asOfPosition}` },
    type: 'collection',
    timestamp: source.generatedAt,
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${uuidOf(`${resource['resourceType'] as string}/${resource['id'] as string}`)}`, resource })),
  };
}
