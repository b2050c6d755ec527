import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';

/**
 * ICH E6(R3) allows changing an audit trail only for PHI that slipped in, with a logged
 * justification; RadLedger needs two people for it (one `regulatory`, one `admin`). The
 * first call records the request, the second (other person, other role) the redaction.
 */
export const RedactPayloadInput = S.obj({
  eventId: S.id('The recorded event whose free text (reasons, comments) let PHI slip in.'),
  streamId: S.optional(S.text(300, "The event's stream, when known.")),
  justification: S.freeText(2000, 'Why the audit trail must change (ICH E6(R3)); recorded in clear and PHI-scanned.'),
});

export type RedactPayload = Command<'RedactPayload', Static<typeof RedactPayloadInput>>;
export type RedactionCommand = RedactPayload;
