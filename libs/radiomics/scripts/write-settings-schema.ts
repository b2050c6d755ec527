// Writes schemas/radiomics-settings.schema.json from the TypeScript schema (run from the repo root).
import { writeFileSync } from 'node:fs';
import { radiomicsSettingsSchema } from '../src/settings/radiomics-settings.schema.js';

writeFileSync(
  'schemas/radiomics-settings.schema.json',
  `${JSON.stringify(radiomicsSettingsSchema, null, 2)}\n`,
);
