import type { RecordedEvent } from '@radledger/ledger';
import { currentSchemaVersion } from './event-versions.js';

type DataUpcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * `type@fromVersion` → function producing `fromVersion + 1` data. Chained until current.
 * Upcasting happens on read only: the stored canonical bytes and hash are returned
 * untouched, so verification always runs on what was written.
 */
const UPCASTERS: Record<string, DataUpcaster> = {
  // ImageAcquired v1 → v2: slice thickness was not recorded in v1; null means "not recorded",
  // never a guessed value (a default thickness would silently change resampling provenance).
  'ImageAcquired@1': (data) => ({ ...data, sliceThicknessMm: null }),
};

export function upcast<D = Record<string, unknown>>(event: RecordedEvent<D>): RecordedEvent<D> {
  const target = currentSchemaVersion(event.type);
  if (target === undefined || event.schemaVersion >= target) return event;
  let data = event.data as unknown as Record<string, unknown>;
  let version = event.schemaVersion;
  while (version < target) {
    const step = UPCASTERS[`${event.type}@${version}`];
    if (!step) break; // no path: leave as stored; evolve tolerates unknown shapes
    data = step(data);
    version++;
  }
  return { ...event, schemaVersion: version, data: data as unknown as D };
}
