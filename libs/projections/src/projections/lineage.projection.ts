import type { RecordedEvent } from '@radledger/ledger';
import type { ColumnValue, Projection, RowOperation, SqlScalar, TableSchema } from '../projection.js';
import { dataOf, eventColumns, EVENT_COLUMNS, json, num, obj, strings, text, type EventData } from './event-fields.js';

/** W3C PROV-DM core types (PROV-DM §2.1): every node is one of these. */
export type ProvKind = 'entity' | 'activity' | 'agent';

/** What the users call the nodes (the PROV subtype). */
export type LineageNodeType =
  | 'image'
  | 'preprocessed-image'
  | 'mask-version'
  | 'feature-set'
  | 'model-version'
  | 'decision'
  | 'acquisition'
  | 'preprocessing'
  | 'segmentation'
  | 'segmentation-edit'
  | 'segmentation-review'
  | 'feature-extraction'
  | 'model-registration'
  | 'model-lock'
  | 'inference'
  | 'decision-override'
  | 'user'
  | 'site'
  | 'software';

/**
 * PROV-DM relations (§5). Edges point from the dependent to what it depends on, as in PROV
 * (`entity wasGeneratedBy activity`, `activity used entity`), so UPSTREAM follows edges.
 */
export type LineageRelation =
  | 'used'
  | 'wasGeneratedBy'
  | 'wasDerivedFrom'
  | 'wasRevisionOf'
  | 'wasAssociatedWith'
  | 'wasAttributedTo'
  | 'actedOnBehalfOf';

export const LINEAGE_NODE_TABLE = 'rm_lineage_node';
export const LINEAGE_EDGE_TABLE = 'rm_lineage_edge';
/** Content hash → the first entity recorded with those bytes (links a feature run to the preprocessed image it read). */
export const LINEAGE_ARTIFACT_TABLE = 'rm_lineage_artifact';
/** The ledger events that created nodes and edges, once per event (nodes and edges keep only the position). */
export const LINEAGE_EVENT_TABLE = 'rm_lineage_event';

const tables: TableSchema[] = [
  {
    name: LINEAGE_NODE_TABLE,
    columns: {
      node_id: 'text',
      kind: 'text',
      node_type: 'text',
      ref_id: 'text',
      label: 'text',
      trial_id: 'text',
      site_id: 'text',
      subject_id: 'text',
      attributes: 'text',
      global_position: 'integer',
    },
    primaryKey: ['node_id'],
    // ref_id: findNode by domain id. (No trial/type index: no query reads nodes by trial.)
    indexes: [['ref_id']],
  },
  {
    name: LINEAGE_EDGE_TABLE,
    columns: {
      global_position: 'integer',
      ordinal: 'integer',
      relation: 'text',
      from_id: 'text',
      to_id: 'text',
      role: 'text',
    },
    // (position, ordinal) identifies an edge (a replay writes the same keys); leading with from_id makes
    // the key the UPSTREAM walk's index too (on SQLite the rows are stored in that order), so an edge
    // costs two B-tree writes (key, to_id) instead of four.
    primaryKey: ['from_id', 'global_position', 'ordinal'],
    indexes: [['to_id']],
  },
  { name: LINEAGE_ARTIFACT_TABLE, columns: { sha256: 'text', node_id: 'text' }, primaryKey: ['sha256'] },
  { name: LINEAGE_EVENT_TABLE, columns: { ...EVENT_COLUMNS }, primaryKey: ['global_position'] },
];

/** Node ids are namespaced by type so that ids from different contexts never collide. */
export const lineageIds = {
  image: (imageId: string) => `image:${imageId}`,
  preprocessed: (imageId: string, stepId: string) => `preprocessed:${imageId}:${stepId}`,
  mask: (versionId: string) => `mask:${versionId}`,
  featureSet: (featureSetId: string) => `featureset:${featureSetId}`,
  model: (modelId: string, version: string) => `model:${modelId}@${version}`,
  decision: (decisionId: string) => `decision:${decisionId}`,
  activity: (eventId: string) => `activity:${eventId}`,
  user: (userId: string) => `user:${userId}`,
  site: (siteId: string) => `site:${siteId}`,
  software: (name: string, version: string | null) => `software:${name}${version ? `@${version}` : ''}`,
};

