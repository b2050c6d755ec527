import type { Command } from '../shared/decider.js';

/** 21 CFR 11.50(a)(3): the meaning of the signature. */
export const SIGNATURE_MEANINGS = ['authored', 'reviewed', 'approved', 'responsible'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

export type SignRecord = Command<
  'SignRecord',
  {
    /** The recorded event being signed. */
    eventId: string;
    /** Its stream, when the caller knows it (saves a ledger scan). */
    streamId?: string;
    meaning: SignatureMeaning;
    /** 11.50(a)(1): the signer's printed name. */
    printedName: string;
    signatureId?: string;
  }
>;

export type SignaturesCommand = SignRecord;
