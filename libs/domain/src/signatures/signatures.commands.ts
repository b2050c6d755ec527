import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';

/** 21 CFR 11.50(a)(3): the meaning of the signature. */
export const SIGNATURE_MEANINGS = ['authored', 'reviewed', 'approved', 'responsible'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

export const SignRecordInput = S.obj({
  /** The recorded event being signed. */
  eventId: S.id('The recorded event being signed.'),
  /** Its stream, when the caller knows it (saves a ledger scan). */
  streamId: S.optional(S.text(300, "The event's stream, when known.")),
  meaning: S.oneOf(SIGNATURE_MEANINGS, 'authored, reviewed, approved or responsible (21 CFR 11.50(a)(3)).'),
  /** 11.50(a)(1): the signer's printed name (the application sets it from the signer's account). */
  printedName: S.text(200),
  signatureId: S.optional(S.id()),
});
/** What a signer sends: the printed name comes from their account, never from the request. */
export const SignRecordRequest = S.obj({ eventId: SignRecordInput.properties.eventId, streamId: SignRecordInput.properties.streamId, meaning: SignRecordInput.properties.meaning });

export type SignRecord = Command<'SignRecord', Static<typeof SignRecordInput>>;
export type SignaturesCommand = SignRecord;
