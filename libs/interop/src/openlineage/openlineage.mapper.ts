import type { LineageNode } from '@radledger/projections';
import { contentHashOf, InteropGraph, softwareOf, uuidOf, type InteropSource } from '../interop-source.js';

/** OpenLineage 2.0.2 (spec/OpenLineage.json): the core schema our RunEvents follow. */
export const OPENLINEAGE_RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACETS = {
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  processingEngine: 'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet',
  datasetVersion: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
};
/** Our custom facets (OpenLineage spec: custom facet keys carry a prefix, `_schemaURL` names their schema); schemas in libs/interop/schemas. */
export const RADLEDGER_FACET_SCHEMAS = {
  inclusionProof: 'https://radledger.dev/spec/facets/1-0-0/RadLedgerInclusionProofRunFacet.json#/$defs/RadLedgerInclusionProofRunFacet',
  modelLock: 'https://radledger.dev/spec/facets/1-0-0/RadLedgerModelLockRunFacet.json#/$defs/RadLedgerModelLockRunFacet',
  entity: 'https://radledger.dev/spec/facets/1-0-0/RadLedgerEntityDatasetFacet.json#/$defs/RadLedgerEntityDatasetFacet',
} as const;

type Json = Record<string, unknown>;

export interface OpenLineageOptions {
  /** Namespace of the datasets (content-addressed, so one per deployment); jobs live in `<namespace>/<trialId>`. Default `radledger`. */
  namespace?: string;
  /** URI of the producer; default `https://radledger.dev/producer/<name>/<version>`. */
  producer?: string;
}

export interface OpenLineageRunEvent {
  eventType: 'START' | 'COMPLETE';
  eventTime: string;
  run: { runId: string; facets: Json };
  job: { namespace: string; name: string; facets: Json };
  inputs: Json[];
  outputs: Json[];
  producer: string;
  schemaURL: string;
}

const JOB_KIND: Record<string, string> = {
  preprocessing: 'preprocessing',
  segmentation: 'segmentation',
  'segmentation-edit': 'segmentation-edit',
  'feature-extraction': 'feature-computation',
  inference: 'model-decision',
};

/**
 * OpenLineage 2.x RunEvents for every preprocessing, segmentation (and edit), feature
 * computation and model decision in the source: a START and a COMPLETE per activity, with the
 * run id = the ledger event id that recorded it, both at its recorded time (the ledger records
 * an activity once, when it is reported). Inputs and outputs are datasets named
 * `sha256:<content hash>`. Run facets carry the RFC 9162 inclusion proof of the recording event
 * and, for decisions, the model lock the model version was under.
 */
