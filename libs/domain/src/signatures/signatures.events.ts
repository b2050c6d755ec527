import type { DomainEvent } from '../shared/decider.js';
import type { SignatureMeaning } from './signatures.commands.js';

export type RecordSigned = DomainEvent<
  'RecordSigned',
  {
    signatureId: string;
    eventId: string;
    streamId: string;
    eventType: string;
    /** 11.70: the signature is bound to this hash; copied to another record it no longer matches. */
    eventHash: string;
    signerId: string;
    printedName: string;
    meaning: SignatureMeaning;
    /** UTC, ISO 8601 with ms. */
    signedAt: string;
  }
>;

export type SignaturesEvent = RecordSigned;
