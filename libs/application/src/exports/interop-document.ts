import type { Visibility } from '@radledger/domain';
import { ValidationError } from '@radledger/platform';
import { collectInteropRecords, proveActivities, renderInterop, type InteropFormat, type InteropRecords } from '@radledger/interop';
import type { ReadModelStore } from '@radledger/projections';
import type { Runtime } from '../runtime.js';
import { RADLEDGER_VERSION } from '../software-version.js';

export interface InteropScopeInput {
  trialId: string;
  format: InteropFormat;
  siteId?: string | undefined;
  subjectId?: string | undefined;
}

/**
 * What interopExport and exportInterop read, before the read policy: the scope's lineage and
 * audit records (a site-scoped caller's audit trail is their sites'; the lineage is filtered by
 * the `lineage` result policy afterwards).
 */
export async function collectInteropScope(readModels: ReadModelStore, input: InteropScopeInput, requestedBy: string, visibility: Visibility): Promise<InteropRecords> {
  if (input.format === 'BIDS_PROV' && !input.subjectId) throw new ValidationError('SUBJECT_REQUIRED', 'subjectId: BIDS-Prov files describe one subject; name the subject', { field: 'subjectId' });
  const seen = visibility.trial(input.trialId);
  const scope = { trialId: input.trialId, ...(input.siteId ? { siteId: input.siteId } : {}), ...(input.subjectId ? { subjectId: input.subjectId } : {}) };
  return collectInteropRecords(readModels, scope, { requestedBy, ...(typeof seen === 'object' ? { auditSiteIds: [...seen] } : {}) });
}

/** The documents, made only from what the read policy left (hidden nodes dropped, decisions blinded): proofs, then the format's mapper. */
export async function renderInteropScope(runtime: Runtime, records: InteropRecords, input: InteropScopeInput) {
  const source = { ...records, proofs: await proveActivities(runtime.store, records), generatedAt: runtime.clock.now().toISOString(), software: { name: 'RadLedger', version: RADLEDGER_VERSION } };
  const document = renderInterop(input.format, source);
  return { ...document, trialId: input.trialId, siteId: input.siteId ?? null, subjectId: input.subjectId ?? null, countsJson: JSON.stringify(document.counts) };
}
