import type { EventMeta, NewEvent } from '@radledger/ledger';
import type { FieldCipher, KeyScope } from './field-cipher.port.js';
import { FREE_TEXT_FIELDS } from '../registry.js';

/**
 * The redaction record itself stays readable: its justification must survive the key it
 * destroys (who/when/why of the change to the audit trail). It is PHI-scanned like any reason.
 */
export const UNSEALED_EVENT_TYPES: ReadonlySet<string> = new Set(['RedactionRequested', 'PayloadRedacted']);

/** `SegmentationEdited.reason`, `SegmentationEdited.meta.reason`: the associated data of a sealed value. */
export const sealLabel = (eventType: string, path: string): string => `${eventType}.${path}`;

/**
 * The subject an event belongs to: named in its data, or in the first event of its stream
 * (an acquisition, segmentation, feature set or decision names its trial and subject).
 * Events that reach no subject get a key of their own.
 */
export function keyScopeOf(event: Pick<NewEvent, 'eventId' | 'data'>, firstOfStream?: { data: unknown }): KeyScope {
  for (const source of [event.data, firstOfStream?.data]) {
    const d = source as { trialId?: unknown; subjectId?: unknown } | undefined;
    if (d && typeof d.trialId === 'string' && typeof d.subjectId === 'string') return { kind: 'subject', trialId: d.trialId, subjectId: d.subjectId };
  }
  return { kind: 'event', eventId: event.eventId };
}

/** Seal the free-text fields of `data` and `meta.reason`; returns a new event (the input is not changed). */
export async function sealFreeText(event: NewEvent, scope: KeyScope, cipher: FieldCipher): Promise<NewEvent> {
  if (UNSEALED_EVENT_TYPES.has(event.type)) return event;
  const data = { ...event.data };
  for (const field of FREE_TEXT_FIELDS[event.type] ?? []) {
    // Sealed fields are top-level data properties today (the declarations say where); nested ones would need a deep copy.
    const value = data[field];
    if (typeof value === 'string') data[field] = await cipher.seal(value, scope, sealLabel(event.type, field));
  }
  const meta: EventMeta = { ...event.meta };
  if (typeof meta.reason === 'string') meta.reason = await cipher.seal(meta.reason, scope, sealLabel(event.type, 'meta.reason'));
  return { ...event, data, meta };
}
