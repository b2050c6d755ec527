import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import { SIGNATURE_MEANINGS } from './signatures.commands.js';

export const RecordSignedEvent = defineEvent(
  'RecordSigned',
  S.obj({
    signatureId: S.id(),
    eventId: S.id(),
    streamId: S.text(300),
    eventType: S.text(100),
    /** 11.70: the signature is bound to this hash; copied to another record it no longer matches. */
    eventHash: S.sha256(),
    signerId: S.id(),
    printedName: S.text(200),
    meaning: S.oneOf(SIGNATURE_MEANINGS),
    /** UTC, ISO 8601 with ms. */
    signedAt: S.utc(),
  }),
);
export type RecordSigned = EventOf<typeof RecordSignedEvent>;

export const signaturesEvents = [RecordSignedEvent] as const;
export type SignaturesEvent = RecordSigned;
