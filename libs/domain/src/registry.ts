import type { CommandDeclaration, OperationDeclaration } from './shared/operation.js';
import type { EventDeclaration } from './shared/event.js';
import { pathsOfKind } from './shared/schema.js';
import { trialCommands, trialOperations } from './trial/trial.operations.js';
import { trialEvents } from './trial/trial.events.js';
import { imagingCommands, imagingOperations } from './imaging/imaging.operations.js';
import { imagingEvents } from './imaging/imaging.events.js';
import { segmentationCommands, segmentationOperations } from './segmentation/segmentation.operations.js';
import { segmentationEvents } from './segmentation/segmentation.events.js';
import { featuresCommands, featuresOperations } from './features/features.operations.js';
import { featuresEvents } from './features/features.events.js';
import { modelsCommands, modelsOperations } from './models/models.operations.js';
import { modelsEvents } from './models/models.events.js';
import { decisionsCommands, decisionsOperations } from './decisions/decisions.operations.js';
import { decisionsEvents } from './decisions/decisions.events.js';
import { signaturesCommands, signaturesOperations } from './signatures/signatures.operations.js';
import { signaturesEvents } from './signatures/signatures.events.js';
import { identityCommands, identityOperations } from './identity/identity.operations.js';
import { identityEvents } from './identity/identity.events.js';
import { redactionCommands, redactionOperations } from './redaction/redaction.operations.js';
import { redactionEvents } from './redaction/redaction.events.js';
import { auditReviewCommands, auditReviewOperations } from './audit-review/audit-review.operations.js';
import { auditReviewEvents } from './audit-review/audit-review.events.js';
import { reliabilityCommands, reliabilityOperations } from './reliability/reliability.operations.js';
import { reliabilityEvents } from './reliability/reliability.events.js';
import { responseAssessmentCommands, responseAssessmentOperations } from './response-assessment/response-assessment.operations.js';
import { responseAssessmentEvents } from './response-assessment/response-assessment.events.js';
import { provenanceOperations } from './provenance/provenance.operations.js';
import { ledgerProofOperations } from './ledger-proofs/ledger-proofs.operations.js';

/**
 * Every command, operation and event RadLedger knows, gathered from the bounded contexts.
 * Everything else (validation, GraphQL types and resolvers, the committed event schemas, the
 * access matrix, the write path's routing) is derived from these three lists.
 */
export const commandDeclarations = [
  ...trialCommands,
  ...imagingCommands,
  ...segmentationCommands,
  ...featuresCommands,
  ...modelsCommands,
  ...decisionsCommands,
  ...signaturesCommands,
  ...identityCommands,
  ...redactionCommands,
  ...auditReviewCommands,
  ...reliabilityCommands,
  ...responseAssessmentCommands,
] as const;

export const operationDeclarations = [
  ...trialOperations,
  ...imagingOperations,
  ...segmentationOperations,
  ...featuresOperations,
  ...modelsOperations,
  ...decisionsOperations,
  ...signaturesOperations,
  ...identityOperations,
  ...redactionOperations,
  ...auditReviewOperations,
  ...reliabilityOperations,
  ...responseAssessmentOperations,
  ...provenanceOperations,
  ...ledgerProofOperations,
] as const;

export const eventDeclarations = [
  ...trialEvents,
  ...imagingEvents,
  ...segmentationEvents,
  ...featuresEvents,
  ...modelsEvents,
  ...decisionsEvents,
  ...signaturesEvents,
  ...identityEvents,
  ...redactionEvents,
  ...auditReviewEvents,
  ...reliabilityEvents,
  ...responseAssessmentEvents,
] as const;

type AnyCommand = (typeof commandDeclarations)[number];
/** Every command RadLedger accepts, whatever the entry point (GraphQL, CLI, demo), as the deciders see it. */
export type WorkflowCommand = { [K in AnyCommand as K['type']]: { type: K['type']; data: import('./shared/schema.js').Static<K['input']> } }[AnyCommand['type']];
export type WorkflowCommandType = AnyCommand['type'];
export type CommandData<T extends WorkflowCommandType> = Extract<WorkflowCommand, { type: T }>['data'];

export type Operation = (typeof operationDeclarations)[number];
export type OperationField = Operation['field'];
export type QueryField = Extract<Operation, { kind: 'query' }>['field'];
export type ActionField = Extract<Operation, { kind: 'action' }>['field'];
export type MutationField = Extract<Operation, { kind: 'mutation' }>['field'];
export type RouteField = Extract<Operation, { kind: 'route' }>['field'];
export type OperationByField<F extends OperationField> = Extract<Operation, { field: F }>;

function index<T, K extends string>(items: readonly T[], key: (t: T) => K, what: string): ReadonlyMap<K, T> {
  const map = new Map<K, T>();
  for (const item of items) {
    const k = key(item);
    if (map.has(k)) throw new Error(`${what} ${k} is declared twice`);
    map.set(k, item);
  }
  return map;
}

export const commandsByType: ReadonlyMap<string, CommandDeclaration> = index(commandDeclarations as readonly CommandDeclaration[], (c) => c.type, 'command');
export const operationsByField: ReadonlyMap<string, OperationDeclaration> = index(operationDeclarations as readonly OperationDeclaration[], (o) => o.field, 'operation');
export const eventsByType: ReadonlyMap<string, EventDeclaration> = index(eventDeclarations as readonly EventDeclaration[], (e) => e.type, 'event');

export function isCommandType(type: unknown): type is WorkflowCommandType {
  return typeof type === 'string' && commandsByType.has(type);
}

export function currentSchemaVersion(type: string): number | undefined {
  return eventsByType.get(type)?.version;
}

/** `Type.vN` → data schema, every version ever stored. */
export function eventDataSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const e of eventDeclarations as readonly EventDeclaration[]) {
    for (const h of e.history) out[`${e.type}.v${h.version}`] = h.schema;
    out[`${e.type}.v${e.version}`] = e.schema;
  }
  return out;
}

/**
 * Data fields where people type prose (reasons, comments): the place PHI slips in, sealed with
 * the subject's key before append (ADR 0007). Derived from the `sealed` annotation of the
 * event schemas. Model documentation (intendedUse, plans, summaries) reaches no subject and must
 * read in clear in the dossier: PHI-scanned, not sealed.
 */
export const FREE_TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (eventDeclarations as readonly EventDeclaration[]).map((e) => [e.type, pathsOfKind(e.schema, 'sealed')] as const).filter(([, paths]) => paths.length > 0),
);
