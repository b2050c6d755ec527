/** A witness cosignature received for one of the ledger's checkpoints. */
export interface CosignatureRecord {
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
  /** The log-signed checkpoint note that was sent, byte for byte (the cosignature covers its text). */
  note: string;
  /** The witness's key name and cosignature/v1 key ID. */
  witness: string;
  keyId: number;
  /** The signature line as returned, without its newline. */
  line: string;
  /** POSIX seconds in the cosignature. */
  cosignedAt: number;
  receivedAt: string;
}

/** An RFC 3161 timestamp token over a checkpoint (imprint: SHA-256 of the checkpoint text). */
export interface TimestampRecord {
  treeSize: number;
  rootHash: string;
  note: string;
  /** DER TimeStampToken (a CMS ContentInfo), base64. */
  token: string;
  /** The nonce sent, decimal. */
  nonce: string;
  tsaUrl: string;
  receivedAt: string;
}

/** A witness refusing a checkpoint as inconsistent (fork alarm) or as not signed by a key it trusts. */
export interface WitnessAlarmRecord {
  witness: string;
  url: string;
  treeSize: number;
  rootHash: string;
  /** HTTP status (422, 403, 404, 400) and the witness's own words. */
  status: number;
  reason: string;
  at: string;
}

/**
 * Where the ledger keeps what witnesses and the TSA returned for its checkpoints: beside
 * the ledger (same SQLite file or PostgreSQL schema, own tables), append-only.
 */
export interface CosignatureStore {
  addCosignature(record: CosignatureRecord): Promise<void>;
  /** Oldest first. */
  listCosignatures(): Promise<CosignatureRecord[]>;
  addTimestamp(record: TimestampRecord): Promise<void>;
  listTimestamps(): Promise<TimestampRecord[]>;
  addAlarm(record: WitnessAlarmRecord): Promise<void>;
  listAlarms(): Promise<WitnessAlarmRecord[]>;
  close(): Promise<void>;
}
