import { ValidationError } from '@radledger/platform';

/**
 * Stable codes for inputs the extractor refuses. Every refusal happens before any feature
 * is computed, so a caller that records results appends nothing on these errors.
 */
export type RadiomicsErrorCode =
  | 'IMAGE_UNREADABLE'
  | 'DICOM_SERIES_INCOMPLETE'
  | 'MASK_GRID_MISMATCH'
  | 'MASK_EMPTY'
  | 'IMAGE_HAS_NAN'
  | 'SETTINGS_INVALID'
  | 'DISCRETISATION_INVALID';

export class RadiomicsInputError extends ValidationError {
  constructor(
    override readonly code: RadiomicsErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}
