import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** RadLedger's own version: recorded as the extractor version and in every dossier. */
export const RADLEDGER_VERSION = readVersion();
/** The extractor recorded in FeaturesComputed when RadLedger computes features itself. */
export const RADLEDGER_EXTRACTOR = { name: 'radledger-radiomics', version: RADLEDGER_VERSION } as const;