const HANDLED = new Set([
  'SiteEnrolled',
  'UserRegistered',
  'ImageAcquired',
  'PreprocessingApplied',
  'SegmentationCreated',
  'SegmentationEdited',
  'SegmentationReviewed',
  'FeaturesComputed',
  'ModelRegistered',
  'ModelLocked',
  'ModelDecisionMade',
  'DecisionOverridden',
]);

/** Collects one event's nodes and edges; edges are keyed `(position, ordinal)`, so replays write the same keys. */
class LineageWriter {
  readonly operations: RowOperation[] = [];
  private ordinal = 0;
  private readonly position: number;

  constructor(private readonly event: RecordedEvent) {
    this.position = Number(event.globalPosition);
  }

  /** Records the creating event once, if the event produced any node or edge. */
  finish(): RowOperation[] {
    if (this.operations.length > 0) this.operations.push({ op: 'upsert', table: LINEAGE_EVENT_TABLE, row: eventColumns(this.event) });
    return this.operations;
  }

  node(
    nodeId: string,
    kind: ProvKind,
    type: LineageNodeType,
    fields: { refId?: string | null; label?: string | null; attributes?: EventData; context?: Context; replace?: boolean },
  ): void {
    const context = fields.context ?? {};
    const row: Record<string, ColumnValue> = {
      node_id: nodeId,
      kind,
      node_type: type,
      ref_id: fields.refId ?? null,
      label: fields.label ?? null,
      trial_id: context.trialId ?? null,
      site_id: context.siteId ?? null,
      subject_id: context.subjectId ?? null,
      attributes: json(fields.attributes ?? null),
      global_position: this.position,
    };
    this.operations.push({ op: fields.replace ? 'upsert' : 'insertIfAbsent', table: LINEAGE_NODE_TABLE, row });
  }

  /** An agent appears on first mention; a later registration (site name, printed name) only sets its label. */
  agent(nodeId: string, type: 'user' | 'site' | 'software', refId: string, label: string | null, context: Context = {}): void {
    this.node(nodeId, 'agent', type, { refId, label, context });
    if (label) this.operations.push({ op: 'update', table: LINEAGE_NODE_TABLE, set: { label }, where: { node_id: nodeId } });
  }

  edge(relation: LineageRelation, from: string, to: ColumnValue, role: string | null = null): void {
    this.operations.push({
      op: 'upsert',
      table: LINEAGE_EDGE_TABLE,
      row: { global_position: this.position, ordinal: this.ordinal++, relation, from_id: from, to_id: to, role },
    });
  }

  artifact(sha256: string | null, nodeId: string): void {
    if (sha256) this.operations.push({ op: 'insertIfAbsent', table: LINEAGE_ARTIFACT_TABLE, row: { sha256, node_id: nodeId } });
  }

  /** The recording user, the activity's associations, and the activity node itself. */
  activity(type: LineageNodeType, label: string, context: Context, software?: { name: string | null; version: string | null }): string {
    const activityId = lineageIds.activity(this.event.eventId);
    this.node(activityId, 'activity', type, { refId: this.event.eventId, label, context });
    const actor = this.event.meta?.actor;
    if (actor) {
      const userId = lineageIds.user(actor);
      this.node(userId, 'agent', 'user', { refId: actor, label: actor });
      this.edge('wasAssociatedWith', activityId, userId, this.event.meta?.role ?? null);
    }
    if (software?.name) {
      const softwareId = lineageIds.software(software.name, software.version);
      this.node(softwareId, 'agent', 'software', {
        refId: softwareId.slice('software:'.length),
        label: software.version ? `${software.name} ${software.version}` : software.name,
      });
      this.edge('wasAssociatedWith', activityId, softwareId, 'tool');
    }
    return activityId;
  }
}

interface Context {
  trialId?: SqlScalar | ColumnValue;
  siteId?: SqlScalar | ColumnValue;
  subjectId?: SqlScalar | ColumnValue;
}

