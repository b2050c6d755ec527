#!/usr/bin/env node
// Extracts the Bundle, Provenance and AuditEvent definitions (and what they reference) from
// HL7's FHIR R4 fhir.schema.json. Usage: node extract-fhir-r4-subset.mjs <fhir.schema.json> > fhir-r4-subset.schema.json
import { readFileSync } from 'node:fs';

const KEEP = ['Bundle', 'Provenance', 'AuditEvent'];
const full = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (full.id !== 'http://hl7.org/fhir/json-schema/4.0') throw new Error(`not the FHIR R4 schema: id ${full.id}`);
const defs = full.definitions;
const kept = new Set();
const todo = [...KEEP];
while (todo.length > 0) {
  const name = todo.pop();
  if (kept.has(name)) continue;
  if (!defs[name]) throw new Error(`definition ${name} is missing`);
  kept.add(name);
  if (name === 'ResourceList') continue;
  for (const [, ref] of JSON.stringify(defs[name]).matchAll(/"#\/definitions\/([A-Za-z0-9_]+)"/g)) todo.push(ref);
}
const definitions = {};
for (const name of [...kept].sort()) definitions[name] = defs[name];
definitions.ResourceList = { oneOf: [{ $ref: '#/definitions/Provenance' }, { $ref: '#/definitions/AuditEvent' }] };
const subset = {
  $schema: full.$schema,
  id: full.id,
  description: `${full.description} -- subset: Bundle, Provenance, AuditEvent and the definitions they reference (extract-fhir-r4-subset.mjs)`,
  oneOf: KEEP.map((name) => ({ $ref: `#/definitions/${name}` })),
  definitions,
};
process.stdout.write(`${JSON.stringify(subset, null, 1)}\n`);
