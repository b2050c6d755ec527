import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoModelEntry } from './build-demo-models.js';

export type { DemoModelEntry } from './build-demo-models.js';

export interface DemoModelCatalogue {
  generator: string;
  cohort: { id: string; seed: number; description: string; partitions: Record<string, number>; file: string };
  models: DemoModelEntry[];
}

/** Reads `<modelsDir>/models.json`, the catalogue `npm run train-demo-models` writes. */
export async function readDemoModelCatalogue(modelsDir: string): Promise<DemoModelCatalogue> {
  return JSON.parse(await readFile(join(modelsDir, 'models.json'), 'utf8')) as DemoModelCatalogue;
}
