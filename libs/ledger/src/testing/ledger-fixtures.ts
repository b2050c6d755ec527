import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../core/envelope.js';

/** A plausible event for store tests; every call has a fresh uuid v7 eventId. */
export function newTestEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: uuidv7(),
    type: 'SegmentationReviewed',
    schemaVersion: 1,
    data: { maskSha256: 'ab'.repeat(32), verdict: 'accepted', counter: '9007199254740993' },
    meta: {
      actor: 'user-7',
      role: 'qc-reviewer',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      recordedAt: '2026-11-25T12:00:00.000Z',
      client: 'radledger-tests/0.1.0',
    },
    ...overrides,
  };
}