/** Context (trial, site, subject) copied from an earlier node, for events that only name the entity they touch. */
function contextOf(nodeId: string): Context {
  const from = (column: string): ColumnValue => ({ lookup: { table: LINEAGE_NODE_TABLE, where: { node_id: nodeId }, column } });
  return { trialId: from('trial_id'), siteId: from('site_id'), subjectId: from('subject_id') };
}

/** The entity that holds the given bytes (e.g. the preprocessed image a feature run read), else the fallback id. */
function entityByHash(sha256: string | null, fallback: string): ColumnValue {
  if (!sha256) return fallback;
  return { lookup: { table: LINEAGE_ARTIFACT_TABLE, where: { sha256 }, column: 'node_id' }, fallback };
}

function evolve(event: RecordedEvent): RowOperation[] {
  const d = dataOf(event);
  const w = new LineageWriter(event);
  switch (event.type) {
    case 'SiteEnrolled': {
      const siteId = text(d, 'siteId');
      if (siteId) w.agent(lineageIds.site(siteId), 'site', siteId, text(d, 'name'), { trialId: text(d, 'trialId'), siteId });
      break;
    }
    case 'UserRegistered': {
      const userId = text(d, 'userId');
      if (userId) w.agent(lineageIds.user(userId), 'user', userId, text(d, 'printedName'));
      break;
    }
    case 'ImageAcquired': {
      const imageId = text(d, 'imageId');
      if (!imageId) break;
      const context = { trialId: text(d, 'trialId'), siteId: text(d, 'siteId'), subjectId: text(d, 'subjectId') };
      const image = lineageIds.image(imageId);
      const scanner = obj(d, 'scanner');
      w.node(image, 'entity', 'image', {
        refId: imageId,
        label: `${text(d, 'modality') ?? 'image'} ${imageId}`,
        context,
        replace: true,
        attributes: {
          modality: text(d, 'modality'),
          sha256: text(d, 'artifactSha256'),
          scanner: [text(scanner, 'vendor'), text(scanner, 'model')].filter(Boolean).join(' ') || null,
          fieldStrengthT: num(d, 'fieldStrengthT'),
        },
      });
      w.artifact(text(d, 'artifactSha256'), image);
      const activity = w.activity('acquisition', `acquisition of ${imageId}`, context);
      w.edge('wasGeneratedBy', image, activity);
      if (context.siteId) {
        const site = lineageIds.site(context.siteId);
        w.node(site, 'agent', 'site', { refId: context.siteId, label: context.siteId, context: { trialId: context.trialId, siteId: context.siteId } });
        w.edge('wasAssociatedWith', activity, site, 'site');
        w.edge('wasAttributedTo', image, site);
      }
      break;
    }
    case 'PreprocessingApplied': {
      const imageId = text(d, 'imageId');
      const stepId = text(d, 'stepId');
      if (!imageId || !stepId) break;
      const context = contextOf(lineageIds.image(imageId));
      const output = lineageIds.preprocessed(imageId, stepId);
      const input = entityByHash(text(d, 'inputSha256'), lineageIds.image(imageId));
      w.node(output, 'entity', 'preprocessed-image', {
        refId: stepId,
        label: `${text(d, 'tool') ?? 'preprocessing'} output of ${imageId}`,
        context,
        replace: true,
        attributes: { imageId, sha256: text(d, 'outputSha256'), parameters: d['parameters'] ?? null },
      });
      w.artifact(text(d, 'outputSha256'), output);
      const activity = w.activity('preprocessing', `${text(d, 'tool') ?? 'preprocessing'} ${stepId}`, context, {
        name: text(d, 'tool'),
        version: text(d, 'toolVersion'),
      });
      w.edge('used', activity, input, 'input');
      w.edge('wasGeneratedBy', output, activity);
      w.edge('wasDerivedFrom', output, input);
      break;
    }
    case 'SegmentationCreated': {
      const versionId = text(d, 'versionId');
      const imageId = text(d, 'imageId');
      if (!versionId || !imageId) break;
      const imageNode = lineageIds.image(imageId);
      const context = { trialId: text(d, 'trialId'), subjectId: text(d, 'subjectId'), siteId: contextOf(imageNode).siteId };
      const mask = lineageIds.mask(versionId);
      const input = entityByHash(text(d, 'imageSha256'), imageNode);
      w.node(mask, 'entity', 'mask-version', {
        refId: versionId,
        label: `${text(d, 'region') ?? 'mask'} ${versionId}`,
        context,
        replace: true,
        attributes: {
          segmentationId: text(d, 'segmentationId'),
          sha256: text(d, 'maskSha256'),
          method: text(d, 'method'),
          region: text(d, 'region'),
          volumeMm3: num(d, 'volumeMm3'),
        },
      });
      w.artifact(text(d, 'maskSha256'), mask);
      const activity = w.activity('segmentation', `segmentation ${versionId}`, context, { name: text(d, 'tool'), version: text(d, 'toolVersion') });
      w.edge('used', activity, input, 'image');
      w.edge('wasGeneratedBy', mask, activity);
      w.edge('wasDerivedFrom', mask, input);
      break;
    }
    case 'SegmentationEdited': {
      const versionId = text(d, 'versionId');
      const parentVersionId = text(d, 'parentVersionId');
      if (!versionId || !parentVersionId) break;
      const parent = lineageIds.mask(parentVersionId);
      const context = contextOf(parent);
      const mask = lineageIds.mask(versionId);
      w.node(mask, 'entity', 'mask-version', {
        refId: versionId,
        label: `edit ${versionId}`,
        context,
        replace: true,
        attributes: {
          segmentationId: text(d, 'segmentationId'),
          sha256: text(d, 'maskSha256'),
          reason: text(d, 'reason') ?? event.meta?.reason ?? null,
          diceVsParent: num(d, 'diceVsParent'),
          volumeMm3: num(d, 'volumeMm3'),
          volumeChangeMm3: num(d, 'volumeChangeMm3'),
        },
      });
      w.artifact(text(d, 'maskSha256'), mask);
      const activity = w.activity('segmentation-edit', `edit ${versionId}`, context, { name: text(d, 'tool'), version: text(d, 'toolVersion') });
      w.edge('used', activity, parent, 'parent');
      w.edge('wasGeneratedBy', mask, activity);
      w.edge('wasRevisionOf', mask, parent);
      break;
    }
    case 'SegmentationReviewed': {
      const versionId = text(d, 'versionId');
      if (!versionId) break;
      const mask = lineageIds.mask(versionId);
      const activity = w.activity('segmentation-review', `review ${versionId}: ${text(d, 'verdict') ?? ''}`.trim(), contextOf(mask));
      w.edge('used', activity, mask, text(d, 'verdict'));
      break;
    }
    case 'FeaturesComputed': {
      const featureSetId = text(d, 'featureSetId');
      if (!featureSetId) break;
      const context = { trialId: text(d, 'trialId'), siteId: text(d, 'siteId'), subjectId: text(d, 'subjectId') };
      const featureSet = lineageIds.featureSet(featureSetId);
      const extractor = obj(d, 'extractor');
      w.node(featureSet, 'entity', 'feature-set', {
        refId: featureSetId,
        label: `feature set ${featureSetId}`,
        context,
        replace: true,
        attributes: {
          modality: text(d, 'modality'),
          sha256: text(d, 'resultSha256'),
          featureCount: Object.keys(obj(d, 'features')).length,
          reproducible: d['reproducible'] === true,
          attested: d['attested'] === true,
        },
      });
      w.artifact(text(d, 'resultSha256'), featureSet);
      const activity = w.activity('feature-extraction', `extraction ${featureSetId}`, context, {
        name: text(extractor, 'name'),
        version: text(extractor, 'version'),
      });
      const imageId = text(d, 'imageId');
      if (imageId) {
        const image = entityByHash(text(d, 'imageSha256'), lineageIds.image(imageId));
        w.edge('used', activity, image, 'image');
        w.edge('wasDerivedFrom', featureSet, image);
      }
      const maskVersionId = text(d, 'maskVersionId');
      if (maskVersionId) {
        w.edge('used', activity, lineageIds.mask(maskVersionId), 'mask');
        w.edge('wasDerivedFrom', featureSet, lineageIds.mask(maskVersionId));
      }
      w.edge('wasGeneratedBy', featureSet, activity);
      break;
    }
    case 'ModelRegistered': {
      const modelId = text(d, 'modelId');
      const version = text(d, 'version');
      if (!modelId || !version) break;
      const model = lineageIds.model(modelId, version);
      w.node(model, 'entity', 'model-version', {
        refId: `${modelId}@${version}`,
        label: `${modelId} ${version}`,
        replace: true,
        attributes: { modelId, version, sha256: text(d, 'artifactSha256'), intendedUse: text(d, 'intendedUse') },
      });
      w.artifact(text(d, 'artifactSha256'), model);
      const activity = w.activity('model-registration', `registration of ${modelId} ${version}`, {});
      w.edge('wasGeneratedBy', model, activity);
      // FDA AI-enabled device software draft guidance §VIII: the training data lineage is part of the model's provenance.
      for (const featureSetId of strings(obj(d, 'trainingLineage'), 'featureSetIds')) {
        w.edge('used', activity, lineageIds.featureSet(featureSetId), 'training-data');
        w.edge('wasDerivedFrom', model, lineageIds.featureSet(featureSetId), 'training-data');
      }
      break;
    }
    case 'ModelLocked': {
      const modelId = text(d, 'modelId');
      const version = text(d, 'version');
      if (!modelId || !version) break;
      const activity = w.activity('model-lock', `lock of ${modelId} ${version} for ${text(d, 'trialId') ?? ''}`.trim(), { trialId: text(d, 'trialId') });
      w.edge('used', activity, lineageIds.model(modelId, version), 'locked-version');
      break;
    }
    case 'ModelDecisionMade': {
      const decisionId = text(d, 'decisionId');
      if (!decisionId) break;
      const context = { trialId: text(d, 'trialId'), siteId: text(d, 'siteId'), subjectId: text(d, 'subjectId') };
      const decision = lineageIds.decision(decisionId);
      w.node(decision, 'entity', 'decision', {
        refId: decisionId,
        label: `decision ${decisionId}: ${text(d, 'decision') ?? ''}`.trim(),
        context,
        replace: true,
        attributes: { decision: text(d, 'decision'), threshold: num(d, 'threshold'), modelSha256: text(d, 'modelSha256') },
      });
      const activity = w.activity('inference', `inference ${decisionId}`, context, { name: event.meta?.client ?? null, version: null });
      const modelId = text(d, 'modelId');
      const modelVersion = text(d, 'modelVersion');
      if (modelId && modelVersion) w.edge('used', activity, lineageIds.model(modelId, modelVersion), 'model');
      const featureSetId = text(d, 'featureSetId');
      if (featureSetId) {
        w.edge('used', activity, lineageIds.featureSet(featureSetId), 'features');
        w.edge('wasDerivedFrom', decision, lineageIds.featureSet(featureSetId));
      }
      w.edge('wasGeneratedBy', decision, activity);
      if (context.siteId) w.edge('wasAttributedTo', decision, lineageIds.site(context.siteId));
      break;
    }
    case 'DecisionOverridden': {
      const decisionId = text(d, 'decisionId');
      if (!decisionId) break;
      const decision = lineageIds.decision(decisionId);
      const activity = w.activity('decision-override', `override of ${decisionId}: ${text(d, 'decision') ?? ''}`.trim(), contextOf(decision));
      w.edge('used', activity, decision, 'overridden');
      break;
    }
  }
  return w.finish();
}

/** The provenance graph (W3C PROV-DM) of the trial workflow. */
export const lineageProjection: Projection = {
  name: 'lineage',
  // v3: edge key (from_id, position, ordinal), node trial/type index dropped.
  version: 3,
  tables,
  canHandle: (type) => HANDLED.has(type),
  evolve,
};
