import { DomainError } from '@radledger/platform';

export type DossierErrorCode =
  | 'DOSSIER_EMPTY'
  | 'DOSSIER_OUT_INVALID'
  | 'DOSSIER_LEDGER_INVALID'
  | 'DOSSIER_CHECKPOINT_INVALID'
  | 'DOSSIER_BUNDLE_UNREADABLE';

/** The dossier could not be assembled or read; `code` says which step and why. */
export class DossierError extends DomainError {
  constructor(code: DossierErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
