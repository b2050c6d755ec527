import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import addFormatsModule from 'ajv-formats';
import { BIDS_PROV_CONTEXT } from '../bids-prov/bids-prov.mapper.js';
import type { InteropFile } from '../interop-source.js';

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv | Ajv2020) => void;

const here = dirname(fileURLToPath(import.meta.url));
const TESTDATA = join(here, '..', '..', 'testdata');
const SCHEMAS = join(here, '..', '..', 'schemas');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

export interface SchemaProblem {
  where: string;
  errors: string;
}

const describe = (fn: ValidateFunction) => (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');

/**
 * The vendored OpenLineage 2.0.2 schema (JSON Schema 2020-12) with the standard facets we emit
 * and our own facet schemas: every RunEvent against the spec, every facet against the schema
 * its `_schemaURL` names.
 */
export function openLineageValidator(): (events: unknown[]) => SchemaProblem[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(readJson(join(TESTDATA, 'openlineage', 'OpenLineage.json')));
  for (const dir of [join(TESTDATA, 'openlineage', 'facets'), join(SCHEMAS, 'openlineage')]) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) ajv.addSchema(readJson(join(dir, name)));
  }
  const event = ajv.compile({ $ref: 'https://openlineage.io/spec/2-0-2/OpenLineage.json' });
  const facets = new Map<string, ValidateFunction>();
  const facet = (url: string) => {
    let fn = facets.get(url);
    if (!fn) {
      fn = ajv.compile({ $ref: url });
      facets.set(url, fn);
    }
    return fn;
  };
  return (events) => {
    const problems: SchemaProblem[] = [];
    events.forEach((e, i) => {
      if (!event(e)) problems.push({ where: `event ${i}`, errors: describe(event) });
      const ev = e as { run?: { facets?: Record<string, unknown> }; job?: { facets?: Record<string, unknown> }; inputs?: Array<{ facets?: Record<string, unknown> }>; outputs?: Array<{ facets?: Record<string, unknown> }> };
      const all = [ev.run?.facets, ev.job?.facets, ...(ev.inputs ?? []).map((d) => d.facets), ...(ev.outputs ?? []).map((d) => d.facets)];
      for (const group of all) {
        for (const [key, value] of Object.entries(group ?? {})) {
          const url = (value as { _schemaURL?: unknown })._schemaURL;
          if (typeof url !== 'string') {
            problems.push({ where: `event ${i} facet ${key}`, errors: 'no _schemaURL' });
            continue;
          }
          const fn = facet(url);
          if (!fn(value)) problems.push({ where: `event ${i} facet ${key}`, errors: describe(fn) });
        }
      }
    });
    return problems;
  };
}

/** The FHIR R4 JSON Schema subset (draft-06) extracted from HL7's fhir.schema.json. */
export function fhirValidator(): (resource: unknown) => SchemaProblem[] {
  const ajv = new Ajv({ strict: false, allErrors: true, meta: false });
  ajv.addMetaSchema(draft06);
  // HL7 names the schema with draft-04's `id`; ajv knows only `$id`.
  const { id, ...schema } = readJson(join(TESTDATA, 'fhir', 'fhir-r4-subset.schema.json'));
  const fn = ajv.compile({ $id: String(id), ...schema });
  return (resource) => (fn(resource) ? [] : [{ where: 'bundle', errors: describe(fn).slice(0, 4000) }]);
}

const BIDS_ID = /^bids:[A-Za-z0-9_-]*:prov#[a-z0-9-]+-[A-Za-z0-9]{8,16}$/;
const ids = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * BIDS-Prov (BEP028) structure, as the specification's examples have it: files under `prov/`
 * named `prov-<label>_<act|soft|ent>.json` holding `Activities`, `Software` and `Entities`; the
 * aggregated JSON-LD with the `@context`, `BIDSProvVersion` and `Records` keys of the examples;
 * `bids:<dataset>:prov#<label>-<uid>` identifiers; every `Used`, `GeneratedBy` and
 * `AssociatedWith` resolving to a record.
 */
