import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Software name and version recorded in every event's `meta.client` (ALCOA+: attributable to software too). */
export const RADLEDGER_VERSION = readVersion();
export const CLIENT_NAME = `radledger-api/${RADLEDGER_VERSION}`;
