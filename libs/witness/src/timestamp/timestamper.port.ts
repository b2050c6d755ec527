/** An RFC 3161 Time-Stamp Authority as the checkpointer uses it (RADLEDGER_TSA_URL). */
export interface CheckpointTimestamper {
  readonly url: string;
  /** Requests a token over SHA-256(data) with a fresh nonce; returns the DER TimeStampToken and the nonce sent. */
  stamp(data: Uint8Array): Promise<{ token: Uint8Array; nonce: bigint }>;
}
