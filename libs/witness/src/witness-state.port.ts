import type { WitnessedLogState } from './core/add-checkpoint.js';

/** What a witness keeps per log: the latest checkpoint it cosigned, and the cosigned note it returned. */
export interface StoredLogState extends WitnessedLogState {
  origin: string;
  /** The log-signed checkpoint note with the witness's cosignature line appended. */
  cosignedNote: string;
  updatedAt: string;
}

/** A refused submission kept as evidence (tlog-witness: "the witness MAY log the request ... as it might be proof of log misbehavior"). */
export interface RefusedSubmission {
  origin: string;
  status: number;
  reason: string;
  /** The submitted note. */
  note: string;
  receivedAt: string;
}

/**
 * The witness's durable state. `update` runs `decide` and the write it returns in one
 * atomic step per origin (tlog-witness §add-checkpoint: checking the old size and
 * persisting the new checkpoint must be atomic), and only returns once the write is durable.
 * `decide` is synchronous so no other submission can interleave.
 */
export interface WitnessStateStore {
  get(origin: string): Promise<StoredLogState | undefined>;
  update<T>(origin: string, decide: (current: StoredLogState | undefined) => { next?: StoredLogState; result: T }): Promise<T>;
  recordRefusal(refusal: RefusedSubmission): Promise<void>;
  listRefusals(origin?: string): Promise<RefusedSubmission[]>;
  close(): Promise<void>;
}
