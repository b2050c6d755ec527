import { DomainError } from '@radledger/platform';

export type WitnessErrorCode =
  | 'WITNESS_KEY_INVALID'
  | 'WITNESS_CONFIG_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'COSIGNATURE_MALFORMED'
  | 'COSIGNATURE_INVALID'
  | 'ADD_CHECKPOINT_MALFORMED'
  | 'POLICY_INVALID'
  | 'WITNESS_QUORUM_NOT_MET'
  | 'WITNESS_FORK'
  | 'WITNESS_UNREACHABLE'
  | 'COSIGNATURE_STORE_INVALID';

/** Errors of the witness protocol, cosignatures and policies; `details.witness` names the witness when there is one. */
export class WitnessError extends DomainError {
  constructor(code: WitnessErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
