import type { DomainEvent } from '../shared/decider.js';

export type RedactionRequested = DomainEvent<'RedactionRequested', { eventId: string; streamId: string; eventType: string; eventHash: string; justification: string; requestedBy: string; requestedRole: string }>;
/**
 * The payload's key is destroyed by the encryption layer on this event; the ledger keeps the
 * ciphertext, so the hash chain still verifies end to end.
 */
export type PayloadRedacted = DomainEvent<
  'PayloadRedacted',
  { eventId: string; streamId: string; eventType: string; eventHash: string; justification: string; requestedBy: string; requestedRole: string; approvedBy: string; approvedRole: string }
>;

export type RedactionEvent = RedactionRequested | PayloadRedacted;
