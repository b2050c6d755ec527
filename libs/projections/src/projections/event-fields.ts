import type { RecordedEvent } from '@radledger/ledger';
import type { SqlScalar } from '../projection.js';

/**
 * Tolerant readers of event data: `evolve` must replay anything ever recorded (older schema
 * versions, fields added later), so a missing or mistyped field becomes NULL, never a throw.
 */
export type EventData = Record<string, unknown>;

export function dataOf(event: RecordedEvent): EventData {
  return event.data && typeof event.data === 'object' ? (event.data as EventData) : {};
}

export function text(data: EventData, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

export function num(data: EventData, key: string): number | null {
  const value = data[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

export function bool(data: EventData, key: string): number | null {
  const value = data[key];
  return typeof value === 'boolean' ? (value ? 1 : 0) : null;
}

export function obj(data: EventData, key: string): EventData {
  const value = data[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as EventData) : {};
}

export function strings(data: EventData, key: string): string[] {
  const value = data[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The event that created a row: every read-model row can point back to the ledger. */
export function eventColumns(event: RecordedEvent): Record<'event_id' | 'event_type' | 'event_hash' | 'global_position' | 'recorded_at', SqlScalar> {
  return {
    event_id: event.eventId,
    event_type: event.type,
    event_hash: event.hash,
    global_position: Number(event.globalPosition),
    recorded_at: event.meta?.recordedAt ?? null,
  };
}

export const EVENT_COLUMNS = {
  event_id: 'text',
  event_type: 'text',
  event_hash: 'text',
  global_position: 'integer',
  recorded_at: 'text',
} as const;

export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
