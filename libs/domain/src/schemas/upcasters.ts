import type { RecordedEvent } from '@radledger/ledger';
import { eventsByType } from '../registry.js';

/**
 * Chains each event declaration's upcasters from the stored version to the current one.
 * Upcasting happens on read only: the stored canonical bytes and hash are returned untouched,
 * so verification always runs on what was written.
 */
export function upcast<D = Record<string, unknown>>(event: RecordedEvent<D>): RecordedEvent<D> {
  const declaration = eventsByType.get(event.type);
  if (!declaration || event.schemaVersion >= declaration.version) return event;
  let data = event.data as unknown as Record<string, unknown>;
  let version = event.schemaVersion;
  while (version < declaration.version) {
    const step = declaration.history[version - 1];
    if (!step) break; // no path: leave as stored; evolve tolerates unknown shapes
    data = step.upcast(data);
    version++;
  }
  return { ...event, schemaVersion: version, data: data as unknown as D };
}
