import type { AuditEntry, DecisionView, LineageGraph, LineageNode } from '@radledger/projections';
import type { AuditEntryModel } from './audit-trail.model.js';
import type { DecisionModel, LineageGraphModel, LineageNodeModel } from './lineage.model.js';

export const jsonText = (value: unknown): string => JSON.stringify(value ?? null);

export function toNodeModel(node: LineageNode): LineageNodeModel {
  const { attributes, ...rest } = node;
  return { ...rest, attributesJson: jsonText(attributes) };
}

export function toGraphModel(graph: LineageGraph): LineageGraphModel {
  return {
    ...graph,
    root: toNodeModel(graph.root),
    nodes: graph.nodes.map(toNodeModel),
  };
}

export function toDecisionModel(view: DecisionView): DecisionModel {
  const { outputs, ...rest } = view;
  return {
    ...rest,
    outputsJson: jsonText(outputs),
    featureSet: view.featureSet ? toNodeModel(view.featureSet) : null,
    masks: view.masks.map(toNodeModel),
    images: view.images.map(toNodeModel),
    preprocessing: view.preprocessing.map(toNodeModel),
    software: view.software.map(toNodeModel),
    lineage: toGraphModel(view.lineage),
  };
}

export function toAuditEntryModel(entry: AuditEntry & { redaction?: AuditEntryModel['redaction'] }): AuditEntryModel {
  const { before, after, redaction, ...rest } = entry;
  // `redaction`: who removed sealed text of this entry, when the application opened the entry's sealed fields.
  return { ...rest, beforeJson: before === null ? null : jsonText(before), afterJson: after === null ? null : jsonText(after), redaction: redaction ?? null };
}
