// Writes schemas/events/<Type>.v<N>.json and envelope.v1.json from
// libs/domain/src/schemas/event-schema-definitions.ts. Run:
//   node --import @swc-node/register/esm-register scripts/generate-event-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelopeSchema, eventDataSchemas, eventSchemaDocument } from '../libs/domain/src/schemas/event-schema-definitions.js';

const dir = join(process.cwd(), 'schemas', 'events');
mkdirSync(dir, { recursive: true });
for (const key of Object.keys(eventDataSchemas)) writeFileSync(join(dir, `${key}.json`), JSON.stringify(eventSchemaDocument(key), null, 2) + '\n');
writeFileSync(join(dir, 'envelope.v1.json'), JSON.stringify(envelopeSchema, null, 2) + '\n');
console.log(`wrote ${Object.keys(eventDataSchemas).length + 1} schemas to ${dir}`);
