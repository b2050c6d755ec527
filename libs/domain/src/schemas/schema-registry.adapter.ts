import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventValidator } from '@radledger/ledger';
import { createEventValidatorFromDocuments, type SchemaDocuments } from './event-validator.js';

/** The only file-system user in libs/domain: reads schemas/events/*.json. */
export function loadEventSchemas(dir: string = resolve(process.cwd(), 'schemas', 'events')): SchemaDocuments {
  const out: SchemaDocuments = {};
  for (const name of readdirSync(dir).sort()) {
    const m = /^(.+\.v\d+)\.json$/.exec(name);
    if (m) out[m[1]!] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as object;
  }
  return out;
}

/** The ledger's EventValidator over the committed schemas (default `<cwd>/schemas/events`). */
export function createEventValidator(options: { schemaDir?: string } = {}): EventValidator {
  return createEventValidatorFromDocuments(loadEventSchemas(options.schemaDir));
}
