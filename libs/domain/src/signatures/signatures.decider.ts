import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireId, requireOneOf, requireText } from '../shared/guards.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning, type SignaturesCommand } from './signatures.commands.js';
import type { SignaturesEvent } from './signatures.events.js';

export interface SignaturesState {
  eventId: string | null;
  signatures: ReadonlyArray<{ signatureId: string; signerId: string; meaning: SignatureMeaning; printedName: string }>;
}

/** The recorded event being signed, as read from the ledger (null: no such event). */
export interface SignedRecordFact {
  eventId: string;
  streamId: string;
  type: string;
  hash: string;
}

export interface SignaturesFacts {
  target?: SignedRecordFact | null;
}

export function initialState(): SignaturesState {
  return { eventId: null, signatures: [] };
}

export function decide(command: SignaturesCommand, state: SignaturesState, ctx: CommandContext<SignaturesFacts>): SignaturesEvent[] {
  switch (command.type) {
    case 'SignRecord': {
      const d = command.data;
      const eventId = requireId('eventId', d.eventId);
      const target = ctx.facts.target;
      if (!target || target.eventId !== eventId) throw new NotFoundError(`eventId: no recorded event ${eventId} to sign`, { field: 'eventId' });
      if (target.type === 'RecordSigned') throw new ValidationError('SIGNATURE_TARGET_INVALID', `eventId: ${eventId} is itself a signature; sign the record it signs`, { field: 'eventId' });
      const meaning = requireOneOf('meaning', d.meaning, SIGNATURE_MEANINGS);
      if (state.signatures.some((s) => s.signerId === ctx.actor && s.meaning === meaning)) {
        throw new IllegalStateError('SIGNATURE_DUPLICATE', `meaning: ${ctx.actor} has already signed ${eventId} as ${meaning}`, { field: 'meaning' });
      }
      return [
        {
          type: 'RecordSigned',
          data: {
            signatureId: requireId('signatureId', d.signatureId),
            eventId,
            streamId: target.streamId,
            eventType: target.type,
            eventHash: target.hash,
            signerId: ctx.actor,
            printedName: requireText('printedName', d.printedName, 200),
            meaning,
            signedAt: ctx.now.toISOString(),
          },
        },
      ];
    }
    default:
      return assertUnreachable(command.type);
  }
}

export function evolve(state: SignaturesState, event: SignaturesEvent): SignaturesState {
  switch (event.type) {
    case 'RecordSigned': {
      const d = event.data;
      return { eventId: d.eventId, signatures: [...state.signatures, { signatureId: d.signatureId, signerId: d.signerId, meaning: d.meaning, printedName: d.printedName }] };
    }
    default:
      return ignoreUnknown(state, event.type);
  }
}

export const signaturesDecider = { decide, evolve, initialState };

/**
 * 21 CFR 11.70: a signature is valid only for the record whose hash it carries. Copied onto
 * another record (or left on a record whose bytes changed) it fails this check.
 */
export function signatureBindsRecord(signature: { eventId: string; eventHash: string }, record: { eventId: string; hash: string }): boolean {
  return signature.eventId === record.eventId && signature.eventHash === record.hash;
}
