import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';

const redactionRole = S.oneOf(['regulatory', 'admin']);
const target = { eventId: S.id(), streamId: S.text(300), eventType: S.text(100), eventHash: S.sha256(), justification: S.text() };

export const RedactionRequestedEvent = defineEvent('RedactionRequested', S.obj({ ...target, requestedBy: S.id(), requestedRole: redactionRole }));
/**
 * The payload's key is destroyed by the encryption layer on this event; the ledger keeps the
 * ciphertext, so the hash chain still verifies end to end.
 */
export const PayloadRedactedEvent = defineEvent(
  'PayloadRedacted',
  S.obj({ ...target, requestedBy: S.id(), requestedRole: redactionRole, approvedBy: S.id(), approvedRole: redactionRole }),
);

export type RedactionRequested = EventOf<typeof RedactionRequestedEvent>;
export type PayloadRedacted = EventOf<typeof PayloadRedactedEvent>;

export const redactionEvents = [RedactionRequestedEvent, PayloadRedactedEvent] as const;
export type RedactionEvent = RedactionRequested | PayloadRedacted;