export function toOpenLineageEvents(source: InteropSource, options: OpenLineageOptions = {}): OpenLineageRunEvent[] {
  const graph = new InteropGraph(source);
  const namespace = options.namespace ?? 'radledger';
  const producer = options.producer ?? `https://radledger.dev/producer/${encodeURIComponent(source.software.name)}/${encodeURIComponent(source.software.version)}`;
  const facet = (schemaURL: string, body: Json): Json => ({ _producer: producer, _schemaURL: schemaURL, ...body });

  const dataset = (node: LineageNode, withFacets: boolean): Json | undefined => {
    const hash = contentHashOf(node);
    if (!hash) return undefined;
    const out: Json = { namespace, name: `sha256:${hash.sha256}` };
    if (withFacets) {
      const attributes = node.attributes;
      const blinded = attributes['blinded'] === true;
      out['facets'] = {
        version: facet(FACETS.datasetVersion, { datasetVersion: node.createdBy.hash }),
        radledger_entity: facet(RADLEDGER_FACET_SCHEMAS.entity, {
          lineageId: node.id,
          entityType: node.type,
          refId: node.refId,
          label: node.label,
          trialId: node.trialId,
          siteId: node.siteId,
          subjectId: node.subjectId,
          contentHashOf: hash.of,
          recordedBy: { eventId: node.createdBy.eventId, eventHash: node.createdBy.hash, globalPosition: node.createdBy.globalPosition },
          ...(blinded ? { blinded: true } : {}),
          // A decision's value, only where the read policy left it (never for a blinded caller).
          ...(node.type === 'decision' && !blinded && typeof attributes['decision'] === 'string' ? { decision: attributes['decision'], threshold: attributes['threshold'] ?? null } : {}),
        }),
      };
    }
    return out;
  };

  const events: OpenLineageRunEvent[] = [];
  for (const activity of graph.activities()) {
    const runId = uuidOf(activity.refId ?? activity.createdBy.eventId);
    const eventTime = activity.createdBy.recordedAt ?? source.generatedAt;
    const software = graph.agents(activity).find((a) => a.node.type === 'software')?.node;
    const tool = software ? softwareOf(software) : undefined;
    const inputs = graph.inputs(activity);
    const model = inputs.find((i) => i.node.type === 'model-version')?.node;
    const jobName =
      activity.type === 'inference' && model ? `${JOB_KIND[activity.type]}.${model.refId ?? model.id}` : `${JOB_KIND[activity.type] ?? activity.type}${tool ? `.${tool.name}` : ''}`;
    const job = { namespace: `${namespace}/${source.scope.trialId}`, name: jobName, facets: { jobType: facet(FACETS.jobType, { processingType: 'BATCH', integration: 'RADLEDGER', jobType: 'TASK' }) } };
    const engine = tool?.version ? { processing_engine: facet(FACETS.processingEngine, { name: tool.name, version: tool.version }) } : {};
    const startInputs = inputs.map((i) => dataset(i.node, false)).filter((d): d is Json => d !== undefined);

    const runFacets: Json = { ...engine };
    const proof = graph.proof(activity);
    if (proof) {
      runFacets['radledger_inclusionProof'] = facet(RADLEDGER_FACET_SCHEMAS.inclusionProof, {
        hashAlgorithm: 'RFC 9162 SHA-256',
        eventId: proof.eventId,
        eventType: proof.eventType,
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        leafHash: proof.leafHash,
        auditPath: proof.auditPath,
        rootHash: proof.rootHash,
        ...(proof.checkpoint ? { checkpoint: proof.checkpoint } : {}),
      });
    }
    if (activity.type === 'inference' && model) {
      const lock = graph.lockOf(model, activity.createdBy.globalPosition);
      const decision = graph.outputs(activity).find((o) => o.type === 'decision');
      const atInference = typeof decision?.attributes['modelSha256'] === 'string' ? (decision.attributes['modelSha256'] as string) : null;
      const modelSha = contentHashOf(model)?.sha256 ?? null;
      runFacets['radledger_modelLock'] = facet(RADLEDGER_FACET_SCHEMAS.modelLock, {
        modelId: model.attributes['modelId'] ?? null,
        version: model.attributes['version'] ?? null,
        modelSha256: modelSha,
        sha256AtInference: atInference,
        hashMatches: atInference === null || modelSha === null ? null : atInference === modelSha,
        locked: lock !== undefined,
        trialId: source.scope.trialId,
        ...(lock ? { lockEventId: lock.createdBy.eventId, lockEventHash: lock.createdBy.hash, lockedAt: lock.createdBy.recordedAt } : {}),
      });
    }
    events.push({ eventType: 'START', eventTime, run: { runId, facets: { ...engine } }, job, inputs: startInputs, outputs: [], producer, schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA });
    events.push({
      eventType: 'COMPLETE',
      eventTime,
      run: { runId, facets: runFacets },
      job,
      inputs: inputs.map((i) => dataset(i.node, true)).filter((d): d is Json => d !== undefined),
      outputs: graph.outputs(activity).map((o) => dataset(o, true)).filter((d): d is Json => d !== undefined),
      producer,
      schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA,
    });
  }
  return events;
}
