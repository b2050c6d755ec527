import { ValidationError } from '@radledger/platform';
import { toBidsProv } from './bids-prov/bids-prov.mapper.js';
import { toFhirBundle } from './fhir/fhir.mapper.js';
import { interopFile, PROCESSING_ACTIVITIES, type InteropDocument, type InteropFormat, type InteropSource } from './interop-source.js';
import { toOpenLineageEvents, type OpenLineageOptions } from './openlineage/openlineage.mapper.js';

const fileStem = (source: InteropSource) =>
  [source.scope.trialId, source.scope.siteId, source.scope.subjectId].filter((p): p is string => typeof p === 'string').join('_').replace(/[^A-Za-z0-9._-]/g, '_');

/** One export format of the source as files (pure: the same source gives the same bytes). */
export function renderInterop(format: InteropFormat, source: InteropSource, options: { openLineage?: OpenLineageOptions } = {}): InteropDocument {
  const base = { format, scope: source.scope, asOfPosition: source.asOfPosition, complete: source.complete };
  switch (format) {
    case 'OPENLINEAGE': {
      const events = toOpenLineageEvents(source, options.openLineage);
      return { ...base, files: [interopFile(`openlineage-${fileStem(source)}.json`, 'application/json', events)], counts: { runEvents: events.length, runs: events.length / 2 } };
    }
    case 'FHIR': {
      const bundle = toFhirBundle(source);
      const entries = (bundle['entry'] as Array<{ resource: { resourceType: string } }>).map((e) => e.resource.resourceType);
      return {
        ...base,
        files: [interopFile(`fhir-${fileStem(source)}.json`, 'application/fhir+json', bundle)],
        counts: { provenances: entries.filter((t) => t === 'Provenance').length, auditEvents: entries.filter((t) => t === 'AuditEvent').length },
      };
    }
    case 'BIDS_PROV': {
      const files = toBidsProv(source);
      const merged = JSON.parse(files.find((f) => f.path.endsWith('.prov.jsonld'))!.content) as { Records: Record<string, unknown[]> };
      return { ...base, files, counts: Object.fromEntries(Object.entries(merged.Records).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v.length])) };
    }
    default:
      throw new ValidationError('INVALID_ENUM', `format: expected one of OPENLINEAGE, FHIR, BIDS_PROV, got ${JSON.stringify(format)}`, { field: 'format' });
  }
}

/** Activities the source holds that OpenLineage describes as runs (for summaries). */
export function processingActivityCount(source: Pick<InteropSource, 'nodes'>): number {
  return source.nodes.filter((n) => n.kind === 'activity' && PROCESSING_ACTIVITIES.has(n.type)).length;
}