export function checkBidsProv(files: InteropFile[]): string[] {
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  const name = /^prov\/(?:prov-[A-Za-z0-9]+\/)?prov-([A-Za-z0-9]+)_(act|soft|ent)\.json$/;
  const expectKey: Record<string, string> = { act: 'Activities', soft: 'Software', ent: 'Entities' };
  for (const f of files.filter((f) => f.path.endsWith('.json'))) {
    const m = name.exec(f.path);
    if (!m) {
      problems.push(`${f.path}: not a prov/prov-<label>_<act|soft|ent>.json name`);
      continue;
    }
    const body = JSON.parse(f.content) as Record<string, unknown>;
    if (Object.keys(body).join() !== expectKey[m[2]!]) problems.push(`${f.path}: expected exactly the key ${expectKey[m[2]!]}, got ${Object.keys(body).join()}`);
  }
  const tsv = byPath.get('prov/provenance.tsv');
  if (!tsv || !/^provenance_id\tdescription\nprov-[A-Za-z0-9]+\t.+\n$/.test(tsv.content)) problems.push('prov/provenance.tsv: missing or not provenance_id<TAB>description');
  const merged = files.find((f) => f.path.endsWith('.prov.jsonld'));
  if (!merged) return [...problems, 'no aggregated .prov.jsonld'];
  const doc = JSON.parse(merged.content) as { '@context'?: unknown; BIDSProvVersion?: unknown; Records?: Record<string, Array<Record<string, unknown>>> };
  // The keys of the BEP's aggregated examples (e.g. examples/dcm2niix_5/prov/merged/prov-dcm2niix.jsonld).
  if (Object.keys(doc).sort().join() !== ['@context', 'BIDSProvVersion', 'Records'].sort().join()) problems.push(`merged: keys ${Object.keys(doc).join()}`);
  if (doc['@context'] !== BIDS_PROV_CONTEXT) problems.push(`merged: @context ${String(doc['@context'])}`);
  if (typeof doc.BIDSProvVersion !== 'string') problems.push('merged: BIDSProvVersion missing');
  const records = doc.Records ?? {};
  for (const key of Object.keys(records)) if (!['Software', 'Activities', 'Entities', 'Agents', 'Environments'].includes(key)) problems.push(`merged: unknown Records key ${key}`);
  const known = new Set<string>();
  for (const [key, list] of Object.entries(records)) {
    for (const r of list) {
      if (typeof r['Id'] !== 'string' || !BIDS_ID.test(r['Id'])) problems.push(`${key}: Id ${JSON.stringify(r['Id'])} is not bids:<dataset>:prov#<label>-<uid>`);
      if (typeof r['Label'] !== 'string' || r['Label'] === '') problems.push(`${key} ${String(r['Id'])}: no Label`);
      if (known.has(r['Id'] as string)) problems.push(`${key}: duplicate Id ${String(r['Id'])}`);
      known.add(r['Id'] as string);
    }
  }
  for (const a of records['Activities'] ?? []) {
    for (const id of [...ids(a['Used']), ...ids(a['AssociatedWith'])]) if (!known.has(id)) problems.push(`activity ${String(a['Id'])}: ${id} is not a record`);
    for (const t of ['StartedAtTime', 'EndedAtTime']) if (a[t] !== undefined && Number.isNaN(Date.parse(String(a[t])))) problems.push(`activity ${String(a['Id'])}: ${t} not a time`);
  }
  for (const e of records['Entities'] ?? []) {
    if (e['GeneratedBy'] !== undefined && !known.has(e['GeneratedBy'] as string)) problems.push(`entity ${String(e['Id'])}: GeneratedBy ${String(e['GeneratedBy'])} is not a record`);
    const digest = e['Digest'] as Record<string, unknown> | undefined;
    if (digest && !/^[0-9a-f]{64}$/.test(String(digest['SHA-256']))) problems.push(`entity ${String(e['Id'])}: Digest SHA-256 not hex`);
  }
  return problems;
}
