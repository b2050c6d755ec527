import type { Command } from '../shared/decider.js';

/**
 * ICH E6(R3) allows changing an audit trail only for PHI that slipped in, with a logged
 * justification; RadLedger needs two people for it (one `regulatory`, one `admin`). The
 * first call records the request, the second (other person, other role) the redaction.
 */
export type RedactPayload = Command<'RedactPayload', { eventId: string; streamId?: string; justification: string }>;

export type RedactionCommand = RedactPayload;
